"""Milestone → status: a record's state derived from the dates it reached, never typed in.

One engine for every such state (an aid project's 状态 in `projects.status`, an investment project's
阶段 in `investment.stage`): a table of rules, latest milestone first, each `(value, date field)`,
and a default for "none reached". The latest milestone reached decides. "Reached on a date" means the
field's date is on or before that date, so a figure for a period (开工率, the pipeline) can never
disagree with the dates. The same rules are evaluated in SQL (`expression`, `q`) and in Python (`of`).

    ENGINE = Milestones(((Status.ACCEPTED, "actual_acceptance"), …), default=Status.NOT_STARTED)
    Project.objects.annotate(status_code=ENGINE.expression(on)).filter(ENGINE.q("underway", on))
    ENGINE.of(project, on)
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Case, CharField, Q, Value, When


def reached_q(field: str, on: dt.date, prefix: str = "") -> Q:
    """SQL: the milestone `field` was reached on or before `on`."""
    return Q(**{f"{prefix}{field}__lte": on})


class Milestones:
    def __init__(self, rules: Sequence[tuple[str, str]], default: str):
        self.rules = tuple(rules)  # (value, date field), latest milestone first
        self.default = default

    def expression(self, on: dt.date, prefix: str = "") -> Case:
        """SQL: the value of each row as of `on`."""
        return Case(
            *[When(reached_q(field, on, prefix), then=Value(str(value))) for value, field in self.rules],
            default=Value(str(self.default)),
            output_field=CharField(),
        )

    def q(self, value: str, on: dt.date, prefix: str = "") -> Q:
        """SQL filter: rows whose value as of `on` is `value` (the default: no milestone reached)."""
        q = Q()
        for rule_value, field in self.rules:
            if rule_value == value:
                return q & reached_q(field, on, prefix)
            q &= ~reached_q(field, on, prefix) | Q(**{f"{prefix}{field}__isnull": True})
        return q

    def of(self, obj, on: dt.date):
        """Python: the value of one loaded object as of `on` (same rules)."""
        for value, field in self.rules:
            reached = getattr(obj, field)
            if reached is not None and reached <= on:
                return value
        return self.default
