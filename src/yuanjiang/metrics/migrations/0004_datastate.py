import uuid

from django.db import migrations, models
from django.utils import timezone


def first_state(apps, schema_editor):
    """The state of the data the database starts with: a token of its own (never another database's)."""
    DataState = apps.get_model("metrics", "DataState")
    DataState.objects.using(schema_editor.connection.alias).create(
        id=1, token=uuid.uuid4().hex, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0003_review_submitted_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "数据状态", "verbose_name_plural": "数据状态"},
        ),
        migrations.RunPython(first_state, migrations.RunPython.noop),
    ]
