"""智力援疆 metrics (documented in docs/metrics.md).

- Aid workers are a stock: those in post at the period's end (到岗日期 ≤ end, and no 离岗日期 or one
  not before the end).
- Visits, agreements and training courses are flows: the records dated within the period (a visit by
  its 进疆日期, an agreement by its 签订日期, a course by its 开班日期).
"""

from yuanjiang.metrics.registry import (
    FLOW,
    STOCK,
    CountMetric,
    Section,
    SumMetric,
    register,
    register_section,
)
from yuanjiang.talent.choices import AgreementKind
from yuanjiang.talent.models import Agreement, AidWorker, TalentVisit, TrainingCourse


def workers_in_post(scope, period):
    return AidWorker.objects.filter(program__in=scope.programs()).in_post_on(period.end)


def visits(scope, period):
    return TalentVisit.objects.filter(program__in=scope.programs(), start__range=(period.start, period.end))


def shortage_visits(scope, period):
    return visits(scope, period).filter(field__is_shortage=True)


def agreements(scope, period):
    """框架协议 only: a 合作协议 or other agreement is not a framework agreement. An agreement carried
    into the next batch at a handover (org.handover) counts once, where it was signed: its continuing
    copy is left out."""
    return Agreement.objects.filter(
        program__in=scope.programs(),
        kind=AgreementKind.FRAMEWORK,
        signed_on__range=(period.start, period.end),
        carried_from__isnull=True,
    )


def courses(scope, period):
    return TrainingCourse.objects.filter(
        program__in=scope.programs(), start__range=(period.start, period.end)
    )


register(
    CountMetric(
        code="talent.aid_workers",
        label="在岗援疆干部人才",
        unit="人",
        period_rule=STOCK,
        aliases=("援疆干部人才", "在岗援疆干部人才", "援疆干部", "援疆人才", "干部人才", "援疆干部人才队伍"),
        description="统计期末在岗的援疆干部人才人数：到岗日期不晚于期末，且未填离岗日期或离岗日期不早于期末。",
        records_fn=workers_in_post,
    )
)
register(
    SumMetric(
        code="talent.visit_person_times",
        label="引进人才进疆",
        unit="人次",
        period_rule=FLOW,
        aliases=(
            "引进人才",
            "人才进疆",
            "进疆开展工作",
            "引进人才进疆开展工作",
            "柔性引进人才",
            "候鸟式专家",
        ),
        description="进疆日期在统计期内的引进人才记录的人次合计（一次来3人计3人次）。",
        records_fn=visits,
        field_name="person_times",
    )
)
register(
    SumMetric(
        code="talent.shortage_visit_person_times",
        label="引进紧缺领域人才进疆",
        unit="人次",
        period_rule=FLOW,
        aliases=("紧缺领域人才", "紧缺人才", "引进紧缺领域人才", "紧缺领域人才进疆开展工作"),
        description="上述记录中，领域标为“紧缺领域”的人次合计（紧缺领域见“人才领域”参考数据）。",
        records_fn=shortage_visits,
        field_name="person_times",
    )
)
register(
    CountMetric(
        code="talent.agreements",
        label="签订框架协议",
        unit="项",
        period_rule=FLOW,
        aliases=("框架协议", "签订框架协议"),
        description="签订日期在统计期内、由本援疆项目组促成的框架协议项数（合作协议、其他协议不计）。",
        records_fn=agreements,
    )
)
register(
    CountMetric(
        code="training.courses",
        label="举办培训班",
        unit="期",
        period_rule=FLOW,
        aliases=("培训班", "举办培训班", "培训期数", "办班"),
        description="开班日期在统计期内的培训班期数（赴内地、就地和线上）。",
        records_fn=courses,
    )
)
register(
    SumMetric(
        code="training.person_times",
        label="培训人次",
        unit="人次",
        period_rule=FLOW,
        aliases=("培训", "培训人次", "培训干部人才", "赴内地或就地培训", "组织培训"),
        description="开班日期在统计期内的培训班的培训人次合计。",
        records_fn=courses,
        field_name="participants",
    )
)
register(
    SumMetric(
        code="training.aid_funds",
        label="培训投入援疆资金",
        unit="元",
        period_rule=FLOW,
        aliases=("培训投入援疆资金", "培训资金", "投入援疆资金", "培训经费"),
        description="开班日期在统计期内的培训班使用的援疆资金合计。",
        records_fn=courses,
        field_name="aid_funds",
    )
)

register_section(
    Section(
        key="talent",
        title="智力援疆",
        codes=(
            "talent.aid_workers",
            "talent.visit_person_times",
            "talent.shortage_visit_person_times",
            "talent.agreements",
            "training.courses",
            "training.person_times",
            "training.aid_funds",
        ),
        order=30,
    )
)
