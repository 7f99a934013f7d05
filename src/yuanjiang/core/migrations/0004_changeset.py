"""Who, when and from where move from every change-log entry to a change set shared by the entries
of one request, command or import (core.models.ChangeSet); the entries keep what changed (a new
create entry keeps neither values nor text: core.history reads them from the record).

Existing entries are grouped into change sets by request id, actor and source (entries without a
request id, by their exact time too); each set takes its entries' earliest time. The guard's
triggers are lifted for the move (entries get their change set) and installed again on both tables
at the end (a table rebuild on SQLite drops them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from yuanjiang.core.migrations._frozen_guard import guard


def remove_guard(apps, schema_editor):
    guard(schema_editor, "remove")


def install_guard(apps, schema_editor):
    guard(schema_editor, "install")


def group_into_changesets(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO core_changeset (time, actor_id, actor_name, request_id, source)
            SELECT MIN(time), actor_id, actor_name, request_id, source FROM core_objectchange
            GROUP BY request_id, actor_id, actor_name, source, CASE WHEN request_id = '' THEN time END"""
        )
        cursor.execute(
            """UPDATE core_objectchange SET changeset_id = (
                SELECT MIN(c.id) FROM core_changeset c
                WHERE c.request_id = core_objectchange.request_id
                  AND COALESCE(c.actor_id, 0) = COALESCE(core_objectchange.actor_id, 0)
                  AND c.actor_name = core_objectchange.actor_name
                  AND c.source = core_objectchange.source
                  AND (core_objectchange.request_id <> '' OR c.time = core_objectchange.time))"""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_history_indexes"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeSet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("time", models.DateTimeField(db_index=True, verbose_name="时间")),
                ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="操作人账号")),
                ("request_id", models.CharField(blank=True, db_index=True, max_length=64, verbose_name="请求编号")),
                ("source", models.CharField(blank=True, max_length=64, verbose_name="来源")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
            ],
            options={"verbose_name": "变更批次", "verbose_name_plural": "变更批次", "ordering": ["-id"]},
        ),
        migrations.AddField(
            model_name="objectchange",
            name="changeset",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="core.changeset",
                verbose_name="变更批次",
            ),
        ),
        migrations.RunPython(remove_guard, install_guard, elidable=False),
        migrations.RunPython(group_into_changesets, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="objectchange", name="time"),
        migrations.RemoveField(model_name="objectchange", name="actor"),
        migrations.RemoveField(model_name="objectchange", name="actor_name"),
        migrations.RemoveField(model_name="objectchange", name="request_id"),
        migrations.RemoveField(model_name="objectchange", name="source"),
        migrations.AlterField(
            model_name="objectchange",
            name="changeset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="core.changeset",
                verbose_name="变更批次",
            ),
        ),
        migrations.AlterField(
            model_name="objectchange",
            name="object_repr",
            field=models.CharField(blank=True, max_length=300, verbose_name="记录"),
        ),
        migrations.AlterModelOptions(
            name="objectchange",
            options={"ordering": ["-id"], "verbose_name": "变更记录", "verbose_name_plural": "变更日志"},
        ),
        migrations.RunPython(install_guard, remove_guard, elidable=False),
    ]
