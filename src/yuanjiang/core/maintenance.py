"""Database maintenance: planner statistics, so that queries pick the right index.

SQLite chooses between indexes from the statistics ANALYZE leaves in `sqlite_stat1`. Without them it
guesses, and at the national size it guesses wrong: the project page's history lookup read nearly
all 280 000 change-log rows through the content-type index (199 ms) instead of the object-id index
(0.4 ms). SQLite never gathers statistics by itself, so the product does:

* after `migrate` (post_migrate, once per run; not after `flush`), after the demo build
  (demo.services), after an import (the importer calls `optimize()`), by `./yj maintain`;
* periodically: when a server process opens an SQLite connection and the last check in that process
  is more than `YJ_DB_OPTIMIZE_SECONDS` (default 3600) old;
* for one table, after each chunk of a logged bulk insert into it (`after_insert`), when its
  statistics no longer fit it.

`optimize()` per vendor:

* SQLite: ANALYZE of every table whose statistics are missing or stale (the table grew tenfold or shrank to a tenth
  since it was analyzed), then `PRAGMA optimize`. A check of fresh statistics is a few index probes
  (`max(rowid)` per table), so calling it often costs nothing. An empty table gets statistics too: ANALYZE
  writes none for it, and without any SQLite takes it for a large table, so a query over an empty
  table and a big one started with the big one (the organization overview's `education.school_places`,
  over the still empty project outputs, read the country's 30 000 projects first: 11 ms instead of
  0.01). Each index of an empty table is recorded as holding one row (`sqlite_stat1`: "1 1 …", what
  ANALYZE writes for a one-row table); once the table holds `STALE_MIN_ROWS` rows it is analyzed.
* PostgreSQL: VACUUM (ANALYZE) of the whole database (ANALYZE alone inside a transaction): statistics,
  and the visibility map that index-only scans need; autovacuum keeps both fresh between big writes.
"""

import logging
import os
import threading
import time

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

# Rows ANALYZE reads per index on SQLite; 0: all of them. Sampling (e.g. 1000) is a hundred times
# faster but misjudges indexes of few distinct values: at the national size it rated review_status
# (one value in 150 000 rows) as selective, and the records page went through it. A full ANALYZE of
# the national dataset takes about 0.3 s, and runs only where statistics are missing or stale.
ANALYSIS_LIMIT = 0
# Statistics are stale when a table's size moved by this factor since it was analyzed.
STALE_FACTOR = 10
# Below this many rows a table is not re-analyzed for growth (its plan hardly matters).
STALE_MIN_ROWS = 100


def _interval() -> float:
    try:
        return float(os.environ.get("YJ_DB_OPTIMIZE_SECONDS", "3600"))
    except ValueError:
        return 3600.0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stale_sqlite_tables(cursor) -> list[str]:
    """Tables holding rows whose statistics are missing (the table, or one of its indexes: a migration
    added it) or stale (the table grew tenfold or shrank to a tenth)."""
    cursor.execute(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%' "
        "ORDER BY tbl_name"
    )
    indexes: dict[str, set[str]] = {}
    for table, index in cursor.fetchall():
        indexes.setdefault(table, set()).add(index)
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    analyzed: dict[str, int] = {}
    analyzed_indexes: set[str] = set()
    if cursor.fetchone()[0]:
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
        for tbl, idx, stat in cursor.fetchall():
            analyzed_indexes.add(idx)
            try:
                analyzed[tbl] = max(analyzed.get(tbl, 0), int(str(stat).split()[0]))
            except (ValueError, IndexError):
                analyzed[tbl] = 0
    stale = []
    for table, names in indexes.items():
        if table == "sqlite_stat1":
            continue
        # max(rowid) is one probe of the table's b-tree: a cheap size estimate for tables that grow.
        try:
            cursor.execute(f"SELECT max(rowid) FROM {_quote(table)}")
        except Exception:  # a WITHOUT ROWID table: count it instead (small reference tables)
            cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        size = cursor.fetchone()[0] or 0
        if table not in analyzed or not names <= analyzed_indexes:  # new table or new index
            if size:
                stale.append(table)
            continue
        if _stale(analyzed[table], size):
            stale.append(table)
    return stale


def _stale(before: int, size: int) -> bool:
    """Statistics recorded for `before` rows misjudge a table of `size` rows."""
    return (
        size >= STALE_FACTOR * max(before, STALE_MIN_ROWS)
        or (before >= 1000 and size * STALE_FACTOR <= before)
        or (before <= 1 and size >= STALE_MIN_ROWS)  # an empty table's statistics (below)
    )


def after_insert(model, using: str = DEFAULT_DB_ALIAS) -> bool:
    """After a bulk insert into `model`'s table (DomainQuerySet.bulk_create, per chunk): on SQLite,
    re-analyze that table at once if its statistics now misjudge it — inside the writer's
    transaction, so the writer's own next queries are planned right. Statistics that still say
    "empty" (or a tenth of the rows) make SQLite scan the whole table for `id IN (…)` lookups: the
    logged update() of 150 000 rows just inserted took minutes instead of seconds. Two index probes
    when the statistics are fresh. Returns whether it analyzed."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return False  # no statistics at all: SQLite's own guesses assume large tables
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        stats = [row[0] for row in cursor.fetchall()]
        if not stats:
            return False
        try:
            before = max(int(str(stat).split()[0]) for stat in stats)
        except (ValueError, IndexError):
            before = 0
        cursor.execute(f"SELECT max(rowid) FROM {_quote(table)}")
        size = cursor.fetchone()[0] or 0
        if not _stale(before, size):
            return False
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute(f"ANALYZE {_quote(table)}")
    return True


def empty_sqlite_tables(cursor) -> dict[str, list[str]]:
    """Empty tables with indexes whose statistics are missing: {table: [its indexes]}."""
    cursor.execute(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%' "
        "ORDER BY tbl_name, name"
    )
    indexes: dict[str, list[str]] = {}
    for table, index in cursor.fetchall():
        indexes.setdefault(table, []).append(index)
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    analyzed: set[str] = set()
    if cursor.fetchone()[0]:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL")
        analyzed = {row[0] for row in cursor.fetchall()}
    empty = {}
    for table, names in indexes.items():
        if set(names) <= analyzed:
            continue
        cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
        if cursor.fetchone() is None:
            empty[table] = names
    return empty


def _record_empty(cursor, tables: dict[str, list[str]]):
    """Statistics of empty tables, as ANALYZE would write them for one row in each: "1" then one "1"
    per column of the index (rows per distinct prefix), then loaded (ANALYZE sqlite_master)."""
    if not tables:
        return
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    if not cursor.fetchone()[0]:
        cursor.execute(f"ANALYZE {_quote(next(iter(tables)))}")  # creates sqlite_stat1, writes nothing
    for table, names in tables.items():
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        for name in names:
            cursor.execute(f"PRAGMA index_info({_quote(name)})")
            columns = len(cursor.fetchall())
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                [table, name, " ".join(["1"] * (columns + 1))],
            )
    cursor.execute("ANALYZE sqlite_master")  # load the statistics written by hand


def optimize(using: str = DEFAULT_DB_ALIAS, *, full: bool = False, wait_ms: int | None = None) -> list[str]:
    """Refresh the planner statistics where they are missing or stale (all of them with `full`).
    Returns what was analyzed (table names on SQLite, empty ones given statistics included; ["*"]
    for a whole database). `wait_ms`: on
    SQLite, give up (OperationalError "database is locked") rather than wait longer for a writer."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if wait_ms is not None:
                cursor.execute("PRAGMA busy_timeout")
                busy = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
            try:
                cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                if full:
                    cursor.execute("ANALYZE")
                    done = ["*"]
                else:
                    done = stale_sqlite_tables(cursor)
                    for table in done:
                        cursor.execute(f"ANALYZE {_quote(table)}")
                cursor.execute("PRAGMA optimize")
                # After PRAGMA optimize, which may ANALYZE an empty table (and so remove its rows).
                empty = empty_sqlite_tables(cursor)
                _record_empty(cursor, empty)
                if not full:
                    done += [table for table in empty if table not in done]
            finally:
                if wait_ms is not None:
                    cursor.execute(f"PRAGMA busy_timeout={int(busy)}")
        return done
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Outside a transaction, VACUUM as well: after a bulk load it marks the pages all-visible,
            # so that covering indexes answer without reading the table (index-only scans) at once,
            # not after autovacuum's turn (or never, where autovacuum is off).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        return ["*"]
    return []


# -- when it runs ---------------------------------------------------------------------------------

_last_check: dict[str, float] = {}
_lock = threading.Lock()


def on_connection_created(sender, connection, **kwargs):
    """Periodic check on SQLite: at most once per `YJ_DB_OPTIMIZE_SECONDS` per process, when a
    connection opens (servers reopen theirs every CONN_MAX_AGE seconds). Never fails the request."""
    if connection.vendor != "sqlite" or str(connection.settings_dict.get("NAME", "")).startswith(
        ("file:", ":memory:")
    ):
        return
    now = time.monotonic()
    with _lock:
        last = _last_check.get(connection.alias)
        if last is not None and now - last < _interval():
            return
        _last_check[connection.alias] = now
    try:
        optimize(connection.alias, wait_ms=200)
    except Exception:  # a locked or read-only database: try again at the next interval
        log.warning("SQLite optimize failed", exc_info=True)


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """After `migrate` (which passes a plan; `flush` emits post_migrate without one)."""
    if plan is None:
        return
    optimize(using)


def after_bulk_create(write):
    """Kernel hook: `after_insert` once a bulk insert's chunk is in."""
    if write.origin == "bulk_create":
        after_insert(write.model, write.using)
