"""The change log against the data it logs, through repeated bulk updates, at scale.

    .venv/bin/python bench/bench_changelog.py [--size small|medium|national] [--keep PATH] [--updates 3]

Opens the dataset of bench/scale_data.py as bench/bench_scale.py does (`--keep PATH`: that SQLite file,
built there when missing; PostgreSQL when DATABASE_URL names one). The updates are made on a copy (SQLite:
the kept file copied to a scratch folder, which is deleted at the end; PostgreSQL: inside a transaction
rolled back at the end), so the build stays as bench_scale.py expects it.

It prints the size of the change log (every core_objectchange* / core_changeset* table, indexes included)
against the data tables the build logs, as "log / data", after the build, then after each of `--updates`
logged updates of every fund transaction (`QuerySet.update(amount=F("amount") + 1)`: every row really
changes; the first also sends approved records back to 草稿, more fields changed), with the bytes one
update entry costs, and the newest entry as stored and as the history pages show it (an update stores
the old values of what it changed only; its new values and text are read back: core.history.fill).
SQLite counts pages (`dbstat`); PostgreSQL counts the old row versions of the data too until VACUUM
(`pg_total_relation_size`)."""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchenv import log_against_data, open_scale_database  # noqa: E402


def ratio(connection, when: str, previous: tuple[int, int] | None = None) -> tuple[int, int]:
    from bench import scale_data
    from yuanjiang.core.models import ObjectChange

    tables = [m._meta.db_table for m in scale_data.logged_models()]
    log, _log_tables, data, _data_tables = log_against_data(connection, tables)
    rows = ObjectChange.objects.count()
    mb = 2**20
    extra = ""
    if previous is not None and rows > previous[1]:
        extra = f"; {(log - previous[0]) / (rows - previous[1]):.0f} bytes a new entry, indexes included"
    print(
        f"{when:<22} change log {rows:>8} entries {log / mb:8.1f} MB; data {data / mb:8.1f} MB; "
        f"log / data = {log / data:.2f}{extra}",
        flush=True,
    )
    return log, rows


def sample(connection):
    """The newest update entry as stored and its columns' bytes, and as the history pages show it."""
    from yuanjiang.core import history
    from yuanjiang.core.models import ObjectChange

    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    columns = [f.column for f in ObjectChange._meta.concrete_fields]
    length = "LENGTH" if connection.vendor == "sqlite" else "pg_column_size"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        newest = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {', '.join(f'{length}({connection.ops.quote_name(c)})' for c in columns)}, object_repr, "
            f"before, after FROM {table} WHERE id = %s",
            [newest],
        )
        row = cursor.fetchone()
    sizes = ", ".join(f"{c} {v or 0}" for c, v in zip(columns, row[: len(columns)], strict=True))
    print(f"  newest entry: {row[-3]!r} before {row[-2]} after {row[-1]}; bytes: {sizes}")
    (shown,) = history.fill(ObjectChange.objects.filter(id=newest).select_related("content_type"))
    print(f"  shown as: {shown.object_repr!r} before {shown.before} after {shown.after}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=("small", "medium", "national"))
    parser.add_argument("--keep", type=Path, help="SQLite file holding the build (built there when missing)")
    parser.add_argument("--updates", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        copy = None
        if args.keep is not None and args.keep.exists():
            copy = Path(tmp) / "changelog.sqlite3"
            shutil.copyfile(args.keep, copy)
            for suffix in ("-wal", "-shm"):
                side = args.keep.with_name(args.keep.name + suffix)
                if side.exists():
                    shutil.copyfile(side, copy.with_name(copy.name + suffix))
        size, sqlite_path = open_scale_database(args.size, copy or args.keep, tmp)
        from django.db import connection, transaction
        from django.db.models import F

        from yuanjiang.core.context import acting_as
        from yuanjiang.projects.models import FundTransaction

        if sqlite_path is not None and copy is None and args.keep is not None:
            connection.close()  # the build kept as it is; the updates go to a copy
            copy = Path(tmp) / "changelog.sqlite3"
            shutil.copyfile(args.keep, copy)
            from django.conf import settings

            settings.DATABASES["default"]["NAME"] = str(copy)
            connection.settings_dict["NAME"] = str(copy)
        print(
            f"{size.name} on {connection.vendor}: {FundTransaction.objects.count()} fund transactions",
            flush=True,
        )
        last = ratio(connection, "after the build")
        ratios = [last]

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                for n in range(1, args.updates + 1):
                    t0 = time.perf_counter()
                    with acting_as(None, source="bench"):
                        FundTransaction.objects.all().update(amount=F("amount") + 1)
                    print(f"update {n}: {time.perf_counter() - t0:.1f} s", flush=True)
                    last = ratio(connection, f"after update {n}", last)
                    ratios.append(last)
                    sample(connection)
                raise Rollback
        except Rollback:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
