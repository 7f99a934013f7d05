"""Benchmark of the ledger export (interop.exporting).

    .venv/bin/python bench/bench_export.py [ROWS]        (default: 10 000)

Builds a throw-away SQLite database (a temporary folder; or DATABASE_URL's database when
BENCH_DATABASE_URL is set), the reference data and one program, creates ROWS aid projects through
the logged bulk path, then exports the program's project ledger (every column of the ledger, a
township per row) to a temporary .xlsx as `./yj export projects` does. Prints the time, the
number of queries, the file's size and the process's peak memory (max RSS) before and after.
"""

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal

from benchenv import demo_like_program, setup_django


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, os.environ.get("BENCH_DATABASE_URL"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from yuanjiang.core.context import acting_as
        from yuanjiang.interop import exporting
        from yuanjiang.org.services import reference_load
        from yuanjiang.projects.models import AidProject

        with acting_as(None, source="bench"):
            reference_load()
            program = demo_like_program()
            townships = list(program.townships())
            AidProject.objects.bulk_create(
                [
                    AidProject(
                        program=program,
                        code=f"B{i:05d}",
                        name=f"基准项目{i}（伊宁县第{i % 7 + 1}中学教学楼）",
                        category="education",
                        plan_year=2023 + i % 3,
                        township=townships[i % len(townships)],
                        implementing_unit="伊宁县教育局",
                        total_investment=Decimal(i * 300 + 1234567) / 100,
                        aid_funds=Decimal(i * 100 + 1000000) / 100,
                        planned_start=dt.date(2023, 4 + i % 9, 1 + i % 27),
                        actual_start=dt.date(2023, 5 + i % 7, 1 + i % 27),
                    )
                    for i in range(rows)
                ],
                batch_size=2000,
            )
        sheet = exporting.for_program(exporting.sheet_for_kind("projects"), program)
        queryset = AidProject.objects.filter(program=program)
        rss_before = _max_rss_mb()
        with tempfile.TemporaryFile() as out, CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            written = exporting.export_queryset(out, sheet, queryset)
            seconds = time.perf_counter() - start
            size = out.tell()
        print(f"导出 · export: {written} rows × {len(sheet.columns)} columns in {seconds:.2f} s")
        print(f"queries: {len(queries)}; file: {size / 1e6:.2f} MB")
        print(f"peak RSS: {rss_before:.0f} MB before, {_max_rss_mb():.0f} MB after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
