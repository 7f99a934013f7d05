"""The shared rules in common/: the date and township validators, the milestone engine, the filter-set
base, and the project's fund totals selector — each once, used by every app."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tests.factories import make_project, make_transaction, township
from yuanjiang.common import validators
from yuanjiang.common.filters import RecordFilterSet
from yuanjiang.common.milestones import Milestones
from yuanjiang.core.context import acting_as
from yuanjiang.culture.choices import EventKind
from yuanjiang.culture.filters import CultureEventFilterSet
from yuanjiang.culture.models import CultureEvent
from yuanjiang.investment.models import InvestmentPhase
from yuanjiang.projects.models import AidProject
from yuanjiang.projects.selectors import fund_totals

pytestmark = pytest.mark.django_db


def _event(program, **fields):
    values = dict(
        program=program, name="南通周", kind=EventKind.values[0], date=dt.date(2024, 5, 1), place="伊宁县"
    )
    values.update(fields)
    return CultureEvent(**values)


def _errors(obj) -> dict:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


def test_a_past_date_lies_between_aid_start_and_today(program):
    found = {}
    today = dt.date(2025, 1, 10)
    obj = _event(program, date=validators.AID_START, end_date=dt.date(2025, 1, 10))
    validators.check_past_dates(found, obj, "date", "end_date", today=today)
    assert found == {}
    obj = _event(program, date=validators.AID_START - dt.timedelta(days=1), end_date=dt.date(2025, 1, 11))
    validators.check_past_dates(found, obj, "date", "end_date", today=today)
    assert found == {
        "date": "活动日期不能早于1997年1月1日。",
        "end_date": "结束日期不能晚于今天（2025年1月10日）：尚未发生的事项不登记。",
    }


def test_an_earlier_error_of_the_field_wins(program):
    found = {"date": "先前的错误。"}
    validators.check_past_dates(found, _event(program, date=dt.date(1, 1, 1)), "date")
    assert found == {"date": "先前的错误。"}


def test_the_same_message_in_every_app(program):
    """Culture, projects and investment refuse a future date with the one message naming their field."""
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert _errors(_event(program, date=tomorrow))["date"][0].startswith("活动日期不能晚于今天（")
    project = make_project(program, 1)
    project.actual_start = tomorrow
    assert _errors(project)["actual_start"][0].startswith("实际开工日期不能晚于今天（")
    phase = InvestmentPhase(started_date=tomorrow, planned_start=dt.date(1996, 12, 31))
    found = _errors(phase)
    assert found["started_date"][0].startswith("实际开工日期不能晚于今天（")
    assert found["planned_start"] == ["计划开工日期不能早于1997年1月1日。"]


def test_a_township_of_another_county_is_refused(program, other_program):
    found = {}
    validators.check_township(found, _event(program, township=township(program)))
    assert found == {}
    validators.check_township(found, _event(program, township=township(other_program)))
    assert found == {"township": "所选乡镇不属于伊宁县。"}
    assert "township" in _errors(_event(program, township=township(other_program)))


def test_the_milestone_engine_agrees_in_sql_and_python(program):
    engine = Milestones((("done", "actual_completion"), ("going", "actual_start")), default="waiting")
    on = dt.date(2024, 6, 30)
    dates = [
        (None, None),
        (dt.date(2024, 1, 1), None),
        (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        (dt.date(2024, 1, 1), dt.date(2024, 7, 1)),
        (dt.date(2024, 7, 1), None),
    ]
    for n, (start, completion) in enumerate(dates):
        make_project(program, n, actual_start=start, actual_completion=completion)
    projects = AidProject.objects.annotate(s=engine.expression(on)).order_by("code")
    python = [engine.of(p, on) for p in projects]
    assert python == ["waiting", "going", "done", "going", "waiting"]
    assert [p.s for p in projects] == python
    for value in ("waiting", "going", "done"):
        chosen = set(AidProject.objects.filter(engine.q(value, on)).values_list("pk", flat=True))
        assert chosen == {p.pk for p, v in zip(projects, python, strict=True) if v == value}


def test_the_filter_base_searches_its_fields_and_scopes_the_programs(program, other_program, clerk):
    with acting_as(None, source="test"):
        _event(program, name="南通周", place="伊宁县").save()
        _event(program, name="文化周", place="南通").save()
        _event(program, name="其他", place="别处").save()
    request = RequestFactory().get("/")
    request.user = clerk
    found = CultureEventFilterSet({"q": "  南通 "}, queryset=CultureEvent.objects.all(), request=request).qs
    assert sorted(e.name for e in found) == ["南通周", "文化周"]
    choices = CultureEventFilterSet(request=request, queryset=CultureEvent.objects.all()).form.fields[
        "program"
    ]
    assert list(choices.queryset) == [program]
    assert RecordFilterSet.search_fields == ()


def test_fund_totals_and_disbursement_rate(program):
    project = make_project(program, 1, aid_funds=Decimal("2000000"))
    make_transaction(project, "commitment", Decimal("2000000"))
    make_transaction(project, "disbursement", Decimal("500000"))
    totals = fund_totals(project)
    assert (totals.commitment, totals.disbursement, totals.expenditure) == (2000000, 500000, 0)
    assert totals.disbursement_rate == Decimal("25.0")
    project.aid_funds = None
    assert fund_totals(project).disbursement_rate is None
