"""Education metrics (docs/metrics.md, "Education").

- The fund's money: donations and grants dated in the period (FLOW), and the balance as of the
  period end (STOCK: all donations to date minus all grants to date).
- A fund carried over at a handover (org.handover): its opening 结转 donation is the origin's unspent
  balance, not new money. It is never a donation of the period, and the balance to date counts it
  only where the origin fund is outside the scope (the new batch alone); a scope holding both batches
  (a front command, a province) counts the money once, through the origin's own records.
- Pilot classes: 南通班 and "1+3" classes opened on or before the period end (STOCK).
- School places (学位): the 学位 outputs of the aid projects counted for the period (PLAN, the same
  projects as projects.count), i.e. the capacity the program's school projects build.
"""

from django.db.models import Q

from yuanjiang.education.choices import PILOT_TRACKS
from yuanjiang.education.models import FundDonation, FundGrant, TeachingClass
from yuanjiang.metrics.registry import (
    FLOW,
    PLAN,
    STOCK,
    CountMetric,
    DifferenceMetric,
    Section,
    SumMetric,
    register,
    register_section,
)
from yuanjiang.projects.metrics import projects_in
from yuanjiang.projects.models import ProjectOutput


def donations(scope, period):
    """New money only: a carried fund's opening 结转 is not a donation of the period."""
    return FundDonation.objects.filter(
        fund__program__in=scope.programs(), date__range=(period.start, period.end), is_carry_over=False
    )


def founding_donations(scope, period):
    """The start-up donations (启动资金) dated in the period: a one-off, not the running total."""
    return donations(scope, period).filter(is_founding=True)


def grants(scope, period):
    return FundGrant.objects.filter(
        fund__program__in=scope.programs(), date__range=(period.start, period.end)
    )


def donations_to_date(scope, period):
    """Everything paid in up to the period end; a 结转 only where its origin fund is out of scope."""
    programs = scope.programs()
    return FundDonation.objects.filter(fund__program__in=programs, date__lte=period.end).exclude(
        is_carry_over=True, fund__carried_from__program__in=programs
    )


def grants_to_date(scope, period):
    return FundGrant.objects.filter(fund__program__in=scope.programs(), date__lte=period.end)


def pilot_classes(scope, period):
    return TeachingClass.objects.filter(
        school__program__in=scope.programs(), track__in=PILOT_TRACKS, established_on__lte=period.end
    )


def school_places(scope, period):
    return ProjectOutput.objects.filter(project__in=projects_in(scope, period)).filter(
        Q(name="学位") | Q(unit="学位")
    )


register(
    SumMetric(
        code="education.fund_donations",
        label="教育基金捐赠",
        unit="元",
        period_rule=FLOW,
        aliases=("教育基金", "捐赠", "基金捐赠"),
        description="统计期内各教育基金（如“通伊”教育基金）收到的捐赠金额合计，按捐赠日期计入。",
        records_fn=donations,
        field_name="amount",
    )
)
register(
    SumMetric(
        code="education.fund_founding_donations",
        label="教育基金启动资金",
        unit="元",
        period_rule=FLOW,
        aliases=("启动资金", "捐赠启动资金"),
        description="统计期内教育基金收到的、标为“启动资金”的成立时捐赠合计（以后的捐赠不计入）。",
        records_fn=founding_donations,
        field_name="amount",
    )
)
register(
    SumMetric(
        code="education.fund_grants",
        label="教育基金资助",
        unit="元",
        period_rule=FLOW,
        aliases=("奖学", "奖教", "助学", "奖励", "资助", "奖教助学"),
        description="统计期内教育基金发放的奖学、奖教、助学金额合计，按发放日期计入。",
        records_fn=grants,
        field_name="amount",
    )
)
register(
    SumMetric(
        code="education.fund_grant_recipients",
        label="教育基金受助人次",
        unit="人次",
        period_rule=FLOW,
        aliases=("奖励学子", "资助学生", "受助", "奖励教师"),
        description="统计期内教育基金各笔资助的受助人数之和（同一人多次受助计多人次）。",
        records_fn=grants,
        field_name="recipients",
    )
)
register(
    SumMetric(
        code="education.fund_donations_to_date",
        label="教育基金累计捐赠",
        unit="元",
        period_rule=STOCK,
        aliases=("累计捐赠",),
        description="截至统计期末教育基金收到的捐赠金额合计。",
        records_fn=donations_to_date,
        field_name="amount",
    )
)
register(
    SumMetric(
        code="education.fund_grants_to_date",
        label="教育基金累计资助",
        unit="元",
        period_rule=STOCK,
        aliases=("累计资助",),
        description="截至统计期末教育基金发放的资助金额合计。",
        records_fn=grants_to_date,
        field_name="amount",
    )
)
register(
    DifferenceMetric(
        code="education.fund_balance",
        label="教育基金余额",
        unit="元",
        period_rule=STOCK,
        aliases=("基金余额", "余额"),
        description="截至统计期末的累计捐赠 − 累计资助（时点数）。",
        minuend="education.fund_donations_to_date",
        subtrahend="education.fund_grants_to_date",
    )
)
register(
    CountMetric(
        code="education.pilot_classes",
        label="试点班（南通班、“1+3”班）",
        unit="个",
        period_rule=STOCK,
        aliases=("南通班", "试点班", "1+3", "四年一贯制试点班"),
        description="开班日期不晚于统计期末的南通班和“1+3”试点班个数（对照班、普通班不计）。",
        records_fn=pilot_classes,
    )
)
register(
    SumMetric(
        code="education.school_places",
        claim_modalities=("capacity",),
        claim_units=("人",),
        label="援建学校学位",
        unit="个",
        period_rule=PLAN,
        aliases=("学位", "可容纳", "名学生就读", "新增学位", "学生"),
        description="计划年度在统计期内的援疆项目的“学位”产出合计（按项目建设规模，含在建项目的设计学位）。",
        records_fn=school_places,
        field_name="quantity",
    )
)

register_section(
    Section(
        key="education",
        title="民生援疆·教育",
        codes=(
            "education.fund_donations",
            "education.fund_founding_donations",
            "education.fund_grants",
            "education.fund_balance",
            "education.fund_grant_recipients",
            "education.pilot_classes",
            "education.school_places",
        ),
        order=40,
    )
)
