"""Reported figures (报送数): values another body supplies rather than values computed from records."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from yuanjiang.common import formatting, validators
from yuanjiang.review.models import Reviewable


class ManualValue(Reviewable):
    """报送数: metric × program × reporting period → value, with the document it comes from.

    Only metrics declared as `ReportedMetric` take manual values; their figures are always shown as
    报送数 and never combined with figures computed from records.
    """

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="manual_values"
    )
    metric = models.CharField("指标", max_length=80)
    period_start = models.DateField("统计起始日期")
    period_end = models.DateField("统计截止日期")
    value = models.DecimalField(
        "报送数值",
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), message="报送数值不能为负数。")],
    )
    source = models.CharField(
        "来源文件",
        max_length=200,
        help_text="报送单位的统计报表、文件名称或文号；没有来源的数字不予录入",
        error_messages={"blank": "请填写来源文件：没有来源的报送数不予录入。"},
    )
    reporter = models.CharField(
        "报送单位", max_length=100, blank=True, help_text="如：伊宁县文化体育广播电视和旅游局"
    )
    source_date = models.DateField("报送日期")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    period_field = "period_end"
    table_columns = (
        "__str__",
        "program",
        "value_display",
        "source",
        "reporter",
        "source_date",
        "entered_by",
    )
    table_select_related = ("program", "entered_by")

    class Meta:
        verbose_name = "报送数"
        verbose_name_plural = "报送数"
        ordering = ["program", "metric", "-period_end", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="manualvalue_value_non_negative"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="manualvalue_period_end_after_start",
            ),
            models.CheckConstraint(condition=~models.Q(source=""), name="manualvalue_source_required"),
        ]

    def __str__(self):
        return f"{self.metric_label()} {self.period_start:%Y-%m-%d}至{self.period_end:%Y-%m-%d}（报送数）"

    def get_absolute_url(self):
        return reverse("metrics:manualvalue_detail", args=[self.pk])

    @property
    def metric_obj(self):
        from yuanjiang.metrics import registry

        try:
            return registry.get(self.metric)
        except KeyError:
            return None

    def metric_label(self) -> str:
        metric = self.metric_obj
        return metric.label if metric else self.metric

    metric_label.short_description = "指标"

    def value_display(self) -> str:
        metric = self.metric_obj
        return formatting.exact(self.value, metric.unit if metric else "")

    value_display.short_description = "报送数值"

    def clean(self):
        errors = {}
        metric = self.metric_obj
        if metric is None or not metric.reported:
            errors["metric"] = "该指标不是报送类指标：只有声明为“报送数”的指标可以录入报送值。"
        if self.source and not self.source.strip():  # "" itself is refused as blank by the field
            errors["source"] = "请填写来源文件：没有来源的报送数不予录入。"
        self.source = (self.source or "").strip()
        validators.check_past_dates(errors, self, "period_start", "period_end", "source_date")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors.setdefault("period_end", "统计截止日期不能早于统计起始日期。")
        if not errors and self.program_id and self.period_start and self.period_end:
            overlapping = (
                ManualValue.objects.filter(
                    program_id=self.program_id,
                    metric=self.metric,
                    period_start__lte=self.period_end,
                    period_end__gte=self.period_start,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping is not None:
                errors["period_start"] = (
                    f"与已录入的报送数“{overlapping}”的统计期重叠：同一指标的统计期不能重叠，否则会重复计算。"
                )
        if errors:
            raise ValidationError(errors)


class DataState(models.Model):
    """The state of the domain data, as a token replaced after every committed write: the key under
    which computed figures are kept (metrics.cache). One row; written by the system only."""

    token = models.CharField("数据状态", max_length=32)
    changed_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "数据状态"
        verbose_name_plural = "数据状态"

    def __str__(self):
        return f"{self.token} {self.changed_at:%Y-%m-%d %H:%M:%S}"
