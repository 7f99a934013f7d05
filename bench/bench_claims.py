"""Benchmark of the claims extractor.

    .venv/bin/python bench/bench_claims.py [N]

Prints the mean time to extract a ~10 000-character report (built from the seed article and the
test texts, or from the test texts alone if the shared folder is absent) over N runs, the time for a
text at the size limit (MAX_CHARS), and the time to refuse a 10 MB text.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yuanjiang.cnnum import MAX_CHARS, TextTooLarge, extract_claims  # noqa: E402
from yuanjiang.cnnum.evaluate import seed_files  # noqa: E402


def corpus() -> str:
    parts = [txt.read_text(encoding="utf-8-sig") for txt, _ in seed_files(ROOT)]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/cnnum/data").glob("*.txt"))]
    if not parts:
        raise SystemExit("no texts found")
    return "\n".join(parts)


def report_of(size: int, base: str) -> str:
    out = base
    while len(out) < size:
        out += "\n" + base
    return out[:size]


def timed(fn, n: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.mean(times), result


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50
    base = corpus()
    text = report_of(10_000, base)
    extract_claims(text)  # warm up (regex compilation)
    mean, claims = timed(lambda: extract_claims(text), n)
    print(f"10 000-character report: {mean * 1000:.1f} ms per extraction (mean of {n}), {len(claims)} claims")

    big = report_of(MAX_CHARS, base)
    mean_big, claims_big = timed(lambda: extract_claims(big), 1)
    print(f"{len(big):,}-character text (the limit): {mean_big:.2f} s, {len(claims_big)} claims")

    chars = 10_000_000 * len(base) // len(base.encode("utf-8")) + 1000  # ≥ 10 MB of UTF-8
    ten_mb = report_of(chars, base)
    t0 = time.perf_counter()
    try:
        extract_claims(ten_mb)
        print("10 MB text: extracted (unexpected)")
    except TextTooLarge as exc:
        print(
            f"10 MB text ({len(ten_mb.encode()):,} bytes): refused in {(time.perf_counter() - t0) * 1000:.2f} ms: {exc}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
