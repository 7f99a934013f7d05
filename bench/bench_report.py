"""Benchmark of the demo report card in every format.

    .venv/bin/python bench/bench_report.py [REPEAT]        (default: 5)

Builds the demo dataset in a throw-away SQLite database (a temporary folder), then for the seed
period (2023-04-01:2024-06-30) measures, for each format, the number of SQL queries and the median
time (of REPEAT runs) of computing the report card and rendering it, and the size of the output. The
report card is computed from the records every time (no cache).
"""

import statistics
import sys
import tempfile
import time

from benchenv import setup_django


def main(argv: list[str]) -> int:
    repeat = int(argv[0]) if argv else 5
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from yuanjiang.demo.services import demo_load
        from yuanjiang.metrics.scope import Scope
        from yuanjiang.org.models import Program
        from yuanjiang.org.periods import Period
        from yuanjiang.reports import definition as defs
        from yuanjiang.reports import render, services

        demo_load()
        program = Program.objects.get(slug="nantong-yining-11")
        period = Period.parse("2023-04-01:2024-06-30")
        names = [n for n in ("seed_full", "default") if _loads(defs, n)]
        definition = defs.load(names[0])
        print(f"demo report card '{definition.name}', {program.slug}, {period.token}, median of {repeat}")
        print(f"{'format':<8}{'queries':>8}{'median ms':>12}{'bytes':>10}")
        for fmt in render.FORMATS:
            times, size, queries = [], 0, 0
            for _ in range(repeat):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    report = services.report_build(definition, Scope(program=program), period)
                    content = render.render(report, fmt)
                times.append(time.perf_counter() - start)
                size, queries = len(content), len(ctx.captured_queries)
            print(f"{fmt:<8}{queries:>8}{statistics.median(times) * 1000:>12.1f}{size:>10}")
    return 0


def _loads(defs, name) -> bool:
    try:
        defs.load(name)
    except defs.DefinitionError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
