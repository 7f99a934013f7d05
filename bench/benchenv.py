"""The Django set-up every benchmark script shares: the project's sources on the path, a throw-away
var directory, production-like settings (no debug query log), a strong key (weak ones are refused)
and a migrated database (a fresh SQLite file in `var_dir`, the SQLite file `sqlite_path`, or
`database_url`). Also the sizes of tables on disk, for the change log against the data it logs."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT):  # the product, and `bench.<module>` for the scripts
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# The change log's tables: every table whose name starts with one of these (core_objectchange today;
# a change-set table or a split of the log is counted as well).
CHANGE_LOG_PREFIXES = ("core_objectchange", "core_changeset")


def setup_django(
    var_dir: str, database_url: str | None = None, migrate: bool = True, sqlite_path: Path | None = None
):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["YJ_VAR_DIR"] = var_dir
    os.environ["YJ_DEMO"] = "0"
    os.environ["YJ_DEBUG"] = "0"  # as in production: no debug query log, no debug pages
    os.environ["YJ_HTTPS"] = "0"  # the test client speaks plain HTTP (no redirect to https://)
    os.environ.setdefault("YJ_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    if sqlite_path is not None and not database_url:
        from django.conf import settings

        settings.DATABASES["default"]["NAME"] = str(sqlite_path)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def table_sizes(connection, tables) -> dict[str, int]:
    """Bytes of each table with its indexes (SQLite: dbstat; PostgreSQL: pg_total_relation_size,
    which counts dead row versions too until VACUUM)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name "
                "GROUP BY m.tbl_name"
            )
            found = dict(cursor.fetchall())
            return {t: found.get(t, 0) for t in tables}
        sizes = {}
        for table in tables:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            sizes[table] = cursor.fetchone()[0]
        return sizes


def change_log_tables(connection) -> list[str]:
    """Every table of the change log (CHANGE_LOG_PREFIXES) in the database."""
    return sorted(t for t in connection.introspection.table_names() if t.startswith(CHANGE_LOG_PREFIXES))


def log_against_data(connection, data_tables) -> tuple[int, dict[str, int], int, dict[str, int]]:
    """(bytes of the change log, by table; bytes of `data_tables`, by table), indexes included."""
    log = table_sizes(connection, change_log_tables(connection))
    data = table_sizes(connection, data_tables)
    return sum(log.values()), log, sum(data.values()), data


def demo_like_program(slug: str = "bench", name: str = "基准项目组"):
    """A work group like the demo's (南通 → 伊宁县, batch 11, term 2023-04-01 to 2026-03-31), on the
    loaded reference data. Call inside `acting_as` after `reference_load()`."""
    import datetime as dt

    from yuanjiang.org.models import Organization, Program, Region

    return Program.objects.create(
        slug=slug,
        name=name,
        provider=Organization.objects.get(slug="nantong-wg"),
        recipient_region=Region.objects.get(code="654021"),
        batch=11,
        term_start=dt.date(2023, 4, 1),
        term_end=dt.date(2026, 3, 31),
    )


def open_scale_database(size_name: str, keep: Path | None, tmp: str, filename: str = "scale.sqlite3"):
    """Set Django up on the scale benchmarks' database and make sure it holds the `size_name` build.

    PostgreSQL when DATABASE_URL names one, else a SQLite file (`keep`, reused when it already holds
    that build; or a scratch file in `tmp`). Builds the dataset when missing (bench/scale_data.py),
    adds its users. Returns the size and the SQLite file (None on PostgreSQL)."""
    import time

    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith("postgres")
    sqlite_path = None if on_postgres else (keep.resolve() if keep else Path(tmp) / filename)
    if sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    setup_django(tmp, database_url if on_postgres else None, sqlite_path=sqlite_path)
    from django.db import connection

    from bench import scale_data

    size = scale_data.SIZES[size_name]
    state = scale_data.built_size(size)
    if state is False:
        raise SystemExit(
            f"数据库中已有其他数据（不是 {size.name} 规模的基准数据）：请换一个空数据库或另一个 --keep 文件。"
        )
    if state is None:
        print(f"building {size.name} on {connection.vendor} …", flush=True)
        t0 = time.perf_counter()
        scale_data.build(size)
        print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    else:
        print(f"reusing the {size.name} build on {connection.vendor}", flush=True)
    scale_data.add_users()
    return size, sqlite_path
