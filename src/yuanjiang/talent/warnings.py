"""Early warning (预警) over training (docs/warnings.md): an aid project whose training courses spend
more than its 援疆资金 (the bound a course's form enforces, broken when the project's funds are lowered
afterwards or records are imported around it)."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from yuanjiang.common import formatting
from yuanjiang.projects.models import AidProject
from yuanjiang.warnings.registry import SEVERE, Finding, Rule, register, rows


def training_over_funds(programs, on):
    qs = (
        AidProject.objects.filter(program__in=programs, training_courses__isnull=False)
        .annotate(
            spent=Coalesce(
                Sum("training_courses__aid_funds", filter=Q(training_courses__start__lte=on)), Decimal("0")
            )
        )
        .order_by("id")
    )
    for p, spent, funds in rows(qs, ("id", "program_id", "code", "name"), "spent", "aid_funds"):
        if spent <= funds:
            continue
        yield Finding(
            program_id=p.program_id,
            records=[p],
            since=on,
            detail=f"所列支培训班使用援疆资金{formatting.money(spent)}，超过项目援疆资金{formatting.money(funds)}",
            facts=(spent, funds),
        )


register(
    Rule(
        code="talent.training_over_funds",
        label="培训支出超过项目资金",
        severity=SEVERE,
        records="projects.AidProject",
        period_rule="截至判断日开班的培训班援疆资金合计大于其列支项目的援疆资金",
        find=training_over_funds,
    )
)
