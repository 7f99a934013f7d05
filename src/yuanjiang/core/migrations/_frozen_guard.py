"""The change log guard's statements as the migrations 0002–0004 ran them (yuanjiang.core.guard at the
time), kept here so that those migrations never import live code: a later change of the guard's
module cannot change what they did. (Django does not take a module starting with _ for a migration.)"""

GUARD = {
    "sqlite": {
        "install": [
            (
                "core_objectchange",
                "CREATE TRIGGER IF NOT EXISTS yj_changelog_no_update BEFORE UPDATE ON "
                "core_objectchange\n"
                "    BEGIN SELECT RAISE(ABORT, '变更日志不可修改。'); END",
            ),
            (
                "core_objectchange",
                "CREATE TRIGGER IF NOT EXISTS yj_changelog_no_delete BEFORE DELETE ON "
                "core_objectchange\n"
                "    BEGIN SELECT RAISE(ABORT, '变更日志不可删除。'); END",
            ),
            (
                "core_changeset",
                "CREATE TRIGGER IF NOT EXISTS yj_core_changeset_no_update BEFORE UPDATE ON "
                "core_changeset\n"
                "    BEGIN SELECT RAISE(ABORT, '变更日志不可修改。'); END",
            ),
            (
                "core_changeset",
                "CREATE TRIGGER IF NOT EXISTS yj_core_changeset_no_delete BEFORE DELETE ON "
                "core_changeset\n"
                "    BEGIN SELECT RAISE(ABORT, '变更日志不可删除。'); END",
            ),
        ],
        "remove": [
            (None, "DROP TRIGGER IF EXISTS yj_changelog_no_update"),
            (None, "DROP TRIGGER IF EXISTS yj_changelog_no_delete"),
            (None, "DROP TRIGGER IF EXISTS yj_core_changeset_no_update"),
            (None, "DROP TRIGGER IF EXISTS yj_core_changeset_no_delete"),
        ],
    },
    "postgresql": {
        "install": [
            (
                None,
                "CREATE OR REPLACE FUNCTION yj_changelog_guard() RETURNS trigger LANGUAGE "
                "plpgsql AS $$\n"
                "    BEGIN\n"
                "      IF TG_OP = 'UPDATE' THEN\n"
                "        RAISE EXCEPTION '变更日志不可修改。' USING ERRCODE = 'restrict_violation';\n"
                "      END IF;\n"
                "      IF coalesce(current_setting('yuanjiang.changelog_purge', true), '') <> "
                "'on' THEN\n"
                "        RAISE EXCEPTION '变更日志不可删除。' USING ERRCODE = 'restrict_violation';\n"
                "      END IF;\n"
                "      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                "      RETURN NULL;\n"
                "    END $$",
            ),
            (
                "core_objectchange",
                "DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_objectchange",
            ),
            (
                "core_objectchange",
                "CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON "
                "core_objectchange\n"
                "    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()",
            ),
            ("core_objectchange", "DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_objectchange"),
            (
                "core_objectchange",
                "CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON core_objectchange\n"
                "    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()",
            ),
            ("core_changeset", "DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_changeset"),
            (
                "core_changeset",
                "CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON "
                "core_changeset\n"
                "    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()",
            ),
            ("core_changeset", "DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_changeset"),
            (
                "core_changeset",
                "CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON core_changeset\n"
                "    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()",
            ),
        ],
        "remove": [
            (
                "core_objectchange",
                "DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_objectchange",
            ),
            ("core_objectchange", "DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_objectchange"),
            ("core_changeset", "DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_changeset"),
            ("core_changeset", "DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_changeset"),
            (None, "DROP FUNCTION IF EXISTS yj_changelog_guard()"),
        ],
    },
}


def guard(schema_editor, action):
    """Run the frozen statements of `action` for this database, skipping tables not created yet."""
    connection = schema_editor.connection
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, sql in GUARD.get(connection.vendor, {}).get(action, []):
            if table is None or table in present:
                cursor.execute(sql)
