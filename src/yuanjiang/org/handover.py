"""The handover (接力棒): the outgoing batch's unfinished projects become the next batch's 续建 records.

A carried project is copied into the successor program with a link to its origin (`carried_from`);
the origin keeps its whole history (progress reports, photos, money, change log) in the outgoing
batch. Both records carry the handover date, and the project figures count the origin before it and
the copy from it on (`projects.metrics.counted_once`), so a front command's or a province's roll-up
over both batches counts the project once (docs/metrics.md, "Batches and the handover").

The copy's 援疆资金 is what the origin had not yet disbursed (its approved 拨付 up to the handover):
the money the new batch still has to pay; what was paid stays the outgoing batch's (and the copy's
总投资 is less by as much, its 其他资金 unchanged).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from yuanjiang.common import formatting
from yuanjiang.org.models import Program
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction
from yuanjiang.review.choices import ReviewStatus

# What the copy does not take over from its origin.
NOT_COPIED = {"id", "created_at", "updated_at", "version", "program_id", "carried_from_id", "handed_over_on"}


@dataclass
class HandoverResult:
    projects: list[AidProject] = field(default_factory=list)


def carry_over_candidates(program: Program, on: dt.date):
    """The outgoing batch's projects that can be carried over: unfinished on `on`, not yet carried."""
    return (
        AidProject.objects.filter(program=program, handed_over_on__isnull=True)
        .exclude(actual_completion__lte=on)
        .order_by("plan_year", "code")
    )


def _check(outgoing: Program, incoming: Program, projects, on: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if incoming.predecessor_id != outgoing.pk:
        errors["successor"] = f"“{incoming}”的上一批次不是“{outgoing}”，不能接续其项目。"
    if not (outgoing.term_start <= on <= incoming.term_end):
        errors["handed_over_on"] = (
            f"移交日期{formatting.date(on)}不在{outgoing.batch_label}任期开始至"
            f"{incoming.batch_label}任期结束之间。"
        )
    for p in projects:
        where = f"项目“{p.code} {p.name}”"
        if p.program_id != outgoing.pk:
            errors[f"project-{p.pk}"] = f"{where}不属于“{outgoing}”。"
        elif p.handed_over_on is not None:
            errors[f"project-{p.pk}"] = f"{where}已于{formatting.date(p.handed_over_on)}移交，不能再次移交。"
        elif p.actual_completion is not None and p.actual_completion <= on:
            errors[f"project-{p.pk}"] = (
                f"{where}已于{formatting.date(p.actual_completion)}完工，无需作为续建项目移交。"
            )
        elif AidProject.objects.filter(program=incoming, code=p.code).exists():
            errors[f"project-{p.pk}"] = f"{where}的项目编号在“{incoming}”中已存在。"
    return errors


@transaction.atomic
def hand_over(outgoing: Program, incoming: Program, projects, on: dt.date) -> HandoverResult:
    """Carry `projects` of `outgoing` into `incoming` (its successor) as 续建 records, on `on`.

    All or nothing: any project that cannot be carried raises ValidationError naming it, and nothing
    is saved.
    """
    # Read afresh (and locked, where the database can): the state the copies are taken from.
    pks = [p.pk for p in projects]
    projects = list(AidProject.objects.filter(pk__in=pks).select_for_update().order_by("plan_year", "code"))
    if not projects:
        raise ValidationError({"projects": "请至少选择一个未完工项目。"})
    errors = _check(outgoing, incoming, projects, on)
    if errors:
        raise ValidationError(errors)
    paid = dict(
        FundTransaction.objects.filter(
            project__in=projects,
            kind=TransactionKind.DISBURSEMENT,
            review_status=ReviewStatus.APPROVED,
            date__lte=on,
        )
        .values_list("project")
        .annotate(total=Sum("amount"))
    )
    result = HandoverResult()
    for origin in projects:
        copy = AidProject(program=incoming, carried_from=origin, handed_over_on=on)
        for f in AidProject._meta.concrete_fields:
            if f.attname not in NOT_COPIED:
                setattr(copy, f.attname, getattr(origin, f.attname))
        left = min(paid.get(origin.pk, Decimal("0")), origin.aid_funds)
        copy.aid_funds = origin.aid_funds - left
        copy.total_investment = max(origin.total_investment - left, copy.aid_funds + copy.other_funds)
        copy.full_clean()
        origin.handed_over_on = on
        origin.save(update_fields=["handed_over_on"])
        copy.save()
        result.projects.append(copy)
    return result
