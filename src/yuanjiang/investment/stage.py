"""Stage of an investment project, derived from its stage dates by the one engine
(`common.milestones`, like projects.status), and the pipeline of a program built from it.

The latest stage reached decides: 投产 → 开工 → 落户 → 签约; none reached → 洽谈. "Reached on a date"
means its date is on or before that date, so the pipeline of a period can never disagree with the
dates, and nobody types a stage in.
"""

from yuanjiang.common.milestones import Milestones, reached_q
from yuanjiang.investment.choices import Stage

# (stage, its date field), in pipeline order: 洽谈 → 签约 → 落户 → 开工 → 投产.
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
ENGINE = Milestones(RULES, default=Stage.NEGOTIATING)

stage_expression = ENGINE.expression  # SQL: the stage of each project as of `on`
stage_q = ENGINE.q  # SQL filter: projects whose stage as of `on` is `stage`
stage_of = ENGINE.of  # Python: the stage of one loaded project as of `on`

# The figure behind each pipeline column (its records are the column's projects).
STAGE_METRICS = {
    Stage.SIGNED: "investment.projects_signed",
    Stage.LANDED: "investment.projects_landed",
    Stage.STARTED: "investment.projects_started",
    Stage.OPERATING: "investment.projects_operating",
}


def pipeline(projects, period) -> list[dict]:
    """The pipeline as of the period end, one column per stage in pipeline order: the projects at that
    stage then (a project whose first date lies after the period end is not in it yet), their planned
    investment, and the projects that reached the stage within the period (by date)."""
    end = period.end
    columns = {
        s: {"stage": s, "projects": [], "planned": 0, "moved": [], "metric": STAGE_METRICS.get(s)}
        for s, _f in STAGES
    }
    for p in projects:
        dates = [getattr(p, f) for _s, f in STAGES if getattr(p, f)]
        if dates and min(dates) > end:
            continue  # not yet in the pipeline at the period end
        column = columns[stage_of(p, end)]
        column["projects"].append(p)
        column["planned"] += p.planned_investment
        for s, field in STAGES:
            value = getattr(p, field)
            if value and period.start <= value <= end:
                columns[s]["moved"].append((p, value))
    for column in columns.values():
        column["moved"].sort(key=lambda pair: pair[1])
    return list(columns.values())


__all__ = [
    "ENGINE",
    "RULES",
    "STAGES",
    "STAGE_FIELDS",
    "STAGE_METRICS",
    "pipeline",
    "reached_q",
    "stage_expression",
    "stage_of",
    "stage_q",
]
