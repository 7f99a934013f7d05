"""The change log is append-only in the database too: triggers refuse UPDATE and DELETE of its rows
(see yuanjiang.core.guard). A user or program that has history can no longer be deleted (deactivate
it instead): SET_NULL would have rewritten log rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from yuanjiang.core.migrations._frozen_guard import guard


def install(apps, schema_editor):
    guard(schema_editor, "install")


def remove(apps, schema_editor):
    guard(schema_editor, "remove")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="objectchange",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="objectchange",
            name="program",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="org.program",
                verbose_name="援疆项目组",
            ),
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
