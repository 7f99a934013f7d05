"""The change log cannot be bypassed: the database refuses UPDATE and DELETE of log rows (triggers on
SQLite and PostgreSQL), and fixtures are logged like any other write or refused."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import make_project, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import guard, history
from yuanjiang.core.models import ObjectChange
from yuanjiang.org.models import Region

TABLE = ObjectChange._meta.db_table


def refused(run) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        run()
    return str(caught.value)


def raw(sql, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_triggers_are_installed_by_migration(db):
    assert guard.installed(connection)


def test_base_manager_update_and_raw_sql_are_refused_by_the_database(program):
    make_project(program, 1)
    entry = ObjectChange.objects.latest("id")
    assert "变更日志不可修改" in refused(
        lambda: ObjectChange._base_manager.filter(pk=entry.pk).update(object_repr="篡改")
    )
    assert "变更日志不可删除" in refused(
        lambda: ObjectChange._base_manager.filter(pk=entry.pk)._raw_delete("default")
    )
    assert "变更日志不可修改" in refused(
        raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["篡改", entry.pk])
    )
    assert "变更日志不可删除" in refused(raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk]))
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")()  # no pending foreign-key checks in the way
        assert "变更日志不可删除" in refused(raw(f"TRUNCATE {TABLE}"))
    entry.refresh_from_db()
    assert entry.object_repr != "篡改"


def test_purging_allows_emptying_but_never_rewriting(program):
    make_project(program, 1)
    entry = ObjectChange.objects.latest("id")
    with pytest.raises(DatabaseError), transaction.atomic(), guard.purging(connection):
        ObjectChange._base_manager.filter(pk=entry.pk).update(object_repr="篡改")
    with guard.purging(connection):
        ObjectChange._base_manager.all()._raw_delete("default")
    assert not ObjectChange.objects.exists()
    # The guard is back as soon as the block ends.
    assert guard.installed(connection)
    make_project(program, 2)
    assert refused(raw(f"DELETE FROM {TABLE}"))


def test_deleting_a_user_with_history_is_refused_instead_of_rewriting_the_log(program, client):
    from django.db.models import ProtectedError

    clerk = make_user("clerk_with_history", Role.CLERK, program=program)
    client.force_login(clerk)
    client.post(
        reverse("projects:aidproject_create"),
        {
            "program": program.pk,
            "code": "2023-01",
            "name": "村级幼儿园",
            "category": "education",
            "nature": "new",
            "delivery_mode": "cheque",
            "plan_year": 2023,
            "total_investment": "100",
            "aid_funds": "100",
            "other_funds": "0",
            "confirm_money": "on",  # 100 元 for an aid project, confirmed as meant (issue 21)
        },
    )
    assert ObjectChange.objects.filter(changeset__actor=clerk).exists()
    with pytest.raises(ProtectedError):
        clerk.delete()
    assert ObjectChange.objects.filter(changeset__actor=clerk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_keeps_the_guard(program):
    make_project(program, 1)
    assert ObjectChange.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not ObjectChange.objects.exists()
    assert guard.installed(connection)
    # (pytest-django flushes again after this test: that works too.)


def _fixture(tmp_path, objects) -> str:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _region(pk, name, **fields):
    return {
        "model": "org.region",
        "pk": pk,
        "fields": {
            "code": f"65{pk}",
            "name": name,
            "level": "county",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "version": 1,
            **fields,
        },
    }


def test_loaddata_logs_every_record_it_creates_or_changes(db, tmp_path):
    call_command("loaddata", _fixture(tmp_path, [_region(9001, "测试县")]), verbosity=0)
    region = Region.objects.get(pk=9001)
    created = ObjectChange.objects.get(content_type__model="region", object_id="9001")
    assert created.action == "create" and created.source == "command:loaddata"
    assert created.after is None and history.fill([created])[0].after["name"] == "测试县"

    call_command("loaddata", _fixture(tmp_path, [_region(9001, "改名县")]), verbosity=0)
    region.refresh_from_db()
    assert region.name == "改名县"
    updated = ObjectChange.objects.get(content_type__model="region", object_id="9001", action="update")
    updated = history.fill([updated])[0]  # an update's new values: read back (core.history)
    assert updated.before["name"] == "测试县" and updated.after["name"] == "改名县"


def test_loaddata_refuses_change_log_rows(db, tmp_path):
    forged = {
        "model": "core.objectchange",
        "pk": 424242,
        "fields": {"action": "create", "object_id": "1", "object_repr": "伪造", "content_type": 1},
    }
    with pytest.raises(CommandError, match="变更日志只能由系统"):
        call_command("loaddata", _fixture(tmp_path, [_region(9002, "同批县"), forged]), verbosity=0)
    assert not ObjectChange.objects.filter(pk=424242).exists()
    assert not Region.objects.filter(pk=9002).exists()  # nothing half-loaded
