"""Project status, derived from milestone dates: one rule, evaluated in SQL and in Python.

The latest milestone reached decides: 验收 → 已验收, 交付/投产 → 已交付, 完工 → 已完工, 开工 → 在建,
none → 未开工. "Reached on a date" means its actual date is on or before that date, so 开工率 for a
period can never disagree with the dates.
"""

import datetime as dt

from django.db.models import Case, CharField, Q, Value, When

from yuanjiang.projects.choices import Status

# (status, the actual-date field that reaches it), latest milestone first.
RULES: tuple[tuple[Status, str], ...] = (
    (Status.ACCEPTED, "actual_acceptance"),
    (Status.DELIVERED, "actual_delivery"),
    (Status.COMPLETED, "actual_completion"),
    (Status.UNDERWAY, "actual_start"),
)


def reached_q(field: str, on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{field}__lte": on})


def status_expression(on: dt.date, prefix: str = "") -> Case:
    """SQL: the status of each project as of `on`."""
    return Case(
        *[When(reached_q(field, on, prefix), then=Value(status.value)) for status, field in RULES],
        default=Value(Status.NOT_STARTED.value),
        output_field=CharField(),
    )


def status_q(status: str, on: dt.date, prefix: str = "") -> Q:
    """SQL filter: projects whose status as of `on` is `status`."""
    q = Q()
    for rule_status, field in RULES:
        if rule_status == status:
            return q & reached_q(field, on, prefix)
        q &= ~reached_q(field, on, prefix) | Q(**{f"{prefix}{field}__isnull": True})
    return q  # NOT_STARTED: no milestone reached


def status_of(project, on: dt.date) -> Status:
    """Python: the status of one loaded project as of `on` (same RULES)."""
    for status, field in RULES:
        value = getattr(project, field)
        if value is not None and value <= on:
            return status
    return Status.NOT_STARTED
