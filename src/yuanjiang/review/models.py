"""Review before figures count, and closed periods (结账).

Adopting both for an activity model is one line each:

    class Visit(Reviewable):          # instead of DomainModel: 草稿 → 已提交 → 已审核 (或已退回)
        period_field = "date"         # the date that puts the record in a period (closing)

`Reviewable` adds the review fields; metrics then count only 已审核 records of the model by default
(metrics.registry applies the filter centrally). `period_field` lets `PeriodClose` freeze the records
dated in a closed period on every write path (review.guard).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from yuanjiang.common import formatting
from yuanjiang.core import context
from yuanjiang.kernel.models import DomainModel, DomainQuerySet
from yuanjiang.review.choices import ReviewStatus

REVIEW_FIELDS = ("review_status", "submitted_by", "reviewed_by", "reviewed_at", "review_note")
REVIEW_ATTNAMES = frozenset(
    {"review_status", "submitted_by_id", "reviewed_by_id", "reviewed_at", "review_note"}
)


# What is stamped on a reviewed record without changing what was reviewed: the handover date
# (org.handover marks an agreement carried into the next batch; its content stays as approved).
NOT_CONTENT = frozenset({"handed_over_on"})


class Reviewable(DomainModel):
    """A record that feeds figures and is reviewed by its program's lead before it counts."""

    review_status = models.CharField(
        "审核状态",
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
        editable=False,  # only through review.services (permissions, change log), never a form
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="最近一次提交审核的人：退回时通知他，他不能审核自己提交的记录（REVIEW_NO_SELF_APPROVAL）。",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    review_note = models.CharField("审核意见", max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True


def back_to_draft(write):
    """Kernel hook (before every update of a Reviewable, on every path): a submitted or approved
    record whose content is edited goes back to 草稿 — what was reviewed is not what is stored any
    more, so it must be submitted and reviewed again. A review transition itself changes only the
    review fields."""
    if write.action != "update":
        return
    # Said as the clerk will read it: an import names itself (its change set's source).
    via = "（导入）" if context.current().source.startswith("导入") else ""
    note = f"内容已修改{via}，需重新提交审核。"
    for obj in write.objs:
        if getattr(obj, "_review_transition", False):
            continue
        if write.stored(obj).get("review_status", obj.review_status) not in (
            ReviewStatus.SUBMITTED,
            ReviewStatus.APPROVED,
        ):
            continue
        if write.changed(obj) - REVIEW_ATTNAMES - NOT_CONTENT:
            write.set(
                obj,
                review_status=ReviewStatus.DRAFT,
                reviewed_by_id=None,
                reviewed_at=None,
                review_note=note,
            )


class PeriodCloseQuerySet(DomainQuerySet):
    def active(self):
        return self.filter(reopened_at__isnull=True)


class PeriodClose(DomainModel):
    """结账: a program's period whose figures are reported; its dated records are frozen until reopened."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="period_closes"
    )
    start = models.DateField("期间开始")
    end = models.DateField("期间结束")
    label = models.CharField("期间", max_length=60, blank=True)
    note = models.CharField("结账说明", max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结账人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("结账时间")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开账人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField("重新开账时间", null=True, blank=True)
    reopen_reason = models.CharField("重新开账理由", max_length=500, blank=True)

    objects = PeriodCloseQuerySet.as_manager()
    scope_path = "program"
    table_columns = ("program", "label", "start", "end", "closed_by", "closed_at", "reopened_at")
    table_select_related = ("program", "closed_by", "reopened_by")

    class Meta:
        verbose_name = "结账期间"
        verbose_name_plural = "结账期间"
        ordering = ["program", "-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="periodclose_end_after_start"
            )
        ]

    def __str__(self):
        state = "已重新开账" if self.reopened_at else "已结账"
        return f"{self.program} {self.period_label}（{state}）"

    @property
    def period_label(self) -> str:
        span = f"{formatting.date(self.start)}至{formatting.date(self.end)}"
        return f"{self.label}（{span}）" if self.label else span

    @property
    def is_active(self) -> bool:
        return self.reopened_at is None

    def covers(self, day) -> bool:
        return self.start <= day <= self.end

    def get_absolute_url(self):
        return reverse("review:periodclose_list", args=[self.program.slug])

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "期间结束日期不能早于开始日期。"})
