"""The change log's entries lose the index of their change set: no page reads a change set's entries,
and a change set is never deleted (core.guard). About 10 bytes an entry (docs/write-path.md).

The index is dropped by name, not by AlterField: on SQLite an AlterField rebuilds the table, which
drops the guard's triggers and copies every entry."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "core_objectchange_changeset_id_146d167d"  # the name Django gave it (0004_changeset)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_changeset")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "core_objectchange" ("changeset_id")',
                )
            ],
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
        )
    ]
