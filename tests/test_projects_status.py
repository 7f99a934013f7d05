import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_project, make_transaction
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.projects.choices import Status
from yuanjiang.projects.models import AidProject
from yuanjiang.projects.status import status_of

D = dt.date


@pytest.mark.parametrize(
    ("dates", "on", "expected"),
    [
        ({}, D(2024, 6, 30), Status.NOT_STARTED),
        ({"actual_start": D(2023, 7, 1)}, D(2024, 6, 30), Status.UNDERWAY),
        (
            {"actual_start": D(2023, 7, 1)},
            D(2023, 6, 30),
            Status.NOT_STARTED,
        ),  # as of a date before the start
        (
            {"actual_start": D(2023, 7, 1), "actual_completion": D(2024, 5, 1)},
            D(2024, 6, 30),
            Status.COMPLETED,
        ),
        (
            {
                "actual_start": D(2023, 7, 1),
                "actual_completion": D(2024, 5, 1),
                "actual_delivery": D(2024, 6, 1),
            },
            D(2024, 6, 30),
            Status.DELIVERED,
        ),
        (
            {
                "actual_start": D(2023, 7, 1),
                "actual_completion": D(2024, 5, 1),
                "actual_delivery": D(2024, 6, 1),
                "actual_acceptance": D(2024, 6, 20),
            },
            D(2024, 6, 30),
            Status.ACCEPTED,
        ),
        ({"planned_start": D(2023, 5, 1)}, D(2024, 6, 30), Status.NOT_STARTED),  # planned dates never count
    ],
)
def test_status_is_derived_from_milestones_in_python_and_sql_alike(program, dates, on, expected):
    project = make_project(program, 1, **dates)
    assert status_of(project, on) == expected
    annotated = AidProject.objects.with_status(on).get(pk=project.pk)
    assert annotated.status_code == expected.value
    assert AidProject.objects.in_status(expected.value, on).filter(pk=project.pk).exists()
    others = [s for s in Status if s != expected]
    assert not any(AidProject.objects.in_status(s.value, on).filter(pk=project.pk).exists() for s in others)


def test_rates_follow_the_dates(program):
    period = Period(D(2023, 4, 1), D(2024, 6, 30))
    make_project(program, 1, actual_start=D(2023, 6, 1), actual_completion=D(2024, 5, 1))
    make_project(program, 2, actual_start=D(2023, 8, 1))
    make_project(program, 3, actual_start=D(2024, 8, 1))  # started after the period end: not counted
    make_project(program, 4)
    make_project(program, 5, plan_year=2025, actual_start=D(2025, 4, 1))  # outside the period's plan years
    figures = evaluate(None, Scope(program=program), period)
    values = {code: f.value for code, f in figures.items()}
    assert values["projects.count"] == 4
    assert values["projects.started"] == 2
    assert values["projects.started_rate"] == 50
    assert values["projects.completed"] == 1
    assert values["projects.completed_rate"] == 25


def test_disbursement_rate_counts_disbursements_up_to_period_end(program):
    period = Period(D(2023, 1, 1), D(2023, 12, 31))
    p = make_project(program, 1, aid_funds=Decimal("3000000"))
    make_transaction(p, "commitment", "3000000", D(2023, 3, 1))
    make_transaction(p, "disbursement", "1000000", D(2023, 5, 1))
    make_transaction(p, "disbursement", "500000.50", D(2023, 12, 31))
    make_transaction(p, "disbursement", "700000", D(2024, 1, 2))  # after the period end
    make_transaction(p, "expenditure", "900000", D(2023, 6, 1))
    values = {c: f.value for c, f in evaluate(None, Scope(program=program), period).items()}
    assert values["projects.aid_funds_planned"] == Decimal("3000000")
    assert values["projects.aid_funds_disbursed"] == Decimal("1500000.50")
    assert isinstance(values["projects.aid_funds_disbursed"], Decimal)
    assert values["projects.disbursement_rate"] == Decimal("50")


def test_rate_of_an_empty_scope_is_none_not_zero_nor_an_error(program):
    values = {
        c: f.value
        for c, f in evaluate(None, Scope(program=program), Period(D(2030, 1, 1), D(2030, 12, 31))).items()
    }
    assert values["projects.count"] == 0
    assert values["projects.started_rate"] is None
    assert values["projects.disbursement_rate"] is None
