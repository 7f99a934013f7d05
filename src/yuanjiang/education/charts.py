"""Server-rendered SVG charts (no JavaScript, no CDN): the trend of a pilot-minus-control difference
across exams, each point with its 95 % interval and the zero line."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56


def _nice_range(values: list[float]) -> tuple[float, float]:
    low, high = min([*values, 0.0]), max([*values, 0.0])
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def trend_svg(rows, title: str = "") -> str:
    """rows: comparison rows in exam order (each with .exam_name, .exam_date and .comparison)."""
    if not rows:
        return ""
    values = [v for r in rows for v in (r.comparison.low, r.comparison.high)]
    ymin, ymax = _nice_range(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + (plot_w * (i + 0.5) / len(rows))

    def y(v):
        return TOP + plot_h * (ymax - v) / (ymax - ymin)

    parts = [
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#d8dee4"/>',
        f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#656d76" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4:.1f}" font-size="11" text-anchor="end">0</text>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" font-size="11" text-anchor="end">{ymax:.1f}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_h}" font-size="11" text-anchor="end">{ymin:.1f}</text>',
    ]
    points = []
    for i, row in enumerate(rows):
        c = row.comparison
        cx = x(i)
        color = "#1a7f37" if c.significant and c.difference > 0 else "#b3261e" if c.significant else "#656d76"
        parts.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(c.high):.1f}" y2="{y(c.low):.1f}" stroke="{color}" '
            'stroke-width="2"/>'
        )
        for v in (c.low, c.high):
            parts.append(
                f'<line x1="{cx - 5:.1f}" x2="{cx + 5:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{color}"/>'
            )
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{y(c.difference):.1f}" r="4" fill="{color}">'
            f"<title>{escape(row.exam_name)}：差值 {c.difference:.2f}，95%置信区间 {c.interval_text}，"
            f"{escape(c.verdict)}</title></circle>"
        )
        label = f"{row.exam_date:%Y-%m}"
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{label}</text>'
        )
        short = re.sub(r"^\d{4}[—–-]\d{4}学年", "", row.exam_name)
        short = short if len(short) <= 9 else short[:8] + "…"
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 32}" font-size="10" fill="#656d76" '
            f'text-anchor="middle">{escape(short)}</text>'
        )
        points.append(f"{cx:.1f},{y(c.difference):.1f}")
    if len(points) > 1:
        parts.insert(
            6, f'<polyline points="{" ".join(points)}" fill="none" stroke="#8c959f" stroke-width="1"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
