"""Project metrics, under the period rules of docs/metrics.md ("Period rules"):

- PLAN — the projects of a period are those of its annual plans (计划年度 within the period's calendar
  years: 新建) plus the continuing ones (续建): planned in an earlier year and not completed before the
  period starts. 开工率 is the annual plans' (新建), as annual reports use it.
- FLOW — money disbursed is counted by the date of each 拨付, in the period, whatever the project's plan
  year (a final payment for a project completed last year is this year's money).
- STOCK — cumulative figures (累计拨付, 累计完工) are the state as of the period end.
"""

from django.db.models import Q

from yuanjiang.metrics.registry import (
    FLOW,
    PLAN,
    STOCK,
    CountMetric,
    RateMetric,
    Section,
    SumMetric,
    register,
    register_section,
)
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction


def counted_once(day, prefix: str = "") -> Q:
    """A project carried over at a handover (docs/metrics.md, "Batches and the handover") exists twice:
    the outgoing batch's record (its origin) and the incoming batch's 续建 copy, both dated
    `handed_over_on`. Read as of `day`, the origin counts before the handover and the copy from it on,
    so a scope holding both batches (a front command, a province) counts the project once."""
    return (
        Q(**{f"{prefix}handed_over_on__isnull": True})
        | Q(**{f"{prefix}carried_from__isnull": True, f"{prefix}handed_over_on__gt": day})
        | Q(**{f"{prefix}carried_from__isnull": False, f"{prefix}handed_over_on__lte": day})
    )


def _planned_this_period(period, prefix: str = "") -> Q:
    """新建: the period's annual plans."""
    return Q(
        **{f"{prefix}plan_year__gte": period.start.year, f"{prefix}plan_year__lte": period.end.year}
    ) & counted_once(period.start, prefix)


def _continuing(period, prefix: str = "") -> Q:
    """续建: planned in an earlier year and not completed before the period starts."""
    return (
        Q(**{f"{prefix}plan_year__lt": period.start.year})
        & (
            Q(**{f"{prefix}actual_completion__isnull": True})
            | Q(**{f"{prefix}actual_completion__gte": period.start})
        )
        & counted_once(period.start, prefix)
    )


def _of_period(period, prefix: str = "") -> Q:
    """The projects of a period (PLAN): its annual plans and the continuing projects."""
    return _planned_this_period(period, prefix) | _continuing(period, prefix)


# The records every project metric shares: the scope's projects, and the scope's 拨付. Each metric
# narrows them with a `where` (a Q), so the registry computes all of them in one query per model
# (docs/metrics.md, "Metrics that share their records").


def project_records(scope, period):
    """Every project of the scope, whatever its plan year."""
    return AidProject.objects.filter(scope.q("program"))


def disbursement_records(scope, period):
    """Every 拨付 of the scope's projects, whatever its date."""
    return FundTransaction.objects.filter(scope.q("project__program"), kind=TransactionKind.DISBURSEMENT)


def in_period(scope, period) -> Q:
    return _of_period(period)


def new_in_period(scope, period) -> Q:
    return _planned_this_period(period)


def continuing_in_period(scope, period) -> Q:
    return _continuing(period)


def started_in_period(scope, period) -> Q:
    return _of_period(period) & Q(actual_start__lte=period.end)


def new_started_in_period(scope, period) -> Q:
    return _planned_this_period(period) & Q(actual_start__lte=period.end)


def completed_in_period(scope, period) -> Q:
    return _of_period(period) & Q(actual_completion__lte=period.end)


def completed_by_period_end(scope, period) -> Q:
    return Q(actual_completion__lte=period.end) & counted_once(period.end)


def dated_in_period(scope, period) -> Q:
    """FLOW: every 拨付 dated within the period, whatever its project's plan year."""
    return Q(date__gte=period.start, date__lte=period.end)


def to_date_of_period_projects(scope, period) -> Q:
    """STOCK: the 拨付 of the period's projects dated up to the period end (since they began)."""
    return Q(date__lte=period.end) & _of_period(period, prefix="project__")


def projects_in(scope, period):
    """The projects of a period: its annual plans and the continuing projects."""
    return project_records(scope, period).filter(_of_period(period))


register(
    CountMetric(
        code="projects.count",
        label="援疆项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("援疆项目", "援疆项目数", "项目数", "实施援疆项目"),
        description=(
            "统计期内实施的援疆项目个数：计划年度在统计期内的年度计划项目（新建），加上以前年度计划、"
            "统计期开始前尚未完工的项目（续建）。"
        ),
        records_fn=project_records,
        where=in_period,
    )
)
register(
    CountMetric(
        code="projects.count_new",
        label="新建项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("新建项目", "新建项目数", "年度计划项目", "当年计划项目"),
        description="计划年度在统计期内的年度计划项目个数（按计划年度区分新建与续建，与“建设性质”无关）。",
        records_fn=project_records,
        where=new_in_period,
    )
)
register(
    CountMetric(
        code="projects.count_continuing",
        label="续建项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("续建项目", "续建项目数"),
        description="以前年度计划、统计期开始前尚未完工、在统计期内继续实施的项目个数。",
        records_fn=project_records,
        where=continuing_in_period,
    )
)
register(
    CountMetric(
        code="projects.started",
        label="已开工项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("开工项目", "已开工项目", "开工"),
        description="统计期的项目（新建及续建）中，实际开工日期不晚于统计期末的个数。",
        records_fn=project_records,
        where=started_in_period,
    )
)
register(
    CountMetric(
        code="projects.started_new",
        label="新建项目已开工数",
        unit="个",
        period_rule=PLAN,
        aliases=("新开工项目", "当年开工项目"),
        description="年度计划（新建）项目中，实际开工日期不晚于统计期末的个数。",
        records_fn=project_records,
        where=new_started_in_period,
    )
)
register(
    RateMetric(
        code="projects.started_rate",
        label="开工率",
        unit="%",
        period_rule=PLAN,
        aliases=("开工率", "项目开工率"),
        description=(
            "年度计划项目的开工率：新建项目已开工数 ÷ 新建项目数 × 100%。续建项目不计入，"
            "与年度报告的用法一致；统计期内没有年度计划项目时为“—”。"
        ),
        numerator="projects.started_new",
        denominator="projects.count_new",
    )
)
register(
    CountMetric(
        code="projects.completed",
        label="已完工项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("完工项目", "已完工项目", "竣工项目"),
        description=(
            "统计期的项目（新建及续建）中，实际完工日期不晚于统计期末的个数；续建项目即在统计期内完工的。"
        ),
        records_fn=project_records,
        where=completed_in_period,
    )
)
register(
    RateMetric(
        code="projects.completed_rate",
        label="完工率",
        unit="%",
        period_rule=PLAN,
        aliases=("完工率", "竣工率"),
        description="已完工项目数 ÷ 援疆项目数 × 100%（新建及续建）。",
        numerator="projects.completed",
        denominator="projects.count",
    )
)
register(
    CountMetric(
        code="projects.completed_total",
        label="累计完工项目数",
        unit="个",
        period_rule=STOCK,
        aliases=("累计完工项目", "累计完工"),
        description="截至统计期末，本范围内所有计划年度的项目中已完工的个数（时点数）。",
        records_fn=project_records,
        where=completed_by_period_end,
    )
)
register(
    SumMetric(
        code="projects.aid_funds_planned",
        label="计划援疆资金",
        unit="元",
        aliases=("计划援疆资金", "安排援疆资金", "援疆资金总额"),
        description="统计期的项目（新建及续建）的援疆资金合计。",
        period_rule=PLAN,
        records_fn=project_records,
        where=in_period,
        field_name="aid_funds",
    )
)
register(
    SumMetric(
        code="projects.aid_funds_disbursed",
        label="拨付援疆资金",
        unit="元",
        aliases=("拨付资金", "已拨付资金", "拨付援疆资金"),
        description="统计期内拨付的援疆资金合计：按拨付日期计入，不论项目的计划年度。",
        period_rule=FLOW,
        records_fn=disbursement_records,
        where=dated_in_period,
        field_name="amount",
    )
)
register(
    SumMetric(
        code="projects.aid_funds_disbursed_to_date",
        label="累计拨付援疆资金",
        unit="元",
        aliases=("累计拨付", "累计拨付资金", "累计拨付援疆资金"),
        description="统计期的项目（新建及续建）截至统计期末累计拨付的援疆资金（时点数）。",
        period_rule=STOCK,
        records_fn=disbursement_records,
        where=to_date_of_period_projects,
        field_name="amount",
    )
)
register(
    RateMetric(
        code="projects.disbursement_rate",
        label="资金拨付率",
        unit="%",
        period_rule=STOCK,
        aliases=("拨付率", "资金拨付率"),
        description="累计拨付援疆资金 ÷ 计划援疆资金 × 100%，均按统计期的项目（新建及续建）、截至统计期末计算。",
        numerator="projects.aid_funds_disbursed_to_date",
        denominator="projects.aid_funds_planned",
    )
)

register_section(
    Section(
        key="projects",
        title="援疆项目",
        codes=(
            "projects.count",
            "projects.count_new",
            "projects.count_continuing",
            "projects.started",
            "projects.started_rate",
            "projects.completed",
            "projects.completed_rate",
            "projects.aid_funds_planned",
            "projects.aid_funds_disbursed",
            "projects.aid_funds_disbursed_to_date",
            "projects.disbursement_rate",
        ),
        order=10,
    )
)
