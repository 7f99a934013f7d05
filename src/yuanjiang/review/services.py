"""Review transitions and closing, with their permissions. Each change is a save(), so it is in the
change log with its actor, before and after (review_status, reviewer, reason)."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Role
from yuanjiang.org.periods import Period
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import PeriodClose, Reviewable

APPROVER_ROLES = (Role.LEAD, Role.ADMIN)
CLOSER_ROLES = (Role.LEAD, Role.SUPERVISOR, Role.ADMIN)
REOPENER_ROLES = (Role.SUPERVISOR, Role.ADMIN)
REASON_MIN_LENGTH = 5

logger = logging.getLogger("yuanjiang.review")


class ReviewError(ValidationError):
    pass


def can_submit(user, obj) -> bool:
    return obj.review_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED) and scoping.can_change(user, obj)


def can_review(user, obj) -> bool:
    """Only the program's lead (or an administrator) approves or returns."""
    program = obj.program_of()
    return (
        program is not None
        and scoping.programs(user).filter(pk=program.pk).exists()
        and scoping.has_role(user, APPROVER_ROLES, program)
    )


def own_record(user, obj) -> bool:
    """Whether `user` submitted `obj` and so may not approve it (settings.REVIEW_NO_SELF_APPROVAL)."""
    return bool(settings.REVIEW_NO_SELF_APPROVAL and obj.submitted_by_id and obj.submitted_by_id == user.pk)


def _transition(obj: Reviewable, status: str, *, user=None, note: str = "") -> Reviewable:
    with transaction.atomic():
        if status == ReviewStatus.SUBMITTED:
            obj.submitted_by = user
        obj.review_status = status
        obj.reviewed_by = user if status in (ReviewStatus.APPROVED, ReviewStatus.RETURNED) else None
        obj.reviewed_at = timezone.now() if obj.reviewed_by else None
        obj.review_note = note
        obj._review_transition = True
        try:
            obj.save()
        finally:
            obj._review_transition = False
    return obj


def record_submit(obj: Reviewable, user) -> Reviewable:
    if obj.review_status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ReviewError(f"“{obj}”当前为{obj.get_review_status_display()}，不能提交。")
    if not scoping.can_change(user, obj):
        raise PermissionDenied("您不能提交该记录。")
    return _transition(obj, ReviewStatus.SUBMITTED, user=user)


def record_approve(obj: Reviewable, user) -> Reviewable:
    if obj.review_status != ReviewStatus.SUBMITTED:
        raise ReviewError(f"“{obj}”当前为{obj.get_review_status_display()}，只有已提交的记录可以审核。")
    if not can_review(user, obj):
        raise PermissionDenied("只有本工作组负责人或系统管理员可以审核。")
    if own_record(user, obj):
        raise PermissionDenied(f"“{obj}”是您自己提交的，不能由您审核：请由本工作组其他负责人审核。")
    return _transition(obj, ReviewStatus.APPROVED, user=user)


def record_return(obj: Reviewable, user, reason: str) -> Reviewable:
    reason = (reason or "").strip()
    if obj.review_status not in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        raise ReviewError(f"“{obj}”当前为{obj.get_review_status_display()}，不能退回。")
    if not can_review(user, obj):
        raise PermissionDenied("只有本工作组负责人或系统管理员可以退回。")
    if len(reason) < 2:
        raise ReviewError("退回须写明理由。")
    _transition(obj, ReviewStatus.RETURNED, user=user, note=reason[:300])
    _notify_returned(obj, user, reason[:300])
    return obj


def _notify_returned(obj, reviewer, reason: str) -> None:
    """The submitter sees a returned record in their 待办 (in-app, always); by e-mail as well when an
    SMTP host is configured and they have an address. A mail failure never undoes the return."""
    submitter = obj.submitted_by
    if not settings.EMAIL_HOST or submitter is None or not submitter.email:
        return
    try:
        send_mail(
            f"【援疆成效台账】记录被退回：{obj}",
            f"您提交的{obj._meta.verbose_name}“{obj}”被{reviewer.get_full_name() or reviewer.username}"
            f"退回，理由：{reason}\n请登录系统，在“待办”中查看、修改后重新提交。",
            None,
            [submitter.email],
        )
    except OSError:
        logger.exception("could not e-mail the return of %s to %s", obj, submitter.email)


# ---- batches (a whole ledger page, an import) ----------------------------------------------------


def records_batch(objs, user, action: str, reason: str = "") -> tuple[list, list[str]]:
    """Submit, approve or return several records: each one that may be is; the others are named with
    the reason they were not (returns (done, refusals)). Each record's change is its own change-log
    entry, as a single action would make it."""
    reason = (reason or "").strip()
    if action == "return" and len(reason) < 2:
        raise ReviewError("退回须写明理由。")
    act = {
        "submit": lambda o: record_submit(o, user),
        "approve": lambda o: record_approve(o, user),
        "return": lambda o: record_return(o, user, reason),
    }[action]
    done, refused = [], []
    for obj in objs:
        try:
            act(obj)
        except (PermissionDenied, ValidationError) as exc:
            refused.append(f"“{obj}”：{'；'.join(getattr(exc, 'messages', None) or [str(exc)])}")
        else:
            done.append(obj)
    return done, refused


def can_close(user, program) -> bool:
    return scoping.programs(user).filter(pk=program.pk).exists() and scoping.has_role(
        user, CLOSER_ROLES, program
    )


def can_reopen(user, program) -> bool:
    return scoping.programs(user).filter(pk=program.pk).exists() and scoping.has_role(
        user, REOPENER_ROLES, program
    )


def close_period(program, period: Period, user, note: str = "") -> PeriodClose:
    if not can_close(user, program):
        raise PermissionDenied("只有本工作组负责人、前方指挥部或系统管理员可以结账。")
    with transaction.atomic():
        overlapping = PeriodClose.objects.active().filter(
            program=program, start__lte=period.end, end__gte=period.start
        )
        existing = overlapping.first()
        if existing is not None:
            raise ValidationError(f"与已结账的期间{existing.period_label}重叠。")
        close = PeriodClose(
            program=program,
            start=period.start,
            end=period.end,
            label=period.label[:60],
            note=(note or "").strip()[:300],
            closed_by=user,
            closed_at=timezone.now(),
        )
        close.full_clean()
        close.save()
    return close


def reopen_period(close: PeriodClose, user, reason: str) -> PeriodClose:
    reason = (reason or "").strip()
    if not can_reopen(user, close.program):
        raise PermissionDenied("只有前方指挥部或系统管理员可以重新开账。")
    if not close.is_active:
        raise ValidationError("该期间已重新开账。")
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(f"重新开账须写明理由（不少于{REASON_MIN_LENGTH}个字）。")
    close.reopened_by = user
    close.reopened_at = timezone.now()
    close.reopen_reason = reason[:500]
    close.save()
    return close
