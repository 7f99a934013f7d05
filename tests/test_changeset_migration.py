"""Migration core 0004: entries that carried who/when/where each are grouped into change sets, and the
log stays append-only on both tables."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yuanjiang.core import guard

BEFORE = [("core", "0003_history_indexes")]
AFTER = [("core", "0004_changeset")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_old_entries_are_grouped_by_request_actor_and_source(django_user_model):
    from django.contrib.contenttypes.models import ContentType

    from yuanjiang.org.models import Region

    clerk = django_user_model.objects.create_user("mig_clerk", password="x")
    region_type = ContentType.objects.get_for_model(Region).pk
    _migrate(BEFORE)
    t0 = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
    rows = [
        # (seconds after t0, actor, actor name, request id, source, object id)
        (0, clerk.pk, "mig_clerk", "r1", "web", "1"),
        (1, clerk.pk, "mig_clerk", "r1", "web", "2"),  # same request: one change set, the earliest time
        (5, None, "", "r2", "command:import", "3"),
        (9, None, "", "", "", "4"),  # no request id: one change set per time
        (9, None, "", "", "", "5"),
        (12, None, "", "", "", "6"),
    ]
    with connection.cursor() as cursor:
        for seconds, actor, name, request, source, object_id in rows:
            cursor.execute(
                "INSERT INTO core_objectchange (time, actor_id, actor_name, request_id, source, action, "
                "content_type_id, object_id, object_repr, related_object_id) "
                "VALUES (%s, %s, %s, %s, %s, 'update', %s, %s, %s, '')",
                [
                    connection.ops.adapt_datetimefield_value(t0 + dt.timedelta(seconds=seconds)),
                    actor,
                    name,
                    request,
                    source,
                    region_type,
                    object_id,
                    f"县{object_id}",
                ],
            )
    _migrate(AFTER)

    from yuanjiang.core.models import ChangeSet, ObjectChange

    sets = {c.object_id: c.changeset for c in ObjectChange.objects.select_related("changeset")}
    assert len(sets) == 6 and ChangeSet.objects.count() == 4
    assert sets["1"] == sets["2"] and sets["1"].actor == clerk and sets["1"].source == "web"
    assert sets["1"].time == t0 and sets["1"].request_id == "r1"
    assert sets["3"].source == "command:import" and sets["3"].actor is None
    assert sets["4"] == sets["5"] != sets["6"]
    assert sets["6"].time == t0 + dt.timedelta(seconds=12)
    assert guard.installed(connection)
