"""Benchmark of the ledger's pages and metrics as the number of projects grows.

    .venv/bin/python bench/bench_pages.py [N ...]        (default: 15 150 1500)

For each N, builds a throw-away SQLite database (under a temporary folder) with N aid projects, each
with 5 fund transactions and 2 progress reports, then measures, for the program's clerk: the number
of SQL queries and the median time (of 5) of the program overview, the project list (first page),
the records behind projects.count, and of computing all project metrics. The query counts must not
grow with N; the times show what a user waits for.
"""

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal

from benchenv import ROOT, demo_like_program, setup_django


def build(n: int):
    import datetime as dt

    from yuanjiang.accounts.models import Membership, Role, User
    from yuanjiang.core.context import acting_as
    from yuanjiang.org.services import reference_load
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    with acting_as(None, source="bench"):
        reference_load()
        program = demo_like_program(name="基准测试项目组")
        townships = list(program.townships())
        projects = AidProject.objects.bulk_create(
            AidProject(
                program=program,
                code=f"B{i:05d}",
                name=f"基准项目{i}",
                category="education",
                plan_year=2023,
                township=townships[i % len(townships)],
                aid_funds=Decimal("1000000"),
                actual_start=dt.date(2023, 6, 1) if i % 4 else None,
            )
            for i in range(n)
        )
        FundTransaction.objects.bulk_create(
            FundTransaction(
                project=p,
                kind=k,
                date=dt.date(2023, 7, 1),
                amount=Decimal("200000"),
                review_status="approved",
            )
            for p in projects
            for k in ("commitment", "disbursement", "disbursement", "expenditure", "expenditure")
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(
                project=p, report_date=dt.date(2024, m, 1), progress_percent=50, review_status="approved"
            )
            for p in projects
            for m in (1, 5)
        )
        user = User.objects.create_user("bench_clerk", password="x")
        Membership.objects.create(user=user, program=program, role=Role.CLERK)
    return program, user


def measure(fn, runs=5):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a request resets the query log; start from an empty one so the count is right
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)  # read now: the next request clears the log it slices
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return queries, statistics.median(times) * 1000


def main(sizes: list[int]):
    for n in sizes:
        with tempfile.TemporaryDirectory() as var_dir:
            # A fresh process per size: Django is set up once per process, on that size's database.
            code = (
                f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]; "
                f"from bench.bench_pages import run_one; run_one({n}, {var_dir!r})"
            )
            os.spawnv(os.P_WAIT, sys.executable, [sys.executable, "-c", code])


def run_one(n: int, var_dir: str):
    setup_django(var_dir)
    from django.test import Client

    from yuanjiang.metrics.registry import evaluate
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.periods import Period

    program, user = build(n)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    period = Period.parse("2023-04-01:2024-06-30")
    checks = {
        "program overview": lambda: client.get(f"/programs/{program.slug}/?period={period.token}"),
        "project list (page 1)": lambda: client.get("/projects/"),
        "records of projects.count": lambda: client.get(
            f"/metrics/projects.count/?program={program.slug}&period={period.token}"
        ),
        "all project metrics": lambda: evaluate(None, Scope(program=program), period),
    }
    print(f"N = {n} projects ({5 * n} fund transactions, {2 * n} progress reports)")
    for name, fn in checks.items():
        response = fn()
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status}")
        queries, ms = measure(fn)
        print(f"  {name:<28}{queries:>4} queries  {ms:>9.1f} ms")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [15, 150, 1500])
