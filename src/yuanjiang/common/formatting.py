"""Display of figures in the UI and exports: one place, built on cnnum.

Tables and detail pages show exact values (`exact`); report prose uses honest rounding (`honest`).
"""

from decimal import Decimal

from yuanjiang.cnnum import format_figure


def exact(value, unit: str) -> str:
    """Exact value, with 万/亿 only where they keep it exact: 4800000 元 → 480万元."""
    if value is None or value == "":
        return "—"
    return format_figure(Decimal(str(value)), unit, mode="exact")


def honest(value, unit: str, precision: int = 2) -> str:
    """Rounded the way official texts write it, never claiming more than the value: 3052000000 元 → 超30亿元."""
    if value is None or value == "":
        return "—"
    return format_figure(Decimal(str(value)), unit, mode="honest", precision=precision)


def money(value) -> str:
    return exact(value, "元")


def date(value) -> str:
    """A date as Chinese official texts write it: 2024年6月30日 (no leading zeros)."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"
