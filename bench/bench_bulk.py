"""Benchmark of logged bulk writes: fund transactions created and updated through the change log.

    .venv/bin/python bench/bench_bulk.py [--rows 150000] [--programs 209] [--per-project 5] [--delete]
        [--review-status approved|draft]

Builds, in a throw-away database, `--programs` programs and rows/per-project projects (logged
`bulk_create`), then `--rows` fund transactions over them (logged `bulk_create`, in slices of 10 000
as an importer would hand them over), then updates every transaction through the logged `update()`
(each amount + 1 元, so every row really changes and is logged), and with `--delete` deletes them all
through the logged `QuerySet.delete()`. For each step it prints the seconds,
the CPU seconds of this process (the wall-clock seconds less the time the database and other
processes took), the SQL queries, the peak resident memory during the step (sampled every 20 ms), and
the change-log rows written; then the
size of the change log (its entries and their change sets) against the size of the data tables it logs (tables with their indexes:
SQLite `dbstat`, PostgreSQL `pg_total_relation_size`, which after the update still counts the old row
versions until VACUUM), after the build and after the update, and checks that every row was logged.

Database: a temporary SQLite file, or, when DATABASE_URL names a PostgreSQL database, a new database
`<its name>_bench_<pid>` on that server, dropped at the end (the named database is not touched).
"""

import argparse
import os
import resource
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SLICE = 10_000


class Step:
    """Seconds, queries, peak RSS (sampled) and log rows of one step."""

    def __init__(self, name, connection, changes):
        self.name, self.connection, self.changes = name, connection, changes

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self):
        self.queries, self.peak = 0, _rss_mb()
        self.logged_before = self.changes.objects.count()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._wrapper = self.connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        self.start, self.cpu_start = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu = time.process_time() - self.cpu_start
        self._wrapper.__exit__(*exc)
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())
        if exc[0] is None:
            self.logged = self.changes.objects.count() - self.logged_before
            print(
                f"{self.name:<38}{self.seconds:>9.1f}{self.cpu:>9.1f}{self.queries:>9}{self.peak:>10.0f}"
                f"{self.logged:>10}",
                flush=True,
            )


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _report_sizes(connection, when: str) -> float:
    """Print the change log's size against the data tables it logs; return their ratio."""
    from benchenv import log_against_data

    from yuanjiang.core.models import ObjectChange
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject, FundTransaction

    tables = [m._meta.db_table for m in (AidProject, FundTransaction, Program)]
    log, _log_tables, data, sizes = log_against_data(connection, tables)
    rows = ObjectChange.objects.count()
    detail = ", ".join(f"{t} {size / 2**20:.1f} MB" for t, size in sizes.items())
    print(
        f"{when}: change log {rows} rows, {log / 2**20:.1f} MB ({log / rows:.0f} bytes a row, indexes "
        f"included); data it logs {data / 2**20:.1f} MB ({detail}); log / data = {log / data:.2f}",
        flush=True,
    )
    return log / data


def _postgres_database(url: str):
    """A new database next to DATABASE_URL's: (its URL, a function dropping it)."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'yj'}_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path="/" + name)), drop


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150_000, help="fund transactions (default 150000)")
    parser.add_argument("--programs", type=int, default=209, help="programs (default 209)")
    parser.add_argument("--per-project", type=int, default=5, help="transactions per project (default 5)")
    parser.add_argument(
        "--delete", action="store_true", help="then delete every fund transaction (QuerySet.delete(), logged)"
    )
    parser.add_argument(
        "--review-status",
        default="approved",
        choices=("approved", "draft"),
        help="of the transactions built (default approved: the update sends each back to 草稿, a second"
        " write and longer entries; draft measures the write path alone)",
    )
    args = parser.parse_args(argv)
    drop = None
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as var_dir:
        if url.startswith(("postgres://", "postgresql://")):
            os.environ["DATABASE_URL"], drop = _postgres_database(url)
        else:
            os.environ.pop("DATABASE_URL", None)
        os.environ["YJ_VAR_DIR"] = var_dir
        os.environ["YJ_DEMO"] = "0"
        os.environ["YJ_DEBUG"] = "0"
        os.environ.setdefault("YJ_SECRET_KEY", secrets.token_urlsafe(50))  # weak keys are refused
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
        try:
            return run(args)
        finally:
            if drop is not None:
                from django.db import connections

                connections.close_all()
                drop()


def run(args) -> int:
    import datetime as dt
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F

    from yuanjiang.core.context import acting_as
    from yuanjiang.core.models import ObjectChange
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.org.services import reference_load
    from yuanjiang.projects.models import AidProject, FundTransaction

    call_command("migrate", verbosity=0)
    reference_load()
    providers = list(Organization.objects.order_by("pk")[:20])
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("pk")) or list(
        Region.objects.order_by("pk")[:20]
    )
    n_projects = max(1, args.rows // args.per_project)
    print(
        f"{connection.vendor}: {args.programs} programs, {n_projects} projects, {args.rows} fund transactions"
    )
    print(f"{'step':<38}{'seconds':>9}{'cpu s':>9}{'queries':>9}{'peak MB':>10}{'logged':>10}")
    with acting_as(None, source="bench"):
        with Step("programs (save)", connection, ObjectChange), transaction.atomic():
            programs = [
                Program.objects.create(
                    slug=f"bench-{i}",
                    name=f"基准工作组{i}（第{9 + i % 3}批）",
                    provider=providers[i % len(providers)],
                    recipient_region=counties[i % len(counties)],
                    batch=9 + i % 3,
                    term_start=dt.date(2017 + 3 * (i % 3), 1, 1),
                    term_end=dt.date(2019 + 3 * (i % 3), 12, 31),
                )
                for i in range(args.programs)
            ]
        with Step("projects (bulk_create)", connection, ObjectChange):
            AidProject.objects.bulk_create(
                AidProject(
                    program=programs[i % len(programs)],
                    code=f"P{i:06d}",
                    name=f"援疆项目{i}",
                    category=("education", "health", "industry")[i % 3],
                    plan_year=2017 + i % 9,
                    total_investment=Decimal(2_000_000 + i),
                    aid_funds=Decimal(1_500_000 + i),
                    actual_start=dt.date(2017 + i % 9, 5, 1) if i % 2 else None,
                )
                for i in range(n_projects)
            )
        project_ids = list(AidProject.objects.order_by("pk").values_list("pk", flat=True))
        with Step(f"fund transactions (bulk_create ×{SLICE})", connection, ObjectChange):
            for start in range(0, args.rows, SLICE):
                FundTransaction.objects.bulk_create(
                    FundTransaction(
                        project_id=project_ids[i % len(project_ids)],
                        kind=("commitment", "disbursement", "expenditure")[i % 3],
                        date=dt.date(2017 + i % 9, 1 + i % 12, 1 + i % 28),
                        amount=Decimal(10_000 + i % 90_000),
                        review_status=args.review_status,
                    )
                    for i in range(start, min(start + SLICE, args.rows))
                )
        fresh = _report_sizes(connection, "after the build (creates only)")
        with Step("all fund transactions (update)", connection, ObjectChange) as step:
            updated = FundTransaction.objects.all().update(amount=F("amount") + 1)
        assert updated == args.rows, updated
        assert step.logged == args.rows, (step.logged, args.rows)
        final = _report_sizes(connection, "after the update")
        if args.delete:
            with Step("all fund transactions (delete)", connection, ObjectChange) as step:
                deleted, _per_model = FundTransaction.objects.all().delete()
            assert deleted == args.rows and step.logged == args.rows, (deleted, step.logged)
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"log / data: {fresh:.2f} after the build, {final:.2f} after the update")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
