"""The activity records of investment, talent, education, culture and health, and reported figures
(ManualValue), are reviewed before they count (review.Reviewable), and closed periods refuse them on
the web forms. Each metric's default counts 已审核 records only; review="all" counts drafts too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from tests.cases.culture import make_manual_value
from tests.cases.health import make_activity
from tests.factories import make_user
from tests.factories_talent import make_course
from tests.kit import all_cases
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships
from yuanjiang.metrics.registry import STOCK, ReportedMetric, all_metrics, evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period, calendar_year
from yuanjiang.review import services
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import Reviewable
from yuanjiang.talent.models import TrainingCourse

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
DRAFT = {"review_status": "draft"}


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


# Wide enough for any record the kit's makers build (a reported figure may be dated from 2019 on).
EVER = Period(dt.date(2019, 1, 1), dt.date(2026, 12, 31))


def value(codes, program, review=None) -> dict:
    figures = evaluate(codes, Scope(program=program), EVER, review=review)
    return {code: figures[code].value or Decimal("0") for code in codes}


def _records_model(metric, scope):
    """The model a metric counts (None for one computed from other metrics or from reference data)."""
    try:
        return metric.records(scope, PERIOD).model
    except Exception:  # a rate or difference of other metrics has no records of its own
        return None


def _counting(model, program) -> list[str]:
    scope = Scope(program=program)
    return [m.code for m in all_metrics() if _records_model(m, scope) is model]


# Every reviewable model (review.Reviewable) a registered metric counts, found in the registries (apps,
# metrics, tests/cases), not listed by hand: a new app's reviewed records are covered with no test edit.
REVIEWABLE = sorted(
    (m for m in apps.get_models() if issubclass(m, Reviewable)), key=lambda m: m._meta.label_lower
)


@pytest.mark.parametrize("model", REVIEWABLE, ids=lambda m: m._meta.label_lower)
def test_a_draft_counts_only_when_asked_for_all_and_once_approved(program, clerk, lead, model):
    codes = _counting(model, program)
    if not codes:
        pytest.skip(f"no metric counts {model._meta.label_lower} (it is reviewed, not counted)")
    case = {c.name: c for c in all_cases()}.get(model._meta.model_name)
    assert case, f"register a ScopedCase for {model._meta.label_lower} in tests/cases/"
    before = value(codes, program)
    record = case.make(program, 1)
    with acting_as(None, source="test"):
        model.objects.filter(pk=record.pk).update(review_status=ReviewStatus.DRAFT)
    record.refresh_from_db()
    assert value(codes, program) == before  # the metrics' default: 已审核 only
    with_drafts = value(codes, program, review="all")
    assert with_drafts != before, f"the draft {model._meta.label_lower} counts in none of {codes}"
    services.record_submit(record, clerk)
    assert value(codes, program) == before  # submitted is not approved
    services.record_approve(record, lead)
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.APPROVED
    assert value(codes, program) == with_drafts
    assert value(codes, program, review="all") == with_drafts


def test_a_stock_reported_figure_takes_the_latest_counted_report(program):
    """A later draft report does not hide the approved one before it (and counts with review=all)."""
    code = "culture.tourism_revenue"
    stock = ReportedMetric(code=code, label="测试时点报送数", unit="元", period_rule=STOCK)
    make_manual_value(
        program, 1, metric=code, value="500", start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31)
    )
    make_manual_value(
        program, 2, metric=code, value="900", start=dt.date(2024, 4, 1), end=dt.date(2024, 5, 31), **DRAFT
    )
    assert stock.compute(Scope(program=program), PERIOD) == 500
    assert stock.compute(Scope(program=program, review="all"), PERIOD) == 900


def test_the_list_and_detail_pages_show_the_review_buttons(client, clerk, program):
    activity = make_activity(program, 1, **DRAFT)
    course = make_course(program, 1, **DRAFT)
    client.force_login(clerk)
    submit = reverse("review:record_action", args=["health.medicalactivity", activity.pk, "submit"])
    for url in (reverse("health:medicalactivity_list"), activity.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "草稿" in page and submit in page, url
    submit = reverse("review:record_action", args=["talent.trainingcourse", course.pk, "submit"])
    for url in (reverse("talent:trainingcourse_list"), course.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "草稿" in page and submit in page, url


# -- closed periods refuse the records on the web forms -------------------------------------------


def activity_data(program, **overrides):
    data = {
        "program": program.pk,
        "kind": "free_clinic",
        "title": "巡回义诊",
        "date": "2023-11-14",
        "beneficiaries": "120",
        "cases": "0",
    }
    data.update(overrides)
    return data


def course_data(program, **overrides):
    data = {
        "program": program.pk,
        "name": "党政干部能力提升班",
        "audience": "cadre",
        "mode": "mainland",
        "place": "南通市委党校",
        "start": "2023-09-01",
        "end": "2023-09-07",
        "participants": "40",
        "aid_funds": "180000",
    }
    data.update(overrides)
    return data


def date_errors(response, field):
    assert response.status_code == 200, response.status_code
    return " ".join(str(e) for e in response.context["form"].errors.get(field, []))


def test_a_closed_period_refuses_a_medical_activity_created_or_edited_in_it(client, clerk, lead, program):
    in_closed = make_activity(program, 1, date=dt.date(2023, 11, 14), beneficiaries=10)
    in_open = make_activity(program, 2, date=dt.date(2024, 3, 1), beneficiaries=20)
    services.close_period(program, calendar_year(2023), lead, "2023年度报告已上报")
    client.force_login(clerk)
    count = MedicalActivity.objects.count()

    response = client.post(reverse("health:medicalactivity_create"), activity_data(program))
    assert "已结账" in date_errors(response, "date")
    assert MedicalActivity.objects.count() == count

    edit = reverse("health:medicalactivity_edit", args=[in_closed.pk])
    response = client.post(
        edit,
        activity_data(program, date="2023-11-14", beneficiaries="999", expected_version=in_closed.version),
    )
    assert "已结账" in date_errors(response, "date")
    moved = reverse("health:medicalactivity_edit", args=[in_open.pk])
    response = client.post(moved, activity_data(program, date="2023-12-01", expected_version=in_open.version))
    assert "已结账" in date_errors(response, "date")
    in_closed.refresh_from_db()
    in_open.refresh_from_db()
    assert (in_closed.beneficiaries, in_open.date) == (10, dt.date(2024, 3, 1))

    # the open year is still open
    response = client.post(
        reverse("health:medicalactivity_create"), activity_data(program, date="2024-02-01")
    )
    assert response.status_code == 302 and MedicalActivity.objects.count() == count + 1


def test_a_closed_period_refuses_a_training_course_created_or_edited_in_it(client, clerk, lead, program):
    in_closed = make_course(program, 1, start=dt.date(2023, 9, 1), end=dt.date(2023, 9, 7))
    in_open = make_course(program, 2, start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 5))
    services.close_period(program, calendar_year(2023), lead)
    client.force_login(clerk)
    count = TrainingCourse.objects.count()

    response = client.post(reverse("talent:trainingcourse_create"), course_data(program))
    assert "已结账" in date_errors(response, "start")
    assert TrainingCourse.objects.count() == count

    response = client.post(
        reverse("talent:trainingcourse_edit", args=[in_closed.pk]),
        course_data(program, participants="999", expected_version=in_closed.version),
    )
    assert "已结账" in date_errors(response, "start")
    response = client.post(
        reverse("talent:trainingcourse_edit", args=[in_open.pk]),
        course_data(program, start="2023-12-01", end="2023-12-05", expected_version=in_open.version),
    )
    assert "已结账" in date_errors(response, "start")
    in_closed.refresh_from_db()
    in_open.refresh_from_db()
    assert (in_closed.participants, in_open.start) == (40, dt.date(2024, 3, 1))

    response = client.post(
        reverse("talent:trainingcourse_create"), course_data(program, start="2024-02-01", end="2024-02-03")
    )
    assert response.status_code == 302 and TrainingCourse.objects.count() == count + 1


def test_the_township_coverage_grid_counts_what_the_coverage_figures_count(client, clerk, program):
    ts = list(county_townships([program.recipient_region_id]))
    make_activity(program, 1, township=ts[0], beneficiaries=100, title="已审核义诊")
    make_activity(program, 2, township=ts[1], beneficiaries=20, title="草稿义诊", **DRAFT)
    client.force_login(clerk)
    url = reverse("health:township_coverage")
    params = {"program": program.slug, "period": PERIOD.token}
    approved = client.get(url, params).context
    assert [c["free_clinics"] for c in approved["cells"][:2]] == [1, 0] and approved["covered"] == 1
    assert approved["figures"][0].value == 1  # health.free_clinics agrees with the grid
    listed = client.get(approved["cells"][1]["url"]).content.decode()
    assert "草稿义诊" not in listed  # the township's link lists what was counted
    everything = client.get(url, {**params, "review": "all"}).context
    assert [c["free_clinics"] for c in everything["cells"][:2]] == [1, 1] and everything["covered"] == 2
    assert everything["figures"][0].value == 2
