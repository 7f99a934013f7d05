"""Smaller indexes of the change log's entries (docs/write-path.md, "What an entry costs"):

- the change set's foreign key loses its index: no page reads a change set's entries, and a change
  set is never deleted (core.guard). About 10 bytes an entry;
- the (related content type, related object id) index holds only the entries that name a parent:
  the history lookup asks for one parent (an equality, which implies the column is set, so SQLite and
  PostgreSQL use the partial index); the entries of records without a parent (enterprises, regions …,
  4 in 10 of a national build) need no entry in it.

Indexes are dropped and created in place (no table rebuild: on SQLite a rebuild would drop the
change-log guard's triggers, core.guard)."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "core_objectchange"


def drop_changeset_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if (
            info.get("index")
            and not info.get("unique")
            and not info.get("primary_key")
            and not info.get("foreign_key")
            and list(info.get("columns") or ()) == ["changeset_id"]
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_changeset_index(apps, schema_editor):
    qn = schema_editor.quote_name
    schema_editor.execute(f"CREATE INDEX {qn(f'{TABLE}_changeset_id_single')} ON {qn(TABLE)} ({qn('changeset_id')})")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_changeset")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_changeset_index, create_changeset_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="objectchange",
                    name="changeset",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.changeset",
                    ),
                )
            ],
        ),
        migrations.RemoveIndex(model_name="objectchange", name="core_change_related_idx"),
        migrations.AddIndex(
            model_name="objectchange",
            index=models.Index(
                condition=models.Q(("related_content_type__isnull", False)),
                fields=["related_content_type", "related_object_id"],
                name="core_change_related_idx",
            ),
        ),
    ]
