"""The database itself keeps the change log append-only.

Triggers (created by migration core 0002) refuse every UPDATE and DELETE of `core_objectchange`
rows, whatever the path: the ORM (`_base_manager.update()`), raw SQL, a database shell. On
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
MESSAGE_UPDATE = "变更日志不可修改。"
MESSAGE_DELETE = "变更日志不可删除。"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS yj_changelog_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_UPDATE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS yj_changelog_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_DELETE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS yj_changelog_no_update",
    "DROP TRIGGER IF EXISTS yj_changelog_no_delete",
]

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
    f"DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON {TABLE}",
    f"""CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()""",
    f"DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS yj_changelog_guard()",
]


def _statements(connection, install: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if connection.vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    return []  # other databases: the model-level refusal (ObjectChange.save/delete) only


def install(connection):
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            cursor.execute(sql)


def remove(connection):
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            cursor.execute(sql)


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'yj_changelog_%%'"
            )
            return cursor.fetchone()[0] == 2
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'yj_changelog_%%'")
            return cursor.fetchone()[0] == 2
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
                cursor.execute(SQLITE_REMOVE[1])  # the DELETE trigger only: UPDATE stays refused
            yield
            install(connection)
        else:
            yield


def _table_exists(connection) -> bool:
    return TABLE in connection.introspection.table_names()
