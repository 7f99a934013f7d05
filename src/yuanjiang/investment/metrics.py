"""产业援疆 metrics (documented in docs/metrics.md, "Investment metrics").

- Events and contacts are flows: counted when their date lies in the period.
- Signed / landed projects are flows by their signing / landing date ("2024年签约3个项目").
- A park's tenants are a stock: the projects in a park that have landed by the period end
  ("青创园…11个特色项目落户"), whenever they landed.
- A park's upgrade is a one-off flow: its aid funds count in the period its works began.
- Distinct enterprises and institutions are one COUNT(DISTINCT) query: over an organization each is
  counted once, even when several programs met it.
"""

from yuanjiang.investment.choices import EventKind
from yuanjiang.investment.models import Contact, InvestmentProject, ParkUpgrade, PromotionEvent
from yuanjiang.metrics.registry import (
    FLOW,
    STOCK,
    CountMetric,
    DistinctCountMetric,
    Section,
    SumMetric,
    register,
    register_section,
)


def _in(scope, period, model, field):
    return model.objects.filter(
        program__in=scope.programs(), **{f"{field}__gte": period.start, f"{field}__lte": period.end}
    )


def themed_events(scope, period):
    return _in(scope, period, PromotionEvent, "date").filter(kind=EventKind.THEMED)


def leading_enterprise_contacts(scope, period):
    return (
        _in(scope, period, Contact, "date")
        .filter(enterprise__is_leading=True)
        .order_by("enterprise", "date", "pk")
    )


def enterprise_contacts(scope, period):
    return (
        _in(scope, period, Contact, "date")
        .filter(enterprise__isnull=False)
        .order_by("enterprise", "date", "pk")
    )


def institution_contacts(scope, period):
    return (
        _in(scope, period, Contact, "date")
        .filter(institution__isnull=False)
        .order_by("institution", "date", "pk")
    )


def signed(scope, period):
    return _in(scope, period, InvestmentProject, "signed_date")


def landed(scope, period):
    return _in(scope, period, InvestmentProject, "landed_date")


def started(scope, period):
    return _in(scope, period, InvestmentProject, "started_date")


def operating(scope, period):
    return _in(scope, period, InvestmentProject, "operating_date")


def park_upgrades(scope, period):
    """The program's aid projects that upgraded a park, counted once, in the period their works began
    (实际开工日期): a one-off investment, not claimed again on every later card."""
    return ParkUpgrade.objects.filter(
        aid_project__program__in=scope.programs(),
        aid_project__actual_start__range=(period.start, period.end),
    )


def park_tenants(scope, period):
    return InvestmentProject.objects.filter(
        program__in=scope.programs(), park__isnull=False, landed_date__lte=period.end
    )


register(
    CountMetric(
        code="investment.promotion_events",
        label="专题招商活动",
        unit="次",
        period_rule=FLOW,
        aliases=("专题招商活动", "专题招商", "招商活动", "开展专题招商活动"),
        description="统计期内举办的招商活动中类型为“专题招商”的次数（推介会、签约仪式、考察、回访另计）。",
        records_fn=themed_events,
    )
)
register(
    DistinctCountMetric(
        code="investment.leading_enterprises_contacted",
        label="对接龙头企业",
        unit="家",
        period_rule=FLOW,
        aliases=("对接龙头企业", "龙头企业", "对接企业"),
        description="统计期内有对接记录（对接、拜访、洽谈，含招商活动中会见）的龙头企业家数，同一企业只计一次。",
        records_fn=leading_enterprise_contacts,
        field_name="enterprise",
    )
)
register(
    DistinctCountMetric(
        code="investment.enterprises_contacted",
        label="对接企业",
        unit="家",
        period_rule=FLOW,
        aliases=("对接企业", "洽谈企业", "走访企业"),
        description="统计期内有对接记录的企业家数（含非龙头企业），同一企业只计一次。",
        records_fn=enterprise_contacts,
        field_name="enterprise",
    )
)
register(
    DistinctCountMetric(
        code="investment.institutions_visited",
        label="拜访高校科研院所",
        unit="家",
        period_rule=FLOW,
        aliases=("拜访高校科研院所", "高校科研院所", "拜访高校", "科研院所"),
        description="统计期内有对接记录的高校、科研院所、医院等机构家数，同一机构只计一次。",
        records_fn=institution_contacts,
        field_name="institution",
    )
)
register(
    CountMetric(
        code="investment.projects_signed",
        label="签约项目",
        unit="个",
        period_rule=FLOW,
        aliases=("签约项目", "现场签约", "签约"),
        description="签约日期在统计期内的招商引资项目个数。",
        records_fn=signed,
    )
)
register(
    SumMetric(
        code="investment.signed_planned_investment",
        claim_modalities=("planned",),
        cues=("签约",),
        label="签约项目计划总投资",
        unit="元",
        period_rule=FLOW,
        aliases=("计划总投资", "签约总投资", "签约金额"),
        description="签约日期在统计期内的招商引资项目的计划总投资合计。",
        records_fn=signed,
        field_name="planned_investment",
    )
)
register(
    SumMetric(
        code="investment.signed_expected_jobs",
        claim_modalities=("expected",),
        cues=("签约",),
        label="签约项目预计带动就业",
        unit="人",
        period_rule=FLOW,
        aliases=("预计带动受援地就业", "预计带动就业", "带动就业"),
        description="签约日期在统计期内的招商引资项目的预计带动就业人数合计。",
        records_fn=signed,
        field_name="expected_jobs",
    )
)
register(
    CountMetric(
        code="investment.projects_landed",
        label="落户产业援疆项目",
        unit="个",
        period_rule=FLOW,
        aliases=("产业援疆项目", "落户项目", "先后落户", "落户"),
        description="落户日期在统计期内的招商引资项目个数。",
        records_fn=landed,
    )
)
register(
    SumMetric(
        code="investment.landed_planned_investment",
        claim_modalities=("planned",),
        cues=("落户",),
        label="落户项目计划总投资",
        unit="元",
        period_rule=FLOW,
        aliases=("落户项目总投资", "总投资"),
        description="落户日期在统计期内的招商引资项目的计划总投资合计。",
        records_fn=landed,
        field_name="planned_investment",
    )
)
register(
    CountMetric(
        code="investment.projects_started",
        label="开工招商引资项目",
        unit="个",
        period_rule=FLOW,
        aliases=("开工项目", "开工建设"),
        description="开工日期在统计期内的招商引资项目个数。",
        records_fn=started,
    )
)
register(
    CountMetric(
        code="investment.projects_operating",
        label="投产招商引资项目",
        unit="个",
        period_rule=FLOW,
        aliases=("投产项目", "正式投产", "建成投产"),
        description="投产日期在统计期内的招商引资项目个数。",
        records_fn=operating,
    )
)
register(
    CountMetric(
        code="investment.park_projects",
        entities=("青创园",),
        label="园区落户项目",
        unit="个",
        period_rule=STOCK,
        aliases=("特色项目", "园区项目", "入园项目", "落户园区"),
        description="截至统计期末已落户、入驻园区的招商引资项目个数（不论何时落户）。",
        records_fn=park_tenants,
    )
)
register(
    SumMetric(
        code="investment.park_planned_investment",
        claim_modalities=("planned",),
        entities=("青创园",),
        label="园区项目计划总投资",
        unit="元",
        period_rule=STOCK,
        aliases=("计划总投资", "园区总投资"),
        description="上述园区项目的计划总投资合计。",
        records_fn=park_tenants,
        field_name="planned_investment",
    )
)
register(
    SumMetric(
        code="investment.park_jobs",
        entities=("青创园",),
        label="园区项目带动就业",
        unit="人",
        period_rule=STOCK,
        aliases=("拉动就业", "带动就业", "吸纳就业"),
        description="上述园区项目的实际带动就业人数合计（截至统计期末的填报值）。",
        records_fn=park_tenants,
        field_name="actual_jobs",
    )
)
register(
    SumMetric(
        code="investment.park_upgrade_funds",
        entities=("青创园",),
        label="园区基础设施改造援疆资金",
        unit="元",
        period_rule=FLOW,
        aliases=("改造园区", "园区基础设施", "园区改造", "改造提升", "改造基础设施", "基础设施改造"),
        description=(
            "实际开工日期在统计期内、用于改造提升园区（电力、燃气等基础设施）的援疆项目的援疆资金合计"
            "（一次性投入，只计入开工所在的统计期）。"
        ),
        records_fn=park_upgrades,
        field_name="aid_project__aid_funds",
    )
)

register_section(
    Section(
        key="investment",
        title="产业援疆",
        codes=(
            "investment.promotion_events",
            "investment.leading_enterprises_contacted",
            "investment.institutions_visited",
            "investment.projects_signed",
            "investment.signed_planned_investment",
            "investment.signed_expected_jobs",
            "investment.projects_landed",
            "investment.landed_planned_investment",
            "investment.park_projects",
            "investment.park_planned_investment",
            "investment.park_jobs",
            "investment.park_upgrade_funds",
        ),
        order=20,
    )
)
