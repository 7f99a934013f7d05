"""文旅: events through the web form, and reported figures (报送数: metrics.ManualValue and
ReportedMetric) — refused without a source, never combined with computed figures, always labelled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.cases.culture import make_event, make_manual_value
from tests.kit import count_queries
from yuanjiang.culture.models import CultureEvent
from yuanjiang.metrics import registry
from yuanjiang.metrics.models import ManualValue
from yuanjiang.metrics.registry import STOCK, DifferenceMetric, RateMetric, ReportedMetric, evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Region
from yuanjiang.org.periods import Period

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def event_data(program, **overrides):
    data = {
        "program": program.pk,
        "name": "“四季游”杏花季推介",
        "kind": "tourism_promotion",
        "date": "2024-04-06",
        "place": "杏花沟",
        "participants": "500",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("participants", "-1", "参与人数不能为负数。"),
        ("participants", "100000000", "参与人数超过1000万，请核对。"),
        ("township", "FOREIGN", "所选乡镇不存在，或不属于本项目组的受援县。"),
        ("end_date", "2024-04-01", "结束日期不能早于活动日期。"),
        ("date", "9999-12-31", "活动日期不能晚于今天"),
        ("date", "0001-01-01", "活动日期不能早于1997年1月1日。"),
    ],
)
def test_event_bad_input(client, clerk, program, other_program, field, value, message):
    if value == "FOREIGN":
        value = Region.objects.get(code="654002100").pk
    client.force_login(clerk)
    response = client.post(reverse("culture:cultureevent_create"), event_data(program, **{field: value}))
    assert response.status_code == 200
    assert any(message in e for e in errors(response, field)), errors(response, field)
    assert not CultureEvent.objects.exists()


def test_event_for_another_program_is_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    response = client.post(
        reverse("culture:cultureevent_create"), {**event_data(program), "program": other_program.pk}
    )
    assert errors(response, "program")
    assert not CultureEvent.objects.exists()
    assert client.post(reverse("culture:cultureevent_create"), event_data(program)).status_code == 302
    assert CultureEvent.objects.get().program == program


def test_events_metric(program, other_program):
    make_event(program, 1, date=dt.date(2023, 10, 19), participants=300)
    make_event(program, 2, date=dt.date(2024, 4, 6), participants=None)
    make_event(program, 3, date=dt.date(2024, 7, 1), participants=50)  # after the period
    make_event(other_program, 4, date=dt.date(2024, 1, 1), participants=999)
    figures = evaluate(["culture.events", "culture.event_participants"], Scope(program=program), PERIOD)
    assert figures["culture.events"].value == 2
    assert figures["culture.event_participants"].value == 300


# Reported figures (报送数)


def value_data(program, **overrides):
    data = {
        "program": program.pk,
        "metric": "culture.tourist_visits",
        "period_start": "2024-01-01",
        "period_end": "2024-05-31",
        "value": "1260000",
        "source": "伊宁县文旅局《2024年1—5月旅游接待情况》",
        "reporter": "伊宁县文化体育广播电视和旅游局",
        "source_date": "2024-06-12",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("source", ["", "   "])
def test_reported_figure_without_a_source_is_refused(client, clerk, program, source):
    client.force_login(clerk)
    response = client.post(reverse("metrics:manualvalue_create"), value_data(program, source=source))
    assert response.status_code == 200
    assert errors(response, "source") == ["请填写来源文件：没有来源的报送数不予录入。"]
    assert not ManualValue.objects.exists()


def test_reported_figure_without_a_source_is_refused_by_the_model_and_the_database(program):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    value = ManualValue(
        program=program,
        metric="culture.tourist_visits",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 1, 31),
        value=Decimal("1"),
        source="",
        source_date=dt.date(2024, 2, 1),
    )
    with pytest.raises(ValidationError) as exc:
        value.full_clean()
    assert "source" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("metric", "culture.events", "所选指标不是报送类指标。"),
        ("metric", "nope", "所选指标不是报送类指标。"),
        ("value", "-5", "报送数值不能为负数。"),
        ("period_end", "2023-12-31", "统计截止日期不能早于统计起始日期。"),
        ("source_date", "9999-01-01", "报送日期不能晚于今天"),
        ("period_start", "0001-01-01", "统计起始日期不能早于1997年1月1日。"),
    ],
)
def test_reported_figure_bad_input(client, clerk, program, field, value, message):
    client.force_login(clerk)
    response = client.post(reverse("metrics:manualvalue_create"), value_data(program, **{field: value}))
    assert response.status_code == 200
    assert any(message in e for e in errors(response, field)), errors(response, field)
    assert not ManualValue.objects.exists()


def test_reported_figure_is_entered_with_who_entered_it_and_overlaps_are_refused(client, clerk, program):
    client.force_login(clerk)
    assert client.post(reverse("metrics:manualvalue_create"), value_data(program)).status_code == 302
    entered = ManualValue.objects.get()
    assert entered.entered_by == clerk and entered.source.startswith("伊宁县文旅局")
    response = client.post(
        reverse("metrics:manualvalue_create"),
        value_data(program, period_start="2024-05-01", period_end="2024-06-30"),
    )
    assert "统计期重叠" in errors(response, "period_start")[0]
    assert ManualValue.objects.count() == 1
    detail = client.get(reverse("metrics:manualvalue_detail", args=[entered.pk])).content.decode()
    assert "伊宁县文旅局" in detail and "126万人次" in detail


def test_reported_flow_metric_sums_the_reports_within_the_period_and_is_none_without_any(
    program, other_program
):
    scope = Scope(program=program)
    assert evaluate(["culture.tourist_visits"], scope, PERIOD)["culture.tourist_visits"].value is None
    make_manual_value(program, 1, value="1000", start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
    make_manual_value(program, 2, value="2000", start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30))
    make_manual_value(program, 3, value="4000", start=dt.date(2024, 7, 1), end=dt.date(2024, 9, 30))
    make_manual_value(other_program, 4, value="8000", start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
    make_manual_value(program, 5, metric="culture.tourism_revenue", value="500000")
    figures = evaluate(["culture.tourist_visits", "culture.tourism_revenue"], scope, PERIOD)
    assert figures["culture.tourist_visits"].value == 3000
    assert figures["culture.tourist_visits"].as_dict() == {
        "value": 3000,
        "unit": "人次",
        "label": "接待游客",
        "basis": "报送数",
    }
    assert figures["culture.tourism_revenue"].value is None  # its only report (2019) is outside the period
    front = Scope(organization=program.provider.parent)
    assert evaluate(["culture.tourist_visits"], front, PERIOD)["culture.tourist_visits"].value == 11000


def test_reported_stock_metric_takes_the_latest_report_per_program(program):
    metric = ReportedMetric(code="test.stock_reported", label="测试存量报送", unit="个", period_rule=STOCK)
    registry._registry.metrics[metric.code] = metric
    try:
        make_manual_value(
            program, 1, metric=metric.code, value="10", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)
        )
        make_manual_value(
            program, 2, metric=metric.code, value="15", start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)
        )
        make_manual_value(
            program, 3, metric=metric.code, value="99", start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31)
        )
        scope = Scope(program=program)
        assert metric.compute(scope, PERIOD) == 15
        assert metric.compute(scope, Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))) == 10
        assert metric.compute_by_program(scope, PERIOD) == {program.pk: 15}
    finally:
        del registry._registry.metrics[metric.code]


def test_reported_figures_are_never_combined_with_computed_ones(program):
    for metric in (
        RateMetric(
            code="test.bad_rate",
            label="坏比率",
            unit="%",
            numerator="culture.tourist_visits",
            denominator="culture.events",
        ),
        DifferenceMetric(
            code="test.bad_difference",
            label="坏差值",
            unit="人次",
            minuend="culture.event_participants",
            subtrahend="culture.tourist_visits",
        ),
    ):
        registry._registry.metrics[metric.code] = metric
        try:
            with pytest.raises(ValueError, match="报送数"):
                evaluate([metric.code], Scope(program=program), PERIOD)
        finally:
            del registry._registry.metrics[metric.code]


def test_overview_labels_reported_figures(client, clerk, program):
    make_manual_value(program, 1, value="1260000", start=dt.date(2024, 1, 1), end=dt.date(2024, 5, 31))
    make_event(program, 2)
    client.force_login(clerk)
    page = client.get(
        reverse("org:program_detail", args=[program.slug]), {"period": PERIOD.token}
    ).content.decode()
    assert "文旅" in page and "民生援疆·教育" in page
    assert "接待游客" in page and "报送数" in page and "126万人次" in page
    records = client.get(
        reverse("metrics:metric_records", args=["culture.tourist_visits"]),
        {"program": program.slug, "period": PERIOD.token},
    ).content.decode()
    assert "报送数" in records and "套件来源文件1" in records


def test_reported_list_and_metric_pages_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    url = reverse("metrics:metric_records", args=["culture.tourist_visits"])
    params = {"program": program.slug, "period": "2000-01-01:2024-06-30"}
    for n in range(2):
        make_manual_value(program, n)
    small = count_queries(lambda: client.get(url, params))
    for n in range(10, 30):
        make_manual_value(program, n)
    assert count_queries(lambda: client.get(url, params)) == small


def test_reported_figure_for_another_program_or_huge_is_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    url = reverse("metrics:manualvalue_create")
    response = client.post(url, {**value_data(program), "program": other_program.pk})
    assert errors(response, "program")
    response = client.post(url, value_data(program, value="1" + "0" * 30))
    assert response.status_code == 200 and errors(response, "value")
    assert not ManualValue.objects.exists()
    theirs = make_manual_value(other_program, 1)
    response = client.post(
        reverse("metrics:manualvalue_edit", args=[theirs.pk]), {**value_data(program), "expected_version": 1}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.program == other_program and theirs.value == 1000
