"""A kept claims check: the text, its date, scope and period, and the result as computed then."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from yuanjiang.kernel.models import DomainModel
from yuanjiang.org.models import Program


class ClaimCheck(DomainModel):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="claim_checks", verbose_name="援疆项目组"
    )
    title = models.CharField("标题", max_length=200, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    text = models.TextField("文本")
    text_date = models.DateField("文本日期", null=True, blank=True)
    period_start = models.DateField("统计期开始")
    period_end = models.DateField("统计期结束")
    # Periods the user set for single claims: {claim start offset: "START:END"}.
    period_overrides = models.JSONField("逐条指定的统计期", default=dict, blank=True)
    results = models.JSONField("核对结果", default=list, blank=True)
    summary = models.JSONField("结论统计", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核对人",
    )

    scope_path = "program"
    table_columns = ("title", "program", "text_date", "created_at")
    table_select_related = ("program",)

    class Meta:
        verbose_name = "数字核对"
        verbose_name_plural = "数字核对"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="claimcheck_period_ordered"
            )
        ]

    def __str__(self):
        if self.title:
            return self.title
        return f"数字核对 {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "数字核对"

    def get_absolute_url(self):
        return reverse("claims:claimcheck_detail", args=[self.pk])
