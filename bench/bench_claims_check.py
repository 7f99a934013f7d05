"""Time to check a 10 000-character text against the demo (target: under 200 ms, database included).

    .venv/bin/python bench/bench_claims_check.py [CHARS]      (default 10000)

Builds the demo in a throw-away SQLite database, makes a report of CHARS characters from the seed
article's paragraphs (each copy made distinct so dedupe keeps its claims), and prints the number of
claims, of SQL queries and of distinct metrics, and the median time of 5 runs of `check_text`.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import ROOT, setup_django


def seed_text() -> str:
    for base in (os.environ.get("YJ_SHARED_DIR"), str(ROOT.parent / "shared"), None):
        path = (
            Path(base) / "seed" / "000_33cfab6a1a367774.txt"
            if base
            else ROOT / "tests" / "cnnum" / "data" / "seed" / "000_33cfab6a1a367774.txt"
        )
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit("seed article not found")


def report(chars: int) -> str:
    paragraphs = [p for p in seed_text().split("\n") if p.strip()]
    out, n = [], 0
    while sum(len(p) + 1 for p in out) < chars:
        p = paragraphs[n % len(paragraphs)]
        out.append(f"（材料A{n}）{p}")
        n += 1
    return "\n".join(out)[:chars]


def main():
    chars = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from yuanjiang.claims.services import check_text
        from yuanjiang.demo.services import demo_load
        from yuanjiang.metrics.scope import Scope
        from yuanjiang.org.periods import Period

        demo = demo_load()
        text = report(chars)
        scope = Scope(program=demo.program)
        period = Period.parse("2023-04-01:2024-06-30")
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                result = check_text(text, scope, period)
                times.append(time.perf_counter() - t0)
        ms = statistics.median(times) * 1000
        verdicts = {k: v for k, v in result.summary.items() if v}
        print(f"text: {len(text)} characters, {len(result.items)} claims; verdicts {verdicts}")
        print(
            f"queries: {len(ctx.captured_queries)} for {result.metrics_needed} distinct metrics "
            f"over {result.periods_needed} periods"
        )
        print(f"check_text: median {ms:.1f} ms of 5 (target < 200 ms) -> {'OK' if ms < 200 else 'SLOW'}")


if __name__ == "__main__":
    main()
