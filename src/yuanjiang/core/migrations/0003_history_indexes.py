"""Indexes for the history lookup (common.views.history_for): (content type, object id) and (related
content type, related object id). They replace the four single-column indexes on those columns, which
SQLite without statistics picked for that lookup (the content type's, reading most of the log) and
which the composite ones make redundant.

The single-column indexes are dropped in place (no table rebuild: on SQLite a rebuild would drop the
change-log guard's triggers, core.guard); the triggers are checked and reinstalled anyway."""

from django.db import migrations, models

from yuanjiang.core.migrations._frozen_guard import guard

TABLE = "core_objectchange"
COLUMNS = ("content_type_id", "object_id", "related_content_type_id", "related_object_id")


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
    guard(schema_editor, "install")


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
