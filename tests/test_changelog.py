import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import history
from yuanjiang.core.models import ObjectChange
from yuanjiang.kernel.snapshot import json_value
from yuanjiang.projects.models import AidProject, FundTransaction


def form_data(project, **overrides):
    data = {
        "program": project.program_id,
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "nature": project.nature,
        "delivery_mode": project.delivery_mode,
        "plan_year": project.plan_year,
        "total_investment": project.total_investment,
        "aid_funds": project.aid_funds,
        "other_funds": project.other_funds,
        "expected_version": project.version,
    }
    data.update(overrides)
    return data


def test_web_create_update_delete_are_logged_with_actor_request_before_after(client, clerk, program):
    client.force_login(clerk)
    response = client.post(
        reverse("projects:aidproject_create"),
        {
            "program": program.pk,
            "code": "2023-01",
            "name": "村级幼儿园",
            "category": "education",
            "nature": "new",
            "delivery_mode": "cheque",
            "plan_year": 2023,
            "total_investment": "300",
            "aid_funds": "100",
            "other_funds": "0",
            "confirm_money": "on",  # 100 元 for an aid project is confirmed as meant (issue 21)
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ObjectChange.objects.get(action="create", content_type__model="aidproject")
    assert created.actor == clerk and created.actor_name == "clerk" and created.source == "web"
    assert (
        created.request_id and created.before is None and created.after is None
    )  # a create stores no values
    assert created.object_repr == ""  # nor text
    filled = history.fill([created])[0]  # they are the record's
    assert filled.after["aid_funds"] == "100.00" and filled.object_repr == "村级幼儿园"
    assert created.program == program

    project = created.content_type.get_object_for_this_type(pk=created.object_id)
    response = client.post(
        reverse("projects:aidproject_edit", args=[project.pk]),
        form_data(project, aid_funds="250", confirm_money="on"),
    )
    assert response.status_code == 302
    updated = ObjectChange.objects.get(
        action="update", object_id=str(project.pk), content_type__model="aidproject"
    )
    # An update stores the old values of what it changed, neither its new values nor the text …
    assert updated.before == {"aid_funds": "100.00"} and updated.after is None and updated.object_repr == ""
    updated = history.fill([updated])[0]  # … read back from the record now
    assert updated.after == {"aid_funds": "250.00"} and updated.object_repr == str(project) == "村级幼儿园"
    assert ("援疆资金", "100元", "250元") in updated.diff()  # money as on the record page
    assert updated.request_id != created.request_id
    # What the project was created with: its row now, under the update's before.
    created = ObjectChange.objects.get(pk=created.pk)
    assert history.fill([created])[0].after["aid_funds"] == "100.00"

    tx = make_transaction(project, "commitment", "250")
    client.post(reverse("projects:fundtransaction_delete", args=[tx.pk]))
    assert not FundTransaction.objects.filter(pk=tx.pk).exists()
    deleted = ObjectChange.objects.get(
        action="delete", object_id=str(tx.pk), content_type__model="fundtransaction"
    )
    assert deleted.before["amount"] == "250.00" and deleted.after is None
    assert deleted.program == program and deleted.actor == clerk

    # The project's history tab shows its own changes and its children's.
    page = client.get(reverse("projects:aidproject_detail", args=[project.pk])).content.decode()
    assert page.count("<del>100元</del>") == 1
    assert "删除" in page
    # The create lists what the project was created with (100元, not today's 250元).
    assert "新增时填写的" in page and "援疆资金：<ins>100元</ins>" in page


def test_commands_and_services_are_logged_too(program):
    project = make_project(program, 7)
    entry = ObjectChange.objects.get(
        action="create", object_id=str(project.pk), content_type__model="aidproject"
    )
    assert entry.source == "test" and entry.actor is None


def test_saving_without_changes_logs_nothing(program):
    project = make_project(program, 8)
    before = ObjectChange.objects.count()
    project.save()
    assert ObjectChange.objects.count() == before


def test_change_log_cannot_be_edited_or_deleted(program):
    make_project(program, 9)
    entry = ObjectChange.objects.first()
    entry.object_repr = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ObjectChange.objects.all().delete()
    with pytest.raises(PermissionError):
        ObjectChange.objects.update(object_repr="篡改")


def test_auditor_reads_the_stream_in_scope_only(client, program, other_program):
    make_project(program, 1, name="南通项目")
    make_project(other_program, 1, name="南京项目")
    auditor = make_user("program_auditor", Role.AUDITOR, program=program)
    client.force_login(auditor)
    page = client.get(reverse("objectchange_list")).content.decode()
    assert "南通项目" in page
    assert "南京项目" not in page


def test_admin_cannot_edit_change_log(admin_client, program):
    make_project(program, 1)
    entry = ObjectChange.objects.first()
    url = reverse("admin:core_objectchange_change", args=[entry.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"object_repr": "x"})
    assert response.status_code == 403
    assert (
        admin_client.post(
            reverse("admin:core_objectchange_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    # Who, when, from where: the change set's, listed in the entries' list and in its own.
    page = admin_client.get(reverse("admin:core_objectchange_changelist")).content.decode()
    assert "时间" in page and "来源" in page and str(entry.changeset.time.year) in page
    assert admin_client.get(reverse("admin:core_changeset_changelist")).status_code == 200
    url = reverse("admin:core_changeset_change", args=[entry.changeset_id])
    assert admin_client.post(url, {"source": "x"}).status_code == 403


def test_admin_edits_are_logged_with_source_admin(admin_client, admin_user, program):
    project = make_project(program, 1, actual_start=dt.date(2023, 5, 1))
    url = reverse("admin:projects_aidproject_change", args=[project.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {
        "program": program.pk,
        "code": project.code,
        "name": "改名后的项目",
        "category": "education",
        "nature": "new",
        "delivery_mode": "cheque",
        "plan_year": 2023,
        "total_investment": "1200000",
        "aid_funds": "1000000",
        "other_funds": "0",
        "actual_start": "2023-05-01",
        "outputs-TOTAL_FORMS": "0",
        "outputs-INITIAL_FORMS": "0",
        "outputs-MIN_NUM_FORMS": "0",
        "outputs-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = ObjectChange.objects.get(
        action="update", object_id=str(project.pk), content_type__model="aidproject"
    )
    assert entry.source == "admin" and entry.actor == admin_user
    entry = history.fill([entry])[0]
    assert entry.before["name"] == "测试项目1" and entry.after["name"] == "改名后的项目"


def test_reference_load_logs_one_create_per_record_and_nothing_on_reload(reference):
    from yuanjiang.org.models import Organization
    from yuanjiang.org.services import reference_load

    creates = ObjectChange.objects.filter(content_type__model="organization", action="create").count()
    assert creates == Organization.objects.count()
    assert not ObjectChange.objects.filter(content_type__model="organization", action="update").exists()
    total = ObjectChange.objects.count()
    reference_load()
    assert ObjectChange.objects.count() == total
    nantong = Organization.objects.get(slug="nantong-wg")
    assert nantong.path == "/jiangsu/jiangsu-yili-front/nantong-wg/"
    assert set(nantong.subtree().values_list("slug", flat=True)) >= {"nantong-wg", "nantong-wg-education"}


def test_resubmitting_an_unchanged_form_logs_no_update(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    # The form posts "1000000" where the database holds 1000000.00: the same value, not a change.
    response = client.post(
        reverse("projects:aidproject_edit", args=[project.pk]), form_data(project, aid_funds="1000000")
    )
    assert response.status_code == 302
    assert not ObjectChange.objects.filter(action="update", content_type__model="aidproject").exists()


def test_request_id_is_taken_from_a_proxy_only_when_it_is_a_plain_token(client, clerk, program):
    client.force_login(clerk)
    ok = client.get(reverse("projects:aidproject_list"), HTTP_X_REQUEST_ID="edge-42.a_b")
    assert ok["X-Request-ID"] == "edge-42.a_b"
    bad = client.get(reverse("projects:aidproject_list"), HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>" and len(bad["X-Request-ID"]) == 32


def test_management_command_changes_are_attributed_to_the_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "新增行政区划22个" in out.getvalue()
    sources = set(ObjectChange.objects.values_list("changeset__source", flat=True))
    assert sources == {"command:load_reference"}


def test_bulk_writes_reach_the_change_log(program):
    from yuanjiang.core.context import acting_as
    from yuanjiang.projects.models import AidProject

    with acting_as(None, source="import"):
        created = AidProject.objects.bulk_create(
            [
                AidProject(program=program, code=f"B{n}", name=f"批量{n}", category="health", plan_year=2024)
                for n in (1, 2, 3)
            ]
        )
        assert ObjectChange.objects.filter(action="create", changeset__source="import").count() == 3
        updated = AidProject.objects.filter(code__in=["B1", "B2"]).update(category="education")
    assert updated == 2
    entries = ObjectChange.objects.filter(action="update", content_type__model="aidproject")
    assert entries.count() == 2
    entry = entries.get(object_id=str(created[0].pk))
    entry = history.fill([entry])[0]
    assert entry.before["category"] == "health" and entry.after["category"] == "education"
    assert entry.source == "import" and entry.program == program
    # An update that changes nothing logs nothing.
    AidProject.objects.filter(code="B3").update(category="health")
    assert ObjectChange.objects.filter(action="update", content_type__model="aidproject").count() == 2
    # bulk_update is logged too: the rows that change, their changed fields only.
    created[0].name = "批量一"
    assert AidProject.objects.bulk_update(created, ["name"]) == 1
    entry = ObjectChange.objects.filter(action="update", content_type__model="aidproject").first()
    assert entry.object_id == str(created[0].pk)
    assert entry.before == {"name": "批量1"} and history.fill([entry])[0].after == {"name": "批量一"}


def test_history_and_change_stream_run_the_same_queries_however_long(client, auditor, program):
    """Who/when/where come with each entry (select_related change set) and what new records were
    created with is read for a whole page at once (core.history: one query per kind of record, none
    per entry)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = make_project(program, 1)
    tx = make_transaction(project, "commitment", "99")  # every kind of record and entry at both sizes
    tx.amount += 1
    tx.save()
    client.force_login(auditor)
    urls = [reverse("projects:aidproject_detail", args=[project.pk]), reverse("objectchange_list")]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    queries()  # the content-type cache every process warms once
    small = queries()
    for n in range(8):  # more entries of every kind: creates, updates, deletes, children
        tx = make_transaction(project, "commitment", str(100 + n))
        tx.amount += 1
        tx.save()
        if n % 2:
            tx.delete()
        make_project(program, 10 + n)
    assert queries() == small


def test_a_deleted_records_creation_is_read_from_its_delete_entry(program):
    project = make_project(program, 3)
    tx = make_transaction(project, "commitment", "120")
    pk = tx.pk
    tx.amount = 150
    tx.save()
    text = str(tx)
    tx.delete()
    entries = ObjectChange.objects.filter(content_type__model="fundtransaction", object_id=str(pk))
    create = entries.select_related("content_type").get(action="create")
    assert create.after is None and create.object_repr == ""
    filled = history.fill([create])[0]
    # The delete kept the full row (150) and the text; the update's before gives back 120.
    assert filled.object_repr == text and filled.after["amount"] == "120.00"
    assert filled.after["kind"] == "commitment" and "id" not in filled.after


def test_an_updates_values_and_text_are_read_back_as_they_were_stored_before(program):
    """An update stores only the old values of what it changed; its new values and its text (the
    record's text as of the change: 12.459618万元 then …718) are read back from the record now and the
    later entries' befores, equal to what the entry used to store, after later renames of other fields,
    and once the record is deleted too."""
    project = make_project(program, 4)
    tx = make_transaction(project, "commitment", "100")
    stored = []  # what each update entry stored before (text, after), taken at the time
    for amount, note in (("150", ""), ("150", "已核对"), ("175.5", "已核对"), ("175.5", "复核")):
        tx.amount, tx.note = amount, note
        tx.save()
        entry = ObjectChange.objects.filter(action="update").latest("id")
        now = FundTransaction.objects.get(pk=tx.pk)
        after = {k: json_value(getattr(now, k), now._meta.get_field(k)) for k in entry.before}
        stored.append((entry.pk, str(now), after))
    entries = ObjectChange.objects.filter(action="update", object_id=str(tx.pk)).order_by("id")
    assert all(e.object_repr == "" and e.after is None for e in entries)
    read = [(e.pk, e.object_repr, e.after) for e in history.fill(entries.select_related("content_type"))]
    assert read == stored and len({text for _pk, text, _after in read}) == 2  # 150元, then 175.5元
    tx.delete()
    assert [(e.pk, e.object_repr, e.after) for e in history.fill(entries)] == stored


def test_the_stream_search_finds_an_updated_record_by_its_text(client, auditor, program):
    """An update stores no text: the stream's search finds it by its record's text now (the fields
    its lists search: a fund transaction by its project's name), with the record's other entries."""
    project = make_project(program, 5)
    other = make_project(program, 6)
    tx = make_transaction(project, "commitment", "100")
    tx.amount = 120
    tx.save()
    project.name = "搜索用的新名称"
    project.save()
    make_transaction(other, "commitment", "300")
    client.force_login(auditor)

    def found(q):
        page = client.get(reverse("objectchange_list"), {"q": q}).context["object_list"]
        return sorted((e.content_type.model, e.action, e.object_id) for e in page)

    of = ContentType.objects.get_for_model
    mine = sorted(
        (e.content_type.model, e.action, e.object_id)
        for e in ObjectChange.objects.filter(
            Q(content_type=of(AidProject), object_id=str(project.pk))
            | Q(content_type=of(FundTransaction), object_id=str(tx.pk))
        )
    )
    assert ("fundtransaction", "update", str(tx.pk)) in mine and (
        "aidproject",
        "update",
        str(project.pk),
    ) in mine
    assert found("搜索用的新名") == mine
    assert found("搜索用的新名称不存在") == []
    # The text an entry stored still matches (a delete's): the record is gone, its delete is found.
    pk = tx.pk
    tx.delete()
    assert ("fundtransaction", "delete", str(pk)) in found("下达 120元")


def test_the_admin_shows_and_searches_an_updates_text(admin_client, program):
    """The admin's list and entry page read back what an update does not store; its search finds the
    update by the record's text, in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = make_project(program, 7)
    project.name = "管理后台可见的新名称"
    project.save()
    entry = ObjectChange.objects.get(
        action="update", object_id=str(project.pk), content_type__model="aidproject"
    )
    assert entry.object_repr == "" and entry.after is None
    url = reverse("admin:core_objectchange_changelist")
    response = admin_client.get(url, {"q": "可见的新名"})
    assert [e.pk for e in response.context["cl"].result_list if e.action == "update"] == [entry.pk]
    assert "管理后台可见的新名称" in response.content.decode()
    page = admin_client.get(reverse("admin:core_objectchange_change", args=[entry.pk])).content.decode()
    assert "管理后台可见的新名称" in page

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for n in range(5):
        other = make_project(program, 20 + n)
        other.name = f"又改{n}"
        other.save()
    assert queries() == small
