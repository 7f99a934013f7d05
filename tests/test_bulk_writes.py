"""Bulk writes (DomainQuerySet.update, bulk_create, bulk_update) reach the change log in a fixed number
of queries whatever the number of rows, log every row with its program, parent, text and changed
fields, and still refuse closed periods."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import history
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.kernel.snapshot import snapshot
from yuanjiang.org.periods import calendar_year
from yuanjiang.projects.models import AidProject, FundTransaction
from yuanjiang.review import services
from yuanjiang.review.errors import PeriodClosedError

SIZES = (5, 60)


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


@pytest.fixture
def projects(program, other_program):
    """Projects in two programs (rows of a bulk write span programs and parents)."""
    return [make_project(p, n) for n, p in enumerate([program, other_program, program, other_program])]


@pytest.fixture
def closed_2023(program, other_program, lead):
    """2023 closed in the first program: every bulk check really looks up the closes."""
    return services.close_period(program, calendar_year(2023), lead, "年报已上报")


def new_projects(program, other_program, tag, n):
    return [
        AidProject(
            program_id=(program if i % 2 else other_program).pk,
            code=f"{tag}{i:03d}",
            name=f"批量项目{tag}{i}",
            category="health",
            plan_year=2024,
            aid_funds=Decimal("500000"),
            actual_start=dt.date(2024, 5, 1),
        )
        for i in range(n)
    ]


def new_transactions(projects, n, day=dt.date(2024, 3, 1)):
    return [
        FundTransaction(
            project_id=projects[i % len(projects)].pk,
            kind="disbursement",
            amount=Decimal(1000 + i),
            date=day,
            review_status="approved",
        )
        for i in range(n)
    ]


def insert_batches(model, rows: int) -> int:
    """The INSERT statements the backend needs for `rows` new records: one, or on SQLite (999
    parameters per statement) one per so many rows. Django splits them; nothing else may grow."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    per_statement = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return -(-rows // per_statement)


def count_queries(action):
    """(queries other than INSERTs, INSERT statements, result) of a bulk write. The log entries are
    one executemany ("N times: INSERT ..."), counted with the other queries."""
    ContentType.objects.get_for_models(AidProject, FundTransaction)  # the cache every process warms once
    with CaptureQueriesContext(connection) as ctx:
        with acting_as(None, source="import"):
            result = action()
    inserts = sum(
        1
        for q in ctx.captured_queries
        if q["sql"].startswith("INSERT") and "core_changeset" not in q["sql"][:40]
    )
    return len(ctx.captured_queries) - inserts, inserts, result


# -- query counts: the same at 5 rows and at 60 ---------------------------------------------------


@pytest.mark.parametrize("model", [AidProject, FundTransaction])
def test_bulk_create_runs_the_same_queries_at_any_size(model, program, other_program, projects, closed_2023):
    counts = []
    for size in SIZES:
        if model is AidProject:
            objs = new_projects(program, other_program, f"C{size}-", size)
        else:
            objs = new_transactions(projects, size)
        count, inserts, created = count_queries(lambda objs=objs: model.objects.bulk_create(objs))
        assert len(created) == size and all(obj.pk for obj in created)
        assert inserts == insert_batches(model, size)
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert ObjectChange.objects.filter(action="create", changeset__source="import").count() == sum(SIZES)


@pytest.mark.parametrize("model", [AidProject, FundTransaction])
def test_update_runs_the_same_queries_at_any_size(model, program, other_program, projects, closed_2023):
    counts = []
    for size in SIZES:
        with acting_as(None, source="test"):
            if model is AidProject:
                objs = model.objects.bulk_create(new_projects(program, other_program, f"U{size}-", size))
            else:
                objs = model.objects.bulk_create(new_transactions(projects, size))
        rows = model.objects.filter(pk__in=[obj.pk for obj in objs])
        if model is AidProject:
            count, inserts, updated = count_queries(
                lambda rows=rows: rows.update(aid_funds=F("aid_funds") + 1)
            )
        else:
            count, inserts, updated = count_queries(lambda rows=rows: rows.update(amount=F("amount") + 1))
        assert updated == size and inserts == 0
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert ObjectChange.objects.filter(action="update", changeset__source="import").count() == sum(SIZES)


@pytest.mark.parametrize("model", [AidProject, FundTransaction])
def test_bulk_update_runs_the_same_queries_at_any_size(model, program, other_program, projects, closed_2023):
    counts = []
    for size in SIZES:
        with acting_as(None, source="test"):
            if model is AidProject:
                model.objects.bulk_create(new_projects(program, other_program, f"B{size}-", size))
                objs = list(model.objects.filter(code__startswith=f"B{size}-"))
                for obj in objs:
                    obj.name += "（调整）"
                    obj.aid_funds += 1
                fields = ["name", "aid_funds"]
            else:
                created = model.objects.bulk_create(new_transactions(projects, size))
                objs = list(model.objects.filter(pk__in=[o.pk for o in created]))
                for obj in objs:
                    obj.amount += 1
                    obj.note = "复核"
                fields = ["amount", "note"]
        count, inserts, changed = count_queries(
            lambda objs=objs, fields=fields: model.objects.bulk_update(objs, fields)
        )
        assert changed == size and inserts == 0
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert ObjectChange.objects.filter(action="update", changeset__source="import").count() == sum(SIZES)


# -- what is logged -------------------------------------------------------------------------------


def test_every_row_is_logged_with_program_parent_text_and_changed_fields(program, other_program, projects):
    with acting_as(None, source="import"):
        created = FundTransaction.objects.bulk_create(new_transactions(projects, 8))
    project_ct = ContentType.objects.get_for_model(AidProject)
    creates = {
        c.object_id: c for c in ObjectChange.objects.filter(action="create", changeset__source="import")
    }
    assert set(creates) == {str(t.pk) for t in created}
    for txn in FundTransaction.objects.filter(pk__in=[t.pk for t in created]).select_related("project"):
        entry = creates[str(txn.pk)]
        assert entry.program_id == txn.project.program_id
        assert (entry.related_content_type, entry.related_object_id) == (project_ct, str(txn.project_id))
        # A create stores neither values nor text: they are the record's.
        assert entry.object_repr == "" and entry.before is None and entry.after is None
    originals = {str(t.pk): t.amount for t in created}
    with acting_as(None, source="import"):
        FundTransaction.objects.filter(pk__in=[t.pk for t in created]).update(amount=F("amount") * 2, note="")
    stored = list(ObjectChange.objects.filter(action="update").select_related("content_type"))
    # An update stores the old values of what changed, neither the new values nor the text …
    assert all(e.after is None and e.object_repr == "" for e in stored)
    updates = {c.object_id: c for c in history.fill(stored)}  # … read back (core.history)
    assert set(updates) == {str(t.pk) for t in created}
    for txn in FundTransaction.objects.filter(pk__in=[t.pk for t in created]).select_related("project"):
        entry = updates[str(txn.pk)]
        # Only the fields that changed (note was empty already; version and updated_at are bookkeeping):
        # the amount, and the review fields the approved record went back to 草稿 with.
        assert entry.before == {
            "amount": f"{txn.amount / 2:.2f}",
            "review_status": "approved",
            "review_note": "",
        }
        assert entry.after == {
            "amount": f"{txn.amount:.2f}",
            "review_status": "draft",
            "review_note": "内容已修改，需重新提交审核。",
        }
        assert entry.object_repr == str(txn) and entry.program_id == txn.project.program_id
        assert entry.related_object_id == str(txn.project_id)
        assert txn.version == 2
    # What each was created with, read back (core.history): the current row under the update's before.
    filled = history.fill(
        ObjectChange.objects.filter(action="create", changeset__source="import").select_related(
            "content_type"
        )
    )
    texts = {str(t.pk): str(t) for t in FundTransaction.objects.filter(pk__in=[t.pk for t in created])}
    for entry in filled:
        assert entry.object_repr == texts[entry.object_id]
        assert entry.after == {
            "project_id": int(entry.related_object_id),
            "kind": "disbursement",
            "date": "2024-03-01",
            "amount": f"{originals[entry.object_id]:.2f}",
            "review_status": "approved",
        }


def test_bulk_update_writes_and_logs_only_the_rows_that_change(projects):
    with acting_as(None, source="test"):
        FundTransaction.objects.bulk_create(new_transactions(projects, 4))
    txns = list(FundTransaction.objects.order_by("pk"))
    txns[0].amount = Decimal("88.5")  # changed
    txns[1].note = "已核对"  # changed
    txns[2].amount = Decimal(f"{txns[2].amount}")  # same value: nothing to write
    txns[3].date = "2024-03-01"  # the same date, as text
    with acting_as(None, source="import"):
        assert FundTransaction.objects.bulk_update(txns, ["amount", "note", "date"]) == 2
    entries = {c.object_id: c for c in history.fill(ObjectChange.objects.filter(action="update"))}
    assert set(entries) == {str(txns[0].pk), str(txns[1].pk)}
    # The changed fields, and the review fields an approved record goes back to 草稿 with.
    review = {"review_status": "draft", "review_note": "内容已修改，需重新提交审核。"}
    assert entries[str(txns[0].pk)].after == {"amount": "88.50", **review}
    assert entries[str(txns[1].pk)].before == {"note": "", "review_status": "approved", "review_note": ""}
    assert entries[str(txns[1].pk)].after == {"note": "已核对", **review}
    versions = dict(FundTransaction.objects.values_list("pk", "version"))
    assert [versions[t.pk] for t in txns] == [2, 2, 1, 1]
    assert txns[0].version == 2
    # The instances know what is stored now: saving them again logs nothing more.
    with acting_as(None, source="test"):
        txns[0].save()
    assert ObjectChange.objects.filter(action="update").count() == 2


def test_bulk_create_with_conflict_handling_is_refused_not_silently_unlogged(projects):
    with pytest.raises(NotImplementedError):
        FundTransaction.objects.bulk_create(new_transactions(projects, 2), ignore_conflicts=True)
    assert not FundTransaction.objects.exists()


def test_delete_keeps_the_full_record(projects):
    txn = new_transactions(projects, 1)[0]
    with acting_as(None, source="test"):
        txn.save()
        full = snapshot(txn)
        txn.delete()
    entry = ObjectChange.objects.get(action="delete")
    assert entry.before == full and entry.after is None
    assert entry.program_id == projects[0].program_id


# -- closed periods -------------------------------------------------------------------------------


def test_bulk_writes_into_closed_periods_are_refused(program, projects, closed_2023):
    ours = [p for p in projects if p.program_id == program.pk]
    with acting_as(None, source="test"):
        open_txns = FundTransaction.objects.bulk_create(new_transactions(ours, 3))
    logged = ObjectChange.objects.count()
    stored = sorted(FundTransaction.objects.values_list("pk", "date", "amount", "version"))
    with acting_as(None, source="import"):
        with pytest.raises(PeriodClosedError):  # created in the closed year
            FundTransaction.objects.bulk_create(new_transactions(ours, 3, day=dt.date(2023, 6, 1)))
        txns = list(FundTransaction.objects.filter(pk__in=[t.pk for t in open_txns]))
        txns[1].date = dt.date(2023, 7, 1)  # moved into it
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.bulk_update(txns, ["date"])
        txns[1].date = "2023-07-01"  # the same, as text
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.bulk_update(txns, ["date"])
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.filter(pk=txns[0].pk).update(date=dt.date(2023, 7, 1))
        # Projects: their actual milestones are frozen where they fall in the closed year.
        project = ours[0]
        project.actual_start = dt.date(2023, 6, 1)
        with pytest.raises(PeriodClosedError):
            AidProject.objects.bulk_update([project], ["actual_start"])
        fresh = AidProject(program=program, code="X1", name="新项目", category="health", plan_year=2023)
        fresh.actual_start = dt.date(2023, 6, 1)
        with pytest.raises(PeriodClosedError):
            AidProject.objects.bulk_create([fresh])
    assert sorted(FundTransaction.objects.values_list("pk", "date", "amount", "version")) == stored
    assert ObjectChange.objects.count() == logged
    # A record already in the closed year cannot be changed in bulk either (made before closing).
    with acting_as(None, source="test"):
        services.reopen_period(
            closed_2023, make_user("sup", Role.ADMIN, program=program, superuser=True), "更正补记的资金记录"
        )
        old = FundTransaction.objects.bulk_create(new_transactions(ours, 1, day=dt.date(2023, 6, 1)))[0]
        services.close_period(program, calendar_year(2023), make_user("lead2", Role.LEAD, program=program))
    old = FundTransaction.objects.get(pk=old.pk)
    old.note = "补记"
    with pytest.raises(PeriodClosedError):
        FundTransaction.objects.bulk_update([old], ["note"])


# -- history pages --------------------------------------------------------------------------------


def test_history_page_shows_who_changed_what_before_and_after(client, clerk, program):
    project = make_project(program, 1, aid_funds=Decimal("3000000"), total_investment=Decimal("3000000"))
    with acting_as(clerk, source="import"):
        FundTransaction.objects.bulk_create(new_transactions([project], 2))
        FundTransaction.objects.filter(project=project).update(amount=F("amount") + 500)
        project.refresh_from_db()
        project.name = "改名后的项目"
        AidProject.objects.bulk_update([project], ["name"])
    client.force_login(clerk)
    page = client.get(reverse("projects:aidproject_detail", args=[project.pk])).content.decode()
    assert "<del>测试项目1</del> → <ins>改名后的项目</ins>" in page
    assert "<del>1000元</del> → <ins>1500元</ins>" in page
    assert "<del>1001元</del> → <ins>1501元</ins>" in page
    assert "新增时填写的5项内容" in page and "<ins>拨付</ins>" in page
    assert page.count(">clerk<") >= 5


def test_bulk_update_with_expressions_logs_what_they_became(projects):
    with acting_as(None, source="test"):
        FundTransaction.objects.bulk_create(new_transactions(projects, 2))
    txns = list(FundTransaction.objects.order_by("pk"))
    txns[0].amount = F("amount") + 5
    txns[1].amount = F("amount")  # stays what it is
    with acting_as(None, source="import"):
        FundTransaction.objects.bulk_update(txns, ["amount"])
    entry = history.fill([ObjectChange.objects.get(action="update")])[0]
    assert entry.object_id == str(txns[0].pk)
    assert entry.before == {"amount": "1000.00", "review_status": "approved", "review_note": ""}
    assert entry.after == {
        "amount": "1005.00",
        "review_status": "draft",
        "review_note": "内容已修改，需重新提交审核。",
    }


def test_moving_records_into_a_closed_program_period_is_refused(
    program, other_program, projects, closed_2023
):
    theirs = [p for p in projects if p.program_id == other_program.pk]
    ours = [p for p in projects if p.program_id == program.pk]
    with acting_as(None, source="test"):
        txns = FundTransaction.objects.bulk_create(new_transactions(theirs, 2, day=dt.date(2023, 6, 1)))
    with acting_as(None, source="import"):
        with pytest.raises(PeriodClosedError):  # update(): to a project of the program closed in 2023
            FundTransaction.objects.filter(pk=txns[0].pk).update(project=ours[0])
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.filter(pk=txns[0].pk).update(project_id=ours[0].pk)
        moved = FundTransaction.objects.get(pk=txns[1].pk)
        moved.project_id = ours[0].pk
        with pytest.raises(PeriodClosedError):  # bulk_update() likewise
            FundTransaction.objects.bulk_update([moved], ["project"])
        FundTransaction.objects.filter(pk=txns[0].pk).update(project=theirs[1])  # within the open program
    assert set(FundTransaction.objects.values_list("project__program", flat=True)) == {other_program.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner without statistics")
def test_history_lookup_uses_its_indexes_without_statistics(program):
    from yuanjiang.common.views import history_query

    project = make_project(program, 1)
    # Without statistics: core.maintenance gave the change log, empty after migrate, some.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl LIKE 'core_%'")
        cursor.execute("ANALYZE sqlite_master")
    plan = history_query(project).explain()
    assert "core_change_object_idx" in plan and "core_change_related_idx" in plan, plan


# -- deletes: QuerySet.delete() and its cascades ----------------------------------------------------


def _projects_with_children(program, other_program, tag, n):
    from yuanjiang.projects.models import ProgressReport, ProjectOutput

    with acting_as(None, source="test"):
        projects = AidProject.objects.bulk_create(new_projects(program, other_program, tag, n))
        ProjectOutput.objects.bulk_create(
            ProjectOutput(project=p, name="床位", quantity=Decimal(20 + i), unit="张")
            for i, p in enumerate(projects)
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(
                project=p, report_date=dt.date(2024, 6, 1), progress_percent=40, review_status="approved"
            )
            for p in projects
        )
    return projects


def test_queryset_delete_runs_the_same_queries_at_any_size_cascades_included(program, other_program):
    counts = []
    for size in SIZES:
        projects = _projects_with_children(program, other_program, f"D{size}-", size)
        rows = AidProject.objects.filter(pk__in=[p.pk for p in projects])
        count, _inserts, (deleted, per_model) = count_queries(rows.delete)
        assert deleted == 3 * size and per_model["projects.AidProject"] == size
        counts.append(count)
    assert counts[0] == counts[1], counts
    entries = ObjectChange.objects.filter(action="delete", changeset__source="import")
    assert entries.count() == 3 * sum(SIZES)
    # Each with its program, parent, text and full row, as a single delete logs it.
    project_ct = ContentType.objects.get_for_model(AidProject)
    project = entries.get(content_type=project_ct, object_repr="批量项目D5-1")
    assert project.before["code"] == "D5-001" and project.before["aid_funds"] == "500000.00"
    assert project.program == program and project.after is None
    output = entries.get(content_type__model="projectoutput", related_object_id=project.object_id)
    assert output.related_content_type == project_ct and output.before["quantity"] == "21.00"
    assert output.object_repr == "床位 21张" and output.program == program


def test_queryset_delete_in_a_closed_period_is_refused_and_deletes_nothing(program, projects, lead):
    from yuanjiang.projects.models import ProgressReport

    kept = make_project(program, 90)
    with acting_as(None, source="test"):
        FundTransaction.objects.bulk_create(new_transactions(projects, 4, day=dt.date(2024, 3, 1)))
        FundTransaction.objects.bulk_create(new_transactions(projects[:1], 1, day=dt.date(2023, 3, 1)))
        ProgressReport.objects.create(
            project=kept, report_date=dt.date(2023, 6, 1), progress_percent=10, review_status="approved"
        )
    services.close_period(program, calendar_year(2023), lead, "年报已上报")
    logged = ObjectChange.objects.count()
    with pytest.raises(PeriodClosedError):
        FundTransaction.objects.all().delete()
    assert FundTransaction.objects.count() == 5 and ObjectChange.objects.count() == logged
    # A cascade reaching into a closed period is refused too: the project's 2023 progress report.
    with pytest.raises(PeriodClosedError):
        AidProject.objects.filter(pk=kept.pk).delete()
    assert ProgressReport.objects.filter(project=kept).count() == 1 and ObjectChange.objects.count() == logged
    # What lies in open periods can go, logged.
    assert FundTransaction.objects.filter(date__year=2024).delete()[0] == 4
    assert ObjectChange.objects.filter(action="delete").count() == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")
def test_a_bulk_insert_refreshes_statistics_that_still_say_empty(projects):
    """core.maintenance gives empty tables one-row statistics; a bulk insert into such a table
    re-analyzes it at once, or SQLite would scan the whole table for every `id IN (…)` lookup (the
    logged update's read-back) until the next maintenance."""
    from yuanjiang.core import maintenance

    maintenance.optimize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'projects_fundtransaction'")
        assert {row[0].split()[0] for row in cursor.fetchall()} == {"1"}  # "empty"
    with acting_as(None, source="test"):
        created = FundTransaction.objects.bulk_create(new_transactions(projects, 1000))
    lookup = FundTransaction._base_manager.filter(
        pk__in=[t.pk for t in created[:10]]
    )  # update() reads back so
    plan = lookup.explain()
    assert "SEARCH projects_fundtransaction USING INTEGER PRIMARY KEY" in plan, plan
    assert not maintenance.after_insert(FundTransaction)  # fresh now: nothing to do


def test_bulk_paths_read_rows_back_without_the_lists_order(projects):
    """FundTransaction's list order (project → the project's own order) is a join: the bulk paths'
    reads by id must not carry it (on SQLite it made the planner walk every project per chunk: the
    logged update of 150 000 rows took minutes)."""
    with acting_as(None, source="test"):
        created = FundTransaction.objects.bulk_create(new_transactions(projects, 30))
    rows = FundTransaction.objects.filter(pk__in=[t.pk for t in created])
    with CaptureQueriesContext(connection) as ctx, acting_as(None, source="test"):
        rows.update(amount=F("amount") + 1)
        rows.delete()
    by_id = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "projects_fundtransaction"' in q["sql"]
        and '"id" IN' in q["sql"]
    ]
    assert by_id and not [sql for sql in by_id if "ORDER BY" in sql], by_id
