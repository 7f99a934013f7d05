"""Stage of an investment project, derived from its stage dates: one rule table, evaluated in SQL and
in Python (like projects.status).

The latest stage reached decides: 投产 → 开工 → 落户 → 签约; none reached → 洽谈. "Reached on a date"
means its date is on or before that date, so the pipeline of a period can never disagree with the
dates, and nobody types a stage in.
"""

import datetime as dt

from django.db.models import Case, CharField, Q, Value, When

from yuanjiang.investment.choices import Stage

# (stage, its date field, label), in pipeline order: 洽谈 → 签约 → 落户 → 开工 → 投产.
STAGES: tuple[tuple[Stage, str], ...] = (
    (Stage.NEGOTIATING, "negotiation_date"),
    (Stage.SIGNED, "signed_date"),
    (Stage.LANDED, "landed_date"),
    (Stage.STARTED, "started_date"),
    (Stage.OPERATING, "operating_date"),
)
STAGE_FIELDS = {stage: field for stage, field in STAGES}

# The rules, latest stage first. 洽谈 is also the default (a recorded project is at least in talks).
RULES: tuple[tuple[Stage, str], ...] = tuple(reversed(STAGES[1:]))


def reached_q(field: str, on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{field}__lte": on})


def stage_expression(on: dt.date, prefix: str = "") -> Case:
    """SQL: the stage of each project as of `on`."""
    return Case(
        *[When(reached_q(field, on, prefix), then=Value(stage.value)) for stage, field in RULES],
        default=Value(Stage.NEGOTIATING.value),
        output_field=CharField(),
    )


def stage_q(stage: str, on: dt.date, prefix: str = "") -> Q:
    """SQL filter: projects whose stage as of `on` is `stage`."""
    q = Q()
    for rule_stage, field in RULES:
        if rule_stage == stage:
            return q & reached_q(field, on, prefix)
        q &= ~reached_q(field, on, prefix) | Q(**{f"{prefix}{field}__isnull": True})
    return q  # NEGOTIATING: no later stage reached


def stage_of(project, on: dt.date) -> Stage:
    """Python: the stage of one loaded project as of `on` (same RULES)."""
    for stage, field in RULES:
        value = getattr(project, field)
        if value is not None and value <= on:
            return stage
    return Stage.NEGOTIATING
