"""Review before figures count: 草稿 → 已提交 → 已审核 (或已退回), by the program's lead; figures count
已审核 records by default, or all of them when asked (pages, CLI, evaluate)."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import history
from yuanjiang.core.models import ObjectChange
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import FundTransaction
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import Reviewable

YEAR = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
DISBURSED = "projects.aid_funds_disbursed"


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


@pytest.fixture
def project(program):
    return make_project(program, 1, aid_funds=Decimal("3000000"), total_investment=Decimal("3000000"))


def action(client, obj, name, **data):
    url = reverse("review:record_action", args=[obj._meta.label_lower, obj.pk, name])
    return client.post(url, data)


def disbursed(program, review=None):
    return evaluate([DISBURSED], Scope(program=program), YEAR, review=review)[DISBURSED].value


def test_a_web_entry_is_a_draft_and_counts_only_once_approved_by_the_lead(
    client, clerk, lead, program, project
):
    make_transaction(project, "disbursement", "1000000")  # already 已审核
    client.force_login(clerk)
    response = client.post(
        reverse("projects:fundtransaction_create", args=[project.pk]),
        {"kind": "disbursement", "date": "2023-07-01", "amount": "500000"},
    )
    assert response.status_code == 302
    txn = FundTransaction.objects.get(amount=500000)
    assert txn.review_status == ReviewStatus.DRAFT
    assert disbursed(program) == Decimal("1000000")  # the metric's default: 已审核 only
    assert disbursed(program, review="all") == Decimal("1500000")

    # The clerk submits; a clerk cannot approve.
    assert action(client, txn, "submit").status_code == 302
    txn.refresh_from_db()
    assert txn.review_status == ReviewStatus.SUBMITTED
    page = client.get(project.get_absolute_url()).content.decode()
    assert "已提交" in page and "审核通过" not in page
    action(client, txn, "approve")
    txn.refresh_from_db()
    assert txn.review_status == ReviewStatus.SUBMITTED
    assert disbursed(program) == Decimal("1000000")

    # The lead sees the buttons and approves.
    client.force_login(lead)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "审核通过" in page
    response = action(client, txn, "approve", next=project.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    txn.refresh_from_db()
    assert txn.review_status == ReviewStatus.APPROVED and txn.reviewed_by == lead and txn.reviewed_at
    assert disbursed(program) == Decimal("1500000")

    # Every transition is in the change log, with its actor.
    changes = ObjectChange.objects.filter(content_type__model="fundtransaction", object_id=str(txn.pk))
    transitions = [
        (c.actor_name, c.before["review_status"], c.after["review_status"])
        for c in history.fill(changes.filter(action="update").order_by("id"))
    ]
    assert transitions == [("clerk", "draft", "submitted"), ("lead", "submitted", "approved")]


def test_return_needs_a_reason_and_an_edit_sends_an_approved_record_back_to_draft(
    client, clerk, lead, program, project
):
    txn = make_transaction(project, "disbursement", "1000", review_status=ReviewStatus.SUBMITTED)
    client.force_login(lead)
    action(client, txn, "return", reason="")
    txn.refresh_from_db()
    assert txn.review_status == ReviewStatus.SUBMITTED
    action(client, txn, "return", reason="凭证号缺失")
    txn.refresh_from_db()
    assert txn.review_status == ReviewStatus.RETURNED and txn.review_note == "凭证号缺失"
    page = client.get(project.get_absolute_url()).content.decode()
    assert "凭证号缺失" in page

    approved = make_transaction(project, "disbursement", "2000")
    client.force_login(clerk)
    response = client.post(
        reverse("projects:fundtransaction_edit", args=[approved.pk]),
        {
            "kind": "disbursement",
            "date": "2023-06-01",
            "amount": "2500",
            "expected_version": approved.version,
        },
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.amount == 2500 and approved.review_status == ReviewStatus.DRAFT
    assert approved.reviewed_by is None


def test_review_status_is_not_a_form_field_and_another_programs_lead_gets_404(
    client, clerk, program, other_program, project
):
    other_lead = make_user("other_lead", Role.LEAD, program=other_program)
    txn = make_transaction(project, "disbursement", "1000", review_status=ReviewStatus.SUBMITTED)
    client.force_login(clerk)
    client.post(
        reverse("projects:fundtransaction_edit", args=[txn.pk]),
        {
            "kind": "disbursement",
            "date": "2023-06-01",
            "amount": "1000",
            "review_status": "approved",
            "expected_version": txn.version,
        },
    )
    txn.refresh_from_db()
    assert txn.review_status != ReviewStatus.APPROVED
    client.force_login(other_lead)
    assert action(client, txn, "approve").status_code == 404
    assert (
        client.get(
            reverse("review:record_action", args=[txn._meta.label_lower, txn.pk, "approve"])
        ).status_code
        == 405
    )
    assert action(client, project, "approve").status_code == 404  # not reviewable


def test_the_switch_on_pages_and_the_cli(client, clerk, program, project):
    make_transaction(project, "disbursement", "1000000")
    make_transaction(project, "disbursement", "250000", review_status=ReviewStatus.DRAFT)
    client.force_login(clerk)
    base = {"period": YEAR.token}
    page = client.get(program.get_absolute_url(), base).content.decode()
    assert "审核口径" in page and "100万元" in page and "125万元" not in page
    page = client.get(program.get_absolute_url(), {**base, "review": "all"}).content.decode()
    assert "125万元" in page
    # The records page says what the metric counts by default, and which records it lists.
    url = reverse("metrics:metric_records", args=[DISBURSED])
    page = client.get(url, {"program": program.slug, **base}).content.decode()
    assert "仅计已审核记录（本指标默认：仅计已审核记录）" in page and "共 1 条记录" in page
    page = client.get(url, {"program": program.slug, "review": "all", **base}).content.decode()
    assert "共 2 条记录" in page and "草稿" in page
    assert client.get(url, {"program": program.slug, "review": "maybe", **base}).status_code == 404
    org = program.provider
    supervisor_page = client.get(org.get_absolute_url(), {**base, "review": "all"})
    assert supervisor_page.status_code in (200, 404)

    def cli(*extra):
        out = StringIO()
        call_command(
            "metrics",
            "--program",
            program.slug,
            "--period",
            YEAR.token,
            "--format",
            "json",
            *extra,
            stdout=out,
        )
        return json.loads(out.getvalue())

    assert cli()["metrics"][DISBURSED]["value"] == 1000000
    assert cli("--review", "approved")["metrics"][DISBURSED]["value"] == 1000000
    payload = cli("--review", "all")
    assert payload["metrics"][DISBURSED]["value"] == 1250000 and payload["review"] == "all"


def test_the_filter_is_applied_centrally_for_any_metric_over_a_reviewable_model(program, project):
    make_transaction(project, "expenditure", "10", review_status=ReviewStatus.DRAFT)
    make_transaction(project, "expenditure", "20")
    metric = registry.SumMetric(
        code="test.expenditure",
        label="支出",
        unit="元",
        records_fn=lambda scope, period: FundTransaction.objects.filter(kind="expenditure"),
        field_name="amount",
    )
    everything = registry.SumMetric(
        code="test.expenditure_all",
        label="支出",
        unit="元",
        counts="all",
        records_fn=lambda scope, period: FundTransaction.objects.filter(kind="expenditure"),
        field_name="amount",
    )
    scope = Scope(program=program)
    assert metric.compute(scope, YEAR) == 20 and metric.records(scope, YEAR).count() == 1
    assert everything.compute(scope, YEAR) == 30
    assert everything.compute(Scope(program=program, review="approved"), YEAR) == 20
    with pytest.raises(ValueError):
        registry.CountMetric(code="x", label="x", unit="个", counts="some")


def test_every_registered_metric_declares_what_it_counts():
    for metric in registry.all_metrics():
        assert metric.counts in ("approved", "all"), metric.code
    assert issubclass(FundTransaction, Reviewable)


def test_lists_filter_by_review_status_and_show_the_buttons(client, clerk, lead, program, project):
    make_transaction(project, "disbursement", "111", review_status=ReviewStatus.SUBMITTED)
    make_transaction(project, "disbursement", "222", review_status=ReviewStatus.APPROVED)
    client.force_login(lead)
    url = reverse("projects:fundtransaction_list")
    page = client.get(url, {"review_status": "submitted"}).content.decode()
    assert "111.00元" in page and "222.00元" not in page and "审核通过" in page
    page = client.get(url).content.decode()
    assert "111.00元" in page and "222.00元" in page
