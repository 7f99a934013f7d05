"""Culture and tourism metrics (docs/metrics.md, "Culture and tourism").

culture.events and culture.event_participants are computed from the program's events; the tourist
figures are reported by the county (报送数, metrics.ManualValue) and shown as such, never added to
computed figures.
"""

from yuanjiang.culture.models import CultureEvent
from yuanjiang.metrics.registry import (
    FLOW,
    CountMetric,
    ReportedMetric,
    Section,
    SumMetric,
    register,
    register_section,
)


def events(scope, period):
    return CultureEvent.objects.filter(program__in=scope.programs(), date__range=(period.start, period.end))


register(
    CountMetric(
        code="culture.events",
        label="文旅与交流活动",
        unit="场",
        period_rule=FLOW,
        aliases=("文旅推介", "推介活动", "交流交往交融活动", "四季游", "文化活动"),
        description="统计期内举办的文旅推介、交流交往交融和文化润疆活动场次，按活动日期计入。",
        records_fn=events,
    )
)
register(
    SumMetric(
        code="culture.event_participants",
        label="活动参与人次",
        unit="人次",
        period_rule=FLOW,
        aliases=("参与群众", "参与人次"),
        description="上述活动登记的参与人数之和（未登记人数的活动不计）。",
        records_fn=events,
        field_name="participants",
    )
)
register(
    ReportedMetric(
        code="culture.tourist_visits",
        label="接待游客",
        unit="人次",
        period_rule=FLOW,
        aliases=("游客", "接待游客", "游客人次", "旅游人次"),
        description="报送数：受援县文旅部门报送的接待游客人次，统计期覆盖的各报送期之和；不由本系统记录计算。",
    )
)
register(
    ReportedMetric(
        code="culture.tourism_revenue",
        label="旅游收入",
        unit="元",
        period_rule=FLOW,
        aliases=("旅游收入", "旅游综合收入", "旅游总收入"),
        description="报送数：受援县文旅部门报送的旅游收入，统计期覆盖的各报送期之和；不由本系统记录计算。",
    )
)

register_section(
    Section(
        key="culture",
        title="文旅",
        codes=(
            "culture.events",
            "culture.event_participants",
            "culture.tourist_visits",
            "culture.tourism_revenue",
        ),
        order=60,
    )
)
