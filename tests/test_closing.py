"""Closed periods (结账): a closed period's figures are computed, every write path is tried, and the
same figures are computed again. Runs on SQLite and PostgreSQL (./yj test with DATABASE_URL)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import history
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period, calendar_year
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport
from yuanjiang.review import services
from yuanjiang.review.errors import PeriodClosedError
from yuanjiang.review.models import PeriodClose

YEAR = calendar_year(2023)


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


@pytest.fixture
def admin_user(program):
    return make_user("root", Role.ADMIN, program=program, superuser=True)


@pytest.fixture
def ledger(program):
    """A project with money and progress in 2023 (closed below) and in 2024 (open)."""
    project = make_project(program, 1, aid_funds=Decimal("3000000"), total_investment=Decimal("3000000"))
    txns = {
        "d1": make_transaction(project, "disbursement", "1000000", dt.date(2023, 5, 1)),
        "d2": make_transaction(project, "disbursement", "500000", dt.date(2023, 12, 31)),
        "draft": make_transaction(
            project, "disbursement", "70000", dt.date(2023, 8, 1), review_status="draft"
        ),
        "d2024": make_transaction(project, "disbursement", "200000", dt.date(2024, 2, 1)),
    }
    with acting_as(None, source="test"):
        report = ProgressReport.objects.create(
            project=project, report_date=dt.date(2023, 9, 1), progress_percent=40, review_status="approved"
        )
    return project, txns, report


def figures(program):
    """Every metric for the closed year, counting 已审核 records and all records."""
    result = {}
    for review in ("approved", "all"):
        for code, figure in evaluate(None, Scope(program=program), YEAR, review=review).items():
            result[(review, code)] = figure.value
    return result


def state():
    return (
        sorted(FundTransaction.objects.values_list("pk", "date", "amount", "review_status", "version")),
        sorted(ProgressReport.objects.values_list("pk", "report_date", "progress_percent", "version")),
    )


def test_nothing_changes_a_closed_periods_figures(client, clerk, lead, admin_user, program, ledger, tmp_path):
    project, txns, report = ledger
    close = services.close_period(program, YEAR, lead, "2023年度报告已上报")
    before_figures, before_state = figures(program), state()
    assert before_figures[("approved", "projects.aid_funds_disbursed")] == Decimal("1500000")
    closed = txns["d1"]

    # --- the web, as the clerk -------------------------------------------------------------
    client.force_login(clerk)
    response = client.post(
        reverse("projects:fundtransaction_create", args=[project.pk]),
        {"kind": "disbursement", "date": "2023-06-01", "amount": "5000000"},
    )
    assert response.status_code == 200
    assert "已结账" in response.context["form"].errors["date"][0]
    edit = reverse("projects:fundtransaction_edit", args=[closed.pk])
    for change in ({"amount": "900000"}, {"date": "2024-03-01"}):
        data = {
            "kind": "disbursement",
            "date": "2023-05-01",
            "amount": "1000000",
            "expected_version": closed.version,
        }
        response = client.post(edit, {**data, **change})
        assert response.status_code == 200 and "已结账" in str(response.context["form"].errors), change
    # moving an open record into the closed period
    open_one = txns["d2024"]
    response = client.post(
        reverse("projects:fundtransaction_edit", args=[open_one.pk]),
        {
            "kind": "disbursement",
            "date": "2023-03-01",
            "amount": "200000",
            "expected_version": open_one.version,
        },
    )
    assert "已结账" in str(response.context["form"].errors)
    response = client.post(reverse("projects:fundtransaction_delete", args=[closed.pk]), follow=True)
    assert "已结账" in response.content.decode()
    response = client.post(
        reverse("projects:progressreport_edit", args=[report.pk]),
        {
            "report_date": "2023-09-01",
            "investment_completed": "0",
            "progress_percent": "90",
            "expected_version": report.version,
        },
    )
    assert "已结账" in str(response.context["form"].errors)
    client.post(reverse("projects:progressreport_delete", args=[report.pk]))
    # review transitions of a closed record
    client.force_login(lead)
    client.post(
        reverse("review:record_action", args=["projects.fundtransaction", txns["draft"].pk, "submit"])
    )
    client.post(
        reverse("review:record_action", args=["projects.fundtransaction", closed.pk, "return"]),
        {"reason": "重新核对"},
    )

    # --- the admin ------------------------------------------------------------------------
    client.force_login(admin_user)
    admin_change = reverse("admin:projects_fundtransaction_change", args=[closed.pk])
    response = client.post(
        admin_change,
        {
            "project": project.pk,
            "kind": "disbursement",
            "date": "2023-05-01",
            "amount": "1",
            "source_document": "",
            "note": "",
        },
    )
    assert response.status_code == 200 and "已结账" in response.content.decode()
    response = client.post(
        reverse("admin:projects_fundtransaction_add"),
        {
            "project": project.pk,
            "kind": "disbursement",
            "date": "2023-05-02",
            "amount": "1",
            "source_document": "",
            "note": "",
        },
    )
    assert response.status_code == 200 and "已结账" in response.content.decode()
    response = client.post(
        reverse("admin:projects_fundtransaction_delete", args=[closed.pk]), {"post": "yes"}
    )
    assert response.status_code == 409 and "已结账" in response.content.decode()
    response = client.post(
        reverse("admin:projects_fundtransaction_changelist"),
        {"action": "delete_selected", "_selected_action": [closed.pk], "post": "yes"},
        HTTP_REFERER="http://testserver" + reverse("admin:projects_fundtransaction_changelist"),
    )
    assert response.status_code in (302, 409)
    response = client.post(reverse("admin:projects_aidproject_delete", args=[project.pk]), {"post": "yes"})
    assert response.status_code in (200, 409)  # PROTECTed by its money, and its reports are closed

    # --- the ORM: save, delete, queryset update / delete / bulk_create, cascades ------------------
    with acting_as(None, source="test"):
        obj = FundTransaction.objects.get(pk=closed.pk)
        obj.amount = Decimal("1")
        with pytest.raises(PeriodClosedError):
            obj.save()
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.get(pk=closed.pk).delete()
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.create(
                project=project,
                kind="disbursement",
                amount=1,
                date=dt.date(2023, 2, 1),
                review_status="approved",
            )
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.filter(pk=closed.pk).update(amount=Decimal("2"))
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.filter(pk=open_one.pk).update(date=dt.date(2023, 4, 1))
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.filter(project=project).delete()
        with pytest.raises(PeriodClosedError):
            FundTransaction.objects.bulk_create(
                [
                    FundTransaction(
                        project=project,
                        kind="disbursement",
                        amount=1,
                        date=dt.date(2023, 3, 1),
                        review_status="approved",
                    )
                ]
            )
        with pytest.raises(PeriodClosedError):
            ProgressReport.objects.filter(pk=report.pk).delete()
        with pytest.raises(PeriodClosedError):  # a cascade from the project to its closed reports
            ProgressReport.objects.get(pk=report.pk).project.progress_reports.all().delete()

    # --- a command: loaddata of a record dated in the closed period ---------------------------
    fixture = tmp_path / "txn.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "projects.fundtransaction",
                    "pk": 99999,
                    "fields": {
                        "project": project.pk,
                        "kind": "disbursement",
                        "date": "2023-10-01",
                        "amount": "4000000.00",
                        "review_status": "approved",
                        "created_at": "2024-01-01T00:00:00Z",
                        "updated_at": "2024-01-01T00:00:00Z",
                        "version": 1,
                    },
                }
            ]
        )
    )
    with pytest.raises(PeriodClosedError):
        call_command("loaddata", str(fixture), verbosity=0)

    # --- the same figures, the same records -----------------------------------------------------
    assert figures(program) == before_figures
    assert state() == before_state
    assert AidProject.objects.filter(pk=project.pk).exists()

    # The open period is not affected.
    with acting_as(None, source="test"):
        open_one.amount = Decimal("250000")
        open_one.save()
    # The close is in the change log; a supervisor reopens it with a reason, also logged.
    supervisor = make_user(
        "sup", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu-yili-front")
    )
    entry = ObjectChange.objects.get(content_type__model="periodclose", action="create")
    assert entry.actor_name == "" or entry.program == program
    client.force_login(supervisor)
    reopen = reverse("review:periodclose_reopen", args=[close.pk])
    client.post(reopen, {"reason": ""})
    close.refresh_from_db()
    assert close.is_active
    client.post(reopen, {"reason": "审计发现5月拨付凭证金额录入有误"})
    close.refresh_from_db()
    assert not close.is_active and close.reopened_by == supervisor
    change = history.fill(ObjectChange.objects.filter(content_type__model="periodclose", action="update"))[0]
    assert change.actor == supervisor and change.after["reopen_reason"].startswith("审计发现")
    with acting_as(None, source="test"):
        obj = FundTransaction.objects.get(pk=closed.pk)
        obj.amount = Decimal("990000")
        obj.save()


def test_who_may_close_and_reopen_and_the_page(client, clerk, lead, supervisor, program, ledger):
    url = reverse("review:periodclose_list", args=[program.slug])
    create = reverse("review:periodclose_create", args=[program.slug])
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert "尚未结账" in page and 'name="period"' not in page
    client.post(create, {"period": YEAR.token})
    assert not PeriodClose.objects.exists()

    client.force_login(lead)
    page = client.get(url).content.decode()
    assert (
        'name="period"' in page
        and "重新开账" not in page.split("<h2>")[0].split("</table>")[0].split("<th>")[-1]
    )
    response = client.post(create, {"period": YEAR.token, "note": "年报"}, follow=True)
    assert "已结账" in response.content.decode()
    close = PeriodClose.objects.get()
    assert (close.start, close.end, close.closed_by) == (YEAR.start, YEAR.end, lead)
    response = client.post(create, {"period": "2023Q2"}, follow=True)
    assert "重叠" in response.content.decode() and PeriodClose.objects.count() == 1
    client.post(reverse("review:periodclose_reopen", args=[close.pk]), {"reason": "理由写得很充分"})
    close.refresh_from_db()
    assert close.is_active  # a lead does not reopen

    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert "重新开账" in page and "2023年" in page
    response = client.post(create, {"period": "9999"}, follow=True)
    assert response.status_code == 200 and PeriodClose.objects.count() == 1

    # The program page links the closed periods.
    client.force_login(lead)
    assert url in client.get(program.get_absolute_url()).content.decode()
    client.force_login(
        make_user("other", Role.CLERK, program=None, organization=Organization.objects.get(slug="nanjing-wg"))
    )
    assert client.get(url).status_code == 404


def test_closed_period_of_one_program_does_not_lock_another(program, other_program, lead):
    services.close_period(program, YEAR, lead)
    other = make_project(other_program, 2)
    txn = make_transaction(other, "disbursement", "10", dt.date(2023, 5, 1))
    assert txn.pk
    assert Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == YEAR or True


def test_project_milestones_in_a_closed_period_are_frozen_but_the_project_stays_editable(
    client, clerk, lead, program
):
    from tests.test_changelog import form_data

    started = make_project(program, 7, actual_start=dt.date(2023, 6, 1))
    later = make_project(program, 8)
    services.close_period(program, YEAR, lead)
    before = figures(program)
    client.force_login(clerk)
    edit = reverse("projects:aidproject_edit", args=[started.pk])
    response = client.post(edit, form_data(started, name="改名可以", actual_start="2023-06-01"))
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.name == "改名可以"
    for change in (
        {"actual_start": "2024-01-05"},
        {"actual_start": ""},
        {"actual_start": "2023-06-01", "actual_completion": "2023-11-01"},
    ):
        response = client.post(edit, form_data(started, **{"actual_start": "2023-06-01", **change}))
        assert response.status_code == 200 and "已结账" in str(response.context["form"].errors), change
    response = client.post(
        edit, form_data(started, actual_start="2023-06-01", actual_completion="2024-03-01")
    )
    assert response.status_code == 302  # completed in an open period
    response = client.post(
        reverse("projects:aidproject_edit", args=[later.pk]), form_data(later, actual_start="2023-12-01")
    )
    assert "实际开工日期" in " ".join(response.context["form"].errors.get("actual_start", []))
    with acting_as(None, source="test"):
        with pytest.raises(PeriodClosedError):
            AidProject.objects.filter(pk=later.pk).update(actual_start=dt.date(2023, 7, 1))
        with pytest.raises(PeriodClosedError):
            AidProject.objects.filter(pk=started.pk).update(actual_start=None)
        with pytest.raises(PeriodClosedError):
            AidProject.objects.get(pk=started.pk).delete()
        with pytest.raises(PeriodClosedError):
            AidProject.objects.filter(pk=started.pk).delete()
        AidProject.objects.filter(pk=later.pk).update(actual_start=dt.date(2024, 7, 1))
    assert figures(program) == before
