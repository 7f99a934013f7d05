"""The database itself keeps the change log append-only.

Triggers (created by migration core 0002, extended in 0004) refuse every UPDATE and DELETE of the
log's rows (`core_objectchange`, its entries, and `core_changeset`, who/when/where of each batch), whatever the path: the ORM (`_base_manager.update()`), raw SQL, a database shell. On
PostgreSQL TRUNCATE is refused too.

Emptying a whole database is the one legitimate way to remove log rows: Django's `flush` (which
pytest-django's transactional tests run after each test), and `restore --force`. Those paths switch
the guard off for their own transaction only, explicitly, through `purging(connection)`:

* PostgreSQL: `SET LOCAL yuanjiang.changelog_purge = 'on'` — a transaction-local setting that the
  DELETE/TRUNCATE trigger checks; UPDATE stays refused even then.
* SQLite (no session settings): the DELETE trigger is dropped and created again inside the same
  transaction, so no other connection ever sees the table unguarded; UPDATE stays refused.

The guard protects against the application and its operators' tools, not against the database's
owner: whoever may drop a trigger can drop this one. Keep database credentials with the operators.
"""

import contextlib

from django.db import transaction

TABLE = "core_objectchange"
# The log's tables: its entries and the change sets (who, when, from where) they belong to.
TABLES = (TABLE, "core_changeset")
MESSAGE_UPDATE = "变更日志不可修改。"
MESSAGE_DELETE = "变更日志不可删除。"


def _sqlite_name(table: str, what: str) -> str:
    return f"yj_changelog_no_{what}" if table == TABLE else f"yj_{table}_no_{what}"


def _sqlite_delete_trigger(table: str) -> str:
    return f"""CREATE TRIGGER IF NOT EXISTS {_sqlite_name(table, "delete")} BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_DELETE}'); END"""


SQLITE_INSTALL = [
    sql
    for table in TABLES
    for sql in (
        f"""CREATE TRIGGER IF NOT EXISTS {_sqlite_name(table, "update")} BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_UPDATE}'); END""",
        _sqlite_delete_trigger(table),
    )
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {_sqlite_name(t, w)}" for t in TABLES for w in ("update", "delete")]
SQLITE_REMOVE_DELETE = [f"DROP TRIGGER IF EXISTS {_sqlite_name(t, 'delete')}" for t in TABLES]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION yj_changelog_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '{MESSAGE_UPDATE}' USING ERRCODE = 'restrict_violation';
      END IF;
      IF coalesce(current_setting('yuanjiang.changelog_purge', true), '') <> 'on' THEN
        RAISE EXCEPTION '{MESSAGE_DELETE}' USING ERRCODE = 'restrict_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NULL;
    END $$""",
] + [
    sql
    for table in TABLES
    for sql in (
        f"DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON {table}",
        f"""CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()""",
        f"DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON {table}",
        f"""CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()""",
    )
]
POSTGRES_REMOVE = [
    sql
    for table in TABLES
    for sql in (
        f"DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON {table}",
        f"DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON {table}",
    )
] + ["DROP FUNCTION IF EXISTS yj_changelog_guard()"]


def _statements(connection, install: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if connection.vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    return []  # other databases: the model-level refusal (ObjectChange.save/delete) only


def _present(connection) -> set[str]:
    return set(TABLES) & set(connection.introspection.table_names())


def install(connection):
    """Guard the log's tables that exist (a migration before the change sets' guards the entries)."""
    present = _present(connection)
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            if " ON " in sql and not any(f" ON {t}" in sql for t in present):
                continue
            cursor.execute(sql)


def remove(connection):
    present = _present(connection)
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            if (
                connection.vendor == "postgresql"
                and " ON " in sql
                and not any(f" ON {t}" in sql for t in present)
            ):
                continue
            cursor.execute(sql)


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            names = [_sqlite_name(t, w) for t in TABLES for w in ("update", "delete")]
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({})".format(
                    ", ".join(["%s"] * len(names))
                ),
                names,
            )
            return cursor.fetchone()[0] == 2 * len(TABLES)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'yj_changelog_%%'")
            return cursor.fetchone()[0] == 2 * len(TABLES)
    return False


@contextlib.contextmanager
def purging(connection):
    """Inside the block (one transaction), log rows may be deleted (never updated): for emptying a
    whole database only — `flush`, `restore --force`."""
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL yuanjiang.changelog_purge = 'on'")
            yield
            # Off again at once, also when this block is nested in a longer transaction (an error
            # inside rolls back to the savepoint, which undoes the SET LOCAL too).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL yuanjiang.changelog_purge = 'off'")
        elif connection.vendor == "sqlite" and _table_exists(connection):
            with connection.cursor() as cursor:
                for sql in SQLITE_REMOVE_DELETE:  # the DELETE triggers only: UPDATE stays refused
                    cursor.execute(sql)
            yield
            install(connection)
        else:
            yield


def _table_exists(connection) -> bool:
    return TABLE in connection.introspection.table_names()
