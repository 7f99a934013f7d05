"""Project metrics.

Definitions (documented in docs/metrics.md):
- The projects counted for a period are the projects of the scope whose plan year (计划年度) falls
  within the period's calendar years: "2023年援疆项目15个".
- Milestones and money are taken as of the period's end: a project counts as started when its actual
  start date is on or before the period end; disbursement is the sum of 拨付 dated up to the period end.
"""

from yuanjiang.metrics.registry import (
    PLAN,
    CountMetric,
    RateMetric,
    Section,
    SumMetric,
    register,
    register_section,
)
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction


def projects_in(scope, period):
    return AidProject.objects.filter(
        program__in=scope.programs(),
        plan_year__gte=period.start.year,
        plan_year__lte=period.end.year,
    )


def started(scope, period):
    return projects_in(scope, period).filter(actual_start__lte=period.end)


def completed(scope, period):
    return projects_in(scope, period).filter(actual_completion__lte=period.end)


def disbursements(scope, period):
    return FundTransaction.objects.filter(
        project__in=projects_in(scope, period),
        kind=TransactionKind.DISBURSEMENT,
        date__lte=period.end,
    )


register(
    CountMetric(
        code="projects.count",
        label="援疆项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("援疆项目", "援疆项目数", "项目数", "实施援疆项目"),
        description="计划年度在统计期内的援疆项目个数。",
        records_fn=projects_in,
    )
)
register(
    CountMetric(
        code="projects.started",
        label="已开工项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("开工项目", "已开工项目", "开工"),
        description="上述项目中，实际开工日期不晚于统计期末的个数。",
        records_fn=started,
    )
)
register(
    RateMetric(
        code="projects.started_rate",
        label="开工率",
        unit="%",
        period_rule=PLAN,
        aliases=("开工率", "项目开工率"),
        description="已开工项目数 ÷ 援疆项目数 × 100%。",
        numerator="projects.started",
        denominator="projects.count",
    )
)
register(
    CountMetric(
        code="projects.completed",
        label="已完工项目数",
        unit="个",
        period_rule=PLAN,
        aliases=("完工项目", "已完工项目", "竣工项目"),
        description="上述项目中，实际完工日期不晚于统计期末的个数。",
        records_fn=completed,
    )
)
register(
    RateMetric(
        code="projects.completed_rate",
        label="完工率",
        unit="%",
        period_rule=PLAN,
        aliases=("完工率", "竣工率"),
        description="已完工项目数 ÷ 援疆项目数 × 100%。",
        numerator="projects.completed",
        denominator="projects.count",
    )
)
register(
    SumMetric(
        code="projects.aid_funds_planned",
        label="计划援疆资金",
        unit="元",
        aliases=("计划援疆资金", "安排援疆资金", "援疆资金总额"),
        description="上述项目的援疆资金合计。",
        period_rule=PLAN,
        records_fn=projects_in,
        field_name="aid_funds",
    )
)
register(
    SumMetric(
        code="projects.aid_funds_disbursed",
        label="已拨付援疆资金",
        unit="元",
        aliases=("拨付资金", "已拨付资金", "拨付援疆资金"),
        description="上述项目截至统计期末的拨付金额合计。",
        period_rule=PLAN,
        records_fn=disbursements,
        field_name="amount",
    )
)
register(
    RateMetric(
        code="projects.disbursement_rate",
        label="资金拨付率",
        unit="%",
        period_rule=PLAN,
        aliases=("拨付率", "资金拨付率"),
        description="已拨付援疆资金 ÷ 计划援疆资金 × 100%。",
        numerator="projects.aid_funds_disbursed",
        denominator="projects.aid_funds_planned",
    )
)

register_section(
    Section(
        key="projects",
        title="援疆项目",
        codes=(
            "projects.count",
            "projects.started",
            "projects.started_rate",
            "projects.completed",
            "projects.completed_rate",
            "projects.aid_funds_planned",
            "projects.aid_funds_disbursed",
            "projects.disbursement_rate",
        ),
        order=10,
    )
)
