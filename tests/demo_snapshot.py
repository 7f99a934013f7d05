"""The demo (and the reference data), built once per test session and restored into each test that
asks for it.

`demo_load()` validates and logs every record (8–26 s). The session builds it once inside a
transaction that it rolls back, keeping the rows it wrote, table by table (the change log's rows
included); a test's `demo` fixture inserts those rows again in its own transaction, in a fraction of a
second, and gets the same `DemoResult` (the same primary keys every time). Foreign keys are
checked at commit (Django declares them DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL), so
the order of the tables does not matter; PostgreSQL's sequences are moved past the restored keys.

The same is done for `reference_load()` (regions and organizations, 0.3–0.7 s CPU each time), which
the conftest `reference` fixture — under `program`, `clerk` … in most tests — used to run per test:
`build(reference_load)` once, `restore_rows()` per test.

When the database no longer holds the rows the migrations made as they were at the build (after a
transactional test has emptied it), `restore` builds the snapshot again first.

What the demo itself does is tested by `tests/test_demo.py` against a real `demo_load()`; this is
only a faster way to arrive at the same database state.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from yuanjiang.accounts.models import User
from yuanjiang.demo.services import DemoResult, demo_load
from yuanjiang.metrics import cache as figure_cache
from yuanjiang.org.models import Program
from yuanjiang.projects.models import AidProject


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[tuple]


@dataclass
class Snapshot:
    tables: list[Table]
    models: list
    result: dict  # DemoResult with records as primary keys (the demo's snapshot only)
    baseline: dict  # model → keys of the rows present before the build (content types, migrations' data)
    load: Callable  # what the snapshot is of (demo_load, reference_load): run again when it is stale


def _models():
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def _keys(cursor, model) -> set:
    table, pk = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
    cursor.execute(f"SELECT {connection.ops.quote_name(pk)} FROM {table}")
    return {row[0] for row in cursor.fetchall()}


def _adapt(row) -> tuple:
    """A row as the driver reads it, as it can be written back (PostgreSQL: JSON values wrapped)."""
    if connection.vendor != "postgresql":
        return row
    from psycopg.types.json import Jsonb

    return tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)


def build(load: Callable = demo_load) -> Snapshot:
    """Run `load` (the demo by default) in a transaction that is rolled back; keep the rows it added."""
    models = _models()
    with transaction.atomic():
        with connection.cursor() as cursor:
            before = {m: _keys(cursor, m) for m in models}
        result = load()
        tables, written = [], []
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                columns = [c[0] for c in cursor.description]
                pk_index = columns.index(model._meta.pk.column)
                rows = [_adapt(r) for r in cursor.fetchall() if r[pk_index] not in before[model]]
                if rows:
                    tables.append(Table(table, columns, rows))
                    written.append(model)
        keys = {}
        for f in fields(DemoResult) if isinstance(result, DemoResult) else ():
            value = getattr(result, f.name)
            if isinstance(value, list):
                value = [obj.pk for obj in value]
            elif hasattr(value, "pk"):
                value = value.pk
            keys[f.name] = value
        transaction.set_rollback(True)
    baseline = {m: keys for m, keys in before.items() if keys}
    return Snapshot(tables=tables, models=written, result=keys, baseline=baseline, load=load)


def restore_rows(snapshot: Snapshot) -> None:
    """Insert the snapshot's rows again.

    The rows refer to what the migrations put in the database (content types, reference rows). A
    transactional test empties the database after it and the migrations' rows come back under other
    keys; then the snapshot no longer fits and is built again (once) for the database as it now is."""
    with connection.cursor() as cursor:
        stale = any(_keys(cursor, model) != keys for model, keys in snapshot.baseline.items())
    if stale:
        vars(snapshot).update(vars(build(snapshot.load)))
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table.name)} ({columns}) VALUES ({marks})",
                table.rows,
            )
        for sql in connection.ops.sequence_reset_sql(no_style(), snapshot.models):
            cursor.execute(sql)
        # Rows written outside the write kernel: a new state of the data for the figure cache (the
        # token goes back with this test's transaction, and no other test's rows are keyed by it).
        figure_cache.replace_token()


def restore(snapshot: Snapshot) -> DemoResult:
    """Insert the demo's rows again; return the DemoResult `demo_load()` returned."""
    restore_rows(snapshot)
    keys = snapshot.result
    projects = AidProject.objects.in_bulk(keys["projects"])
    users = User.objects.in_bulk(keys["users"])
    return DemoResult(
        program=Program.objects.get(pk=keys["program"]),
        second_program=Program.objects.get(pk=keys["second_program"]) if keys["second_program"] else None,
        projects=[projects[pk] for pk in keys["projects"]],
        outputs=keys["outputs"],
        transactions=keys["transactions"],
        reports=keys["reports"],
        users=[users[pk] for pk in keys["users"]],
        aid_funds=Decimal(keys["aid_funds"]),
        disbursed=Decimal(keys["disbursed"]),
        expended=Decimal(keys["expended"]),
    )
