"""Report cards: definitions kept by admins, annual targets, and published (immutable) snapshots."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from yuanjiang.common import formatting
from yuanjiang.kernel.models import DomainModel
from yuanjiang.reports import definition as defs

SOURCE_MAX_CHARS = 100_000


class ReportDefinition(DomainModel):
    """A report-card definition an admin creates and edits in the web admin (TOML, as the files in
    reports/definitions/). Checked on save: an unknown metric or a bad placeholder names the line."""

    name = models.SlugField(
        "名称", max_length=60, unique=True, help_text="英文标识，如 annual-2024（命令行 --definition 使用）"
    )
    source = models.TextField(
        "模板内容（TOML）",
        help_text='title = "{scope}援疆工作成绩单"，然后每节 [[section]]：title 与 lines（句子，含 {指标代码} 占位符）。',
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "成绩单模板"
        verbose_name_plural = "成绩单模板"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def definition(self) -> "defs.Definition":
        return defs.parse(self.source, name=self.name, source=f"成绩单模板“{self.name}”")

    def clean(self):
        if len(self.source or "") > SOURCE_MAX_CHARS:
            raise ValidationError({"source": f"模板内容过长（不超过{SOURCE_MAX_CHARS}个字符）。"})
        if self.name and self.name in defs.file_names():
            raise ValidationError({"name": f"“{self.name}”是系统内置模板的名称，请换一个名称。"})
        if self.name and not defs._NAME.match(self.name):
            raise ValidationError({"name": "名称只能由小写字母、数字、连字符和下划线组成。"})
        try:
            self.definition()
        except defs.DefinitionError as exc:
            raise ValidationError({"source": str(exc)}) from None


TARGET_MAX_DIGITS = 18


class Target(DomainModel):
    """年度目标任务: the value a program should reach for a metric over a period (plan versus actual)."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="targets"
    )
    metric = models.CharField("指标", max_length=80)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    value = models.DecimalField(
        "目标值",
        max_digits=TARGET_MAX_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(0, message="目标值不能为负数。")],
        help_text="以指标的单位计（金额为元，比率为%）。",
    )
    note = models.CharField("说明/依据", max_length=200, blank=True)

    scope_path = "program"
    table_columns = ("program", "metric_label", "period_start", "period_end", "value_display", "note")
    table_select_related = ("program",)

    class Meta:
        verbose_name = "年度目标任务"
        verbose_name_plural = "年度目标任务"
        ordering = ["program", "period_start", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "metric", "period_start", "period_end"],
                name="target_unique_per_period",
                violation_error_message="该援疆项目组在这一时间段已有此指标的目标，请编辑原有目标。",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_value_non_negative"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="target_period_in_order"
            ),
        ]

    def __str__(self):
        return (
            f"{self.program} {self.metric_label()} {self.period_start:%Y-%m-%d}至{self.period_end:%Y-%m-%d}"
        )

    @property
    def metric_obj(self):
        from yuanjiang.metrics import registry

        try:
            return registry.get(self.metric)
        except KeyError:
            return None

    def metric_label(self) -> str:
        m = self.metric_obj
        return m.label if m else self.metric

    metric_label.short_description = "指标"

    def value_display(self) -> str:
        m = self.metric_obj
        return formatting.exact(self.value, m.unit if m else "")

    value_display.short_description = "目标值"

    def get_absolute_url(self):
        return reverse("reports:target_edit", args=[self.pk])

    def clean(self):
        errors = {}
        m = self.metric_obj
        if self.metric and m is None:
            errors["metric"] = f"未知指标“{self.metric}”。"
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                errors["period_end"] = "截止日期不能早于起始日期。"
            for name in ("period_start", "period_end"):
                day = getattr(self, name)
                if not 2000 <= day.year <= 2100:
                    errors.setdefault(name, "日期应在2000年至2100年之间。")
        if self.value is not None and m is not None and m.unit in ("%", "百分点") and self.value > 100:
            errors["value"] = "比率的目标值不能超过100%。"
        if errors:
            raise ValidationError(errors)


class ImmutableQuerySet(models.QuerySet):
    """Also the base manager (Meta.base_manager_name): `_base_manager.update()` is refused too."""

    def update(self, **kwargs):
        raise PermissionError("已发布的成绩单不可修改。")

    def delete(self):
        raise PermissionError("已发布的成绩单不可删除。")


class Publication(models.Model):
    """A published report card: the figures (and the records each counted) and the rendered files,
    kept as they were, with who published them, when, and a content hash. Never changed afterwards."""

    definition_name = models.CharField("成绩单模板", max_length=60)
    title = models.CharField("标题", max_length=300)
    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", null=True, blank=True, on_delete=models.PROTECT
    )
    organization = models.ForeignKey(
        "org.Organization", verbose_name="组织机构", null=True, blank=True, on_delete=models.PROTECT
    )
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.PROTECT
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True, db_index=True)
    # {"report": <the JSON rendering>, "values": {code: "Decimal" | null}, "records": {code: {"model": …, "ids": […]}}}
    snapshot = models.JSONField("发布时的数字与记录")
    sha256 = models.CharField("内容摘要（SHA-256）", max_length=64)
    replaces = models.ForeignKey(
        "self",
        verbose_name="取代的发布",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="同一模板、范围与统计期的上一次发布：再次发布时说明取代了哪一次，旧版本仍保留可查。",
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布成绩单"
        verbose_name_plural = "已发布成绩单"
        base_manager_name = "objects"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(program__isnull=False, organization__isnull=True))
                | (models.Q(program__isnull=True, organization__isnull=False)),
                name="publication_program_xor_organization",
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.published_at:%Y-%m-%d %H:%M} 发布）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("已发布的成绩单不可修改。")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:publication_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise PermissionError("已发布的成绩单不可删除。")

    @property
    def scope_label(self) -> str:
        return str(self.program or self.organization)


class PublicationFile(models.Model):
    """One rendered file of a publication (HTML, DOCX, PDF, XLSX, JSON), stored as published."""

    publication = models.ForeignKey(
        Publication, verbose_name="已发布成绩单", on_delete=models.PROTECT, related_name="files"
    )
    format = models.CharField("格式", max_length=8)
    content = models.BinaryField("内容")
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布成绩单文件"
        verbose_name_plural = "已发布成绩单文件"
        base_manager_name = "objects"
        ordering = ["publication", "format"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="publicationfile_unique_format")
        ]

    def __str__(self):
        return f"{self.publication_id}.{self.format}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("已发布的成绩单不可修改。")
        if not self.sha256:
            self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
            self.size = len(self.content)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("已发布的成绩单不可删除。")
