"""The database keeps the account log (accounts_accountevent) append-only, like the change log
(core/guard.py, whose approach this follows): triggers refuse every UPDATE and DELETE (and TRUNCATE
on PostgreSQL) whatever the path. Emptying a whole database — `flush`, `restore --force` — switches
the DELETE guard off for its own transaction through `purging(connection)`.
"""

import contextlib

from django.db import transaction

TABLE = "accounts_accountevent"
MESSAGE_UPDATE = "账号日志不可修改。"
MESSAGE_DELETE = "账号日志不可删除。"
SETTING = "yuanjiang.accountlog_purge"

_SQLITE_UPDATE = f"""CREATE TRIGGER IF NOT EXISTS yj_accountlog_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_UPDATE}'); END"""
_SQLITE_DELETE = f"""CREATE TRIGGER IF NOT EXISTS yj_accountlog_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_DELETE}'); END"""
SQLITE_INSTALL = [_SQLITE_UPDATE, _SQLITE_DELETE]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS yj_accountlog_no_update",
    "DROP TRIGGER IF EXISTS yj_accountlog_no_delete",
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION yj_accountlog_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '{MESSAGE_UPDATE}' USING ERRCODE = 'restrict_violation';
      END IF;
      IF coalesce(current_setting('{SETTING}', true), '') <> 'on' THEN
        RAISE EXCEPTION '{MESSAGE_DELETE}' USING ERRCODE = 'restrict_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NULL;
    END $$""",
    f"DROP TRIGGER IF EXISTS yj_accountlog_no_update_delete ON {TABLE}",
    f"""CREATE TRIGGER yj_accountlog_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION yj_accountlog_guard()""",
    f"DROP TRIGGER IF EXISTS yj_accountlog_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER yj_accountlog_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION yj_accountlog_guard()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS yj_accountlog_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS yj_accountlog_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS yj_accountlog_guard()",
]


def _exists(connection) -> bool:
    return TABLE in connection.introspection.table_names()


def install(connection):
    statements = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL}.get(connection.vendor, [])
    if not _exists(connection):
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove(connection):
    statements = {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRES_REMOVE}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextlib.contextmanager
def purging(connection):
    """Inside the block (one transaction) account-log rows may be deleted, never updated: for
    emptying a whole database only."""
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL {SETTING} = 'on'")
            yield
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL {SETTING} = 'off'")
        elif connection.vendor == "sqlite" and _exists(connection):
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS yj_accountlog_no_delete")
            yield
            install(connection)
        else:
            yield
