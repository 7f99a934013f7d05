"""Indexes for the history lookup (common.views.history_for): (content type, object id) and (related
content type, related object id). They replace the four single-column indexes on those columns, which
SQLite without statistics picked for that lookup (the content type's, reading most of the log) and
which the composite ones make redundant.

The single-column indexes are dropped in place (no table rebuild: on SQLite a rebuild would drop the
change-log guard's triggers, core.guard); the triggers are checked and reinstalled anyway."""

from django.db import migrations, models

TABLE = "core_objectchange"
COLUMNS = ("content_type_id", "object_id", "related_content_type_id", "related_object_id")



# The change log's guard statements (yuanjiang.core.guard), frozen as this migration runs them: a migration never imports live code, so a later
# change to the guard's module cannot change what this migration did.
GUARD = {'sqlite': {'install': [('core_objectchange',
                         'CREATE TRIGGER IF NOT EXISTS yj_changelog_no_update BEFORE UPDATE ON '
                         'core_objectchange\n'
                         "    BEGIN SELECT RAISE(ABORT, '变更日志不可修改。'); END"),
                        ('core_objectchange',
                         'CREATE TRIGGER IF NOT EXISTS yj_changelog_no_delete BEFORE DELETE ON '
                         'core_objectchange\n'
                         "    BEGIN SELECT RAISE(ABORT, '变更日志不可删除。'); END"),
                        ('core_changeset',
                         'CREATE TRIGGER IF NOT EXISTS yj_core_changeset_no_update BEFORE UPDATE ON '
                         'core_changeset\n'
                         "    BEGIN SELECT RAISE(ABORT, '变更日志不可修改。'); END"),
                        ('core_changeset',
                         'CREATE TRIGGER IF NOT EXISTS yj_core_changeset_no_delete BEFORE DELETE ON '
                         'core_changeset\n'
                         "    BEGIN SELECT RAISE(ABORT, '变更日志不可删除。'); END")],
            'remove': [(None, 'DROP TRIGGER IF EXISTS yj_changelog_no_update'),
                       (None, 'DROP TRIGGER IF EXISTS yj_changelog_no_delete'),
                       (None, 'DROP TRIGGER IF EXISTS yj_core_changeset_no_update'),
                       (None, 'DROP TRIGGER IF EXISTS yj_core_changeset_no_delete')]},
 'postgresql': {'install': [(None,
                             'CREATE OR REPLACE FUNCTION yj_changelog_guard() RETURNS trigger LANGUAGE '
                             'plpgsql AS $$\n'
                             '    BEGIN\n'
                             "      IF TG_OP = 'UPDATE' THEN\n"
                             "        RAISE EXCEPTION '变更日志不可修改。' USING ERRCODE = 'restrict_violation';\n"
                             '      END IF;\n'
                             "      IF coalesce(current_setting('yuanjiang.changelog_purge', true), '') <> "
                             "'on' THEN\n"
                             "        RAISE EXCEPTION '变更日志不可删除。' USING ERRCODE = 'restrict_violation';\n"
                             '      END IF;\n'
                             "      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                             '      RETURN NULL;\n'
                             '    END $$'),
                            ('core_objectchange',
                             'DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_objectchange'),
                            ('core_objectchange',
                             'CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON '
                             'core_objectchange\n'
                             '    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()'),
                            ('core_objectchange',
                             'DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_objectchange'),
                            ('core_objectchange',
                             'CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON core_objectchange\n'
                             '    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()'),
                            ('core_changeset',
                             'DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_changeset'),
                            ('core_changeset',
                             'CREATE TRIGGER yj_changelog_no_update_delete BEFORE UPDATE OR DELETE ON '
                             'core_changeset\n'
                             '    FOR EACH ROW EXECUTE FUNCTION yj_changelog_guard()'),
                            ('core_changeset',
                             'DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_changeset'),
                            ('core_changeset',
                             'CREATE TRIGGER yj_changelog_no_truncate BEFORE TRUNCATE ON core_changeset\n'
                             '    FOR EACH STATEMENT EXECUTE FUNCTION yj_changelog_guard()')],
                'remove': [('core_objectchange',
                            'DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_objectchange'),
                           ('core_objectchange',
                            'DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_objectchange'),
                           ('core_changeset',
                            'DROP TRIGGER IF EXISTS yj_changelog_no_update_delete ON core_changeset'),
                           ('core_changeset',
                            'DROP TRIGGER IF EXISTS yj_changelog_no_truncate ON core_changeset'),
                           (None, 'DROP FUNCTION IF EXISTS yj_changelog_guard()')]}}


def _guard(schema_editor, action):
    """Run the frozen statements of `action` for this database, skipping tables not created yet."""
    connection = schema_editor.connection
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, sql in GUARD.get(connection.vendor, {}).get(action, []):
            if table is None or table in present:
                cursor.execute(sql)


def drop_single_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if (
            info.get("index")
            and not info.get("unique")
            and not info.get("primary_key")
            and len(info.get("columns") or ()) == 1
            and info["columns"][0] in COLUMNS
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_single_indexes(apps, schema_editor):
    qn = schema_editor.quote_name
    for column in COLUMNS:
        schema_editor.execute(f"CREATE INDEX {qn(f'{TABLE}_{column}_single')} ON {qn(TABLE)} ({qn(column)})")


def install_guard(apps, schema_editor):
    _guard(schema_editor, "install")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_changelog_guard"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_single_indexes, create_single_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="objectchange",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        to="contenttypes.contenttype",
                        verbose_name="记录类型",
                    ),
                ),
                migrations.AlterField(
                    model_name="objectchange",
                    name="object_id",
                    field=models.CharField(max_length=64, verbose_name="记录编号"),
                ),
                migrations.AlterField(
                    model_name="objectchange",
                    name="related_content_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="objectchange",
                    name="related_object_id",
                    field=models.CharField(blank=True, max_length=64),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="objectchange",
            index=models.Index(fields=["content_type", "object_id"], name="core_change_object_idx"),
        ),
        migrations.AddIndex(
            model_name="objectchange",
            index=models.Index(
                fields=["related_content_type", "related_object_id"], name="core_change_related_idx"
            ),
        ),
        migrations.RunPython(install_guard, migrations.RunPython.noop, elidable=False),
    ]
