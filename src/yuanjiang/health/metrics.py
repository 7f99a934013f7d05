"""医疗援疆 metrics (docs/metrics.md, "Health metrics").

Activities count by their date (FLOW): an activity is in a period when its date is. The county's
reference townships are counted as of the period end (STOCK): the township-level divisions of the
scope's recipient counties (org's Region data), each county once, without the corps farm.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Value

from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_township_q, county_townships
from yuanjiang.metrics.registry import (
    STOCK,
    CountMetric,
    DistinctCountMetric,
    Metric,
    RateMetric,
    Section,
    SumMetric,
    register,
    register_section,
)
from yuanjiang.org.models import Program


def activities(scope, period):
    return MedicalActivity.objects.filter(
        program__in=scope.programs(), date__gte=period.start, date__lte=period.end
    )


def _of_kind(kind):
    def records(scope, period):
        return activities(scope, period).filter(kind=kind)

    records.__name__ = f"activities_{kind}"
    return records


free_clinics = _of_kind(ActivityKind.FREE_CLINIC)
teleconsultations = _of_kind(ActivityKind.TELECONSULTATION)
expert_visits = _of_kind(ActivityKind.EXPERT_VISIT)
health_education = _of_kind(ActivityKind.HEALTH_EDUCATION)


def free_clinics_in_county_townships(scope, period):
    """Free clinics held in one of the reference townships of the program's county."""
    return free_clinics(scope, period).filter(county_township_q("township__"))


def new_techniques(scope, period):
    return _of_kind(ActivityKind.NEW_TECHNIQUE)(scope, period).exclude(technique="")


def with_partner_hospital(scope, period):
    return activities(scope, period).filter(partner_hospital__isnull=False)


@dataclass(frozen=True)
class CountyTownshipsMetric(Metric):
    """The number of reference townships of the scope's recipient counties, as of the period end.

    An organization's scope counts each county once, however many of its programs aid it."""

    def records(self, scope, period):
        return county_townships(scope.programs().values("recipient_region"), on=period.end)

    def compute(self, scope, period, known=None):
        return Decimal(self.records(scope, period).count())

    def statement(self, scope, period):
        return (
            self.records(scope, period)
            .order_by()
            .values(yj_all=Value(1))
            .annotate(n=Count("pk"))
            .values_list("n")
        )

    def from_row(self, row):
        return Decimal(row[0] if row else 0)

    def grouped_statement(self, scope, period):
        return self._by_program(scope, period)

    def compute_by_program(self, scope, period, known=None):
        return {pid: Decimal(n) for pid, n in self._by_program(scope, period)}

    def _by_program(self, scope, period):
        prefix = "recipient_region__children__"
        return (
            Program.objects.filter(pk__in=scope.programs().values("pk"))
            .order_by()
            .annotate(n=Count(f"{prefix}pk", filter=county_township_q(prefix, on=period.end)))
            .values_list("pk", "n")
        )


register(
    CountMetric(
        code="health.activities",
        label="医疗援疆活动",
        unit="次",
        aliases=("医疗援疆活动", "医疗援疆"),
        description="统计期内开展的医疗援疆活动次数（义诊、远程会诊、专家坐诊带教、手术、新技术新项目、健康科普、学科建设），按活动日期计入。",
        records_fn=activities,
    )
)
register(
    SumMetric(
        code="health.beneficiaries",
        label="医疗援疆受益群众",
        unit="人次",
        aliases=("医疗援疆受益群众", "惠及群众", "服务群众", "诊疗群众"),
        description="统计期内全部医疗援疆活动填报的受益群众人次之和。",
        records_fn=activities,
        field_name="beneficiaries",
    )
)
register(
    CountMetric(
        code="health.free_clinics",
        label="义诊",
        unit="次",
        aliases=("义诊", "巡回义诊", "义诊活动", "开展义诊"),
        description="统计期内活动类型为“义诊”的记录数（每场义诊一条记录）。",
        records_fn=free_clinics,
    )
)
register(
    SumMetric(
        code="health.free_clinic_beneficiaries",
        label="义诊受益群众",
        unit="人次",
        aliases=("受益群众", "惠及群众", "服务群众", "义诊受益群众", "义诊群众", "义诊服务群众"),
        description="统计期内义诊记录填报的受益群众人次之和。",
        cues=("义诊",),
        requires=("义诊",),
        records_fn=free_clinics,
        field_name="beneficiaries",
    )
)
register(
    DistinctCountMetric(
        code="health.free_clinic_townships",
        label="义诊覆盖乡镇",
        unit="个",
        aliases=("乡镇", "义诊乡镇", "覆盖乡镇", "乡镇全覆盖"),
        description="统计期内开展过义诊的受援县乡镇个数（同一乡镇多次义诊计一次；只计县参考乡镇名录内的乡镇，不含团场）。",
        cues=("义诊",),
        requires=("义诊",),
        reference_bound="health.county_townships",
        records_fn=free_clinics_in_county_townships,
        field_name="township",
    )
)
register(
    CountyTownshipsMetric(
        code="health.county_townships",
        label="受援县乡镇数",
        unit="个",
        period_rule=STOCK,
        aliases=("全县乡镇", "乡镇数", "全县乡镇数"),
        description="截至统计期末受援县的乡镇个数（行政区划参考名录中的镇、乡，不含团场）；组织机构汇总时每个受援县只计一次。",
        is_reference=True,
    )
)
register(
    RateMetric(
        code="health.free_clinic_township_coverage_rate",
        label="义诊乡镇覆盖率",
        unit="%",
        aliases=("全覆盖", "覆盖率", "乡镇覆盖率", "义诊覆盖率"),
        description="义诊覆盖乡镇 ÷ 受援县乡镇数 × 100%。",
        numerator="health.free_clinic_townships",
        denominator="health.county_townships",
    )
)
register(
    CountMetric(
        code="health.teleconsultations",
        label="远程会诊",
        unit="次",
        aliases=("远程会诊", "多学科远程会诊", "两地远程会诊"),
        description="统计期内活动类型为“远程会诊”的记录数（每次会诊一条记录）。",
        records_fn=teleconsultations,
    )
)
register(
    SumMetric(
        code="health.teleconsultation_cases",
        label="远程会诊病例",
        unit="例",
        aliases=("会诊病例", "远程会诊病例", "会诊患者", "远程会诊"),
        description="统计期内远程会诊记录填报的病例数之和。",
        records_fn=teleconsultations,
        field_name="cases",
    )
)
register(
    CountMetric(
        code="health.expert_visits",
        label="专家坐诊带教",
        unit="次",
        aliases=("候鸟式", "名医专家", "专家来伊", "技术指导", "坐诊带教", "专家坐诊"),
        description="统计期内活动类型为“专家坐诊带教”的记录数（含“候鸟式”名医专家来伊坐诊、带教、技术指导）。",
        records_fn=expert_visits,
    )
)
register(
    DistinctCountMetric(
        code="health.new_techniques",
        label="新技术新项目",
        unit="项",
        aliases=("新技术", "新技术新项目", "前沿医疗技术", "新项目", "填补空白"),
        description="统计期内开展的新技术、新项目个数：活动类型为“新技术新项目”的记录中不同的技术名称数（同一技术多次开展计一项）。",
        records_fn=new_techniques,
        field_name="technique",
    )
)
register(
    SumMetric(
        code="health.new_technique_cases",
        label="新技术新项目病例",
        unit="例",
        aliases=("新技术病例", "开展病例"),
        description="统计期内新技术新项目记录填报的病例数之和。",
        records_fn=new_techniques,
        field_name="cases",
    )
)
register(
    CountMetric(
        code="health.health_education",
        label="健康科普",
        unit="次",
        aliases=("健康科普", "科普", "科普短视频", "健康讲座"),
        description="统计期内活动类型为“健康科普”的记录数（讲座、科普短视频等，每期一条记录）。",
        records_fn=health_education,
    )
)
register(
    DistinctCountMetric(
        code="health.partner_hospitals",
        label="援方挂钩医院",
        unit="家",
        aliases=("挂钩医院", "龙头医院", "挂钩助力", "后方医院"),
        description="统计期内参与医疗援疆活动的不同援方医院家数（按活动记录中的援方医院计）。",
        records_fn=with_partner_hospital,
        field_name="partner_hospital",
    )
)

register_section(
    Section(
        key="health",
        title="民生援疆·医疗",
        codes=(
            "health.free_clinics",
            "health.free_clinic_beneficiaries",
            "health.free_clinic_townships",
            "health.free_clinic_township_coverage_rate",
            "health.teleconsultations",
            "health.expert_visits",
            "health.new_techniques",
            "health.beneficiaries",
        ),
        order=50,
    )
)
