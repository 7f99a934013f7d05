"""文旅与交流交往交融: events the program organizes. Figures the county supplies (游客人次, 旅游收入)
are not recorded here but as reported figures (metrics.ManualValue, 报送数)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from yuanjiang.common import validators
from yuanjiang.culture.choices import EventKind
from yuanjiang.review.models import Reviewable


class CultureEvent(Reviewable):
    """文旅推介（如“四季游”）、交流交往交融活动: date, kind, place, participants."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="culture_events"
    )
    name = models.CharField("活动名称", max_length=150)
    kind = models.CharField("活动类型", max_length=20, choices=EventKind.choices)
    date = models.DateField("活动日期")
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="多日活动填写")
    township = models.ForeignKey(
        "org.Region",
        verbose_name="受援县乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="在受援县举办的填写；在内地举办的推介会可不填",
    )
    place = models.CharField("地点", max_length=150, help_text="如：南通市文化艺术中心、伊宁县吉里于孜镇")
    participants = models.IntegerField(
        "参与人数（人次）",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "参与人数不能为负数。"),
            MaxValueValidator(10_000_000, "参与人数超过1000万，请核对。"),
        ],
    )
    partners = models.CharField("主办/参与单位", max_length=300, blank=True)
    description = models.TextField("活动内容", blank=True)

    scope_path = "program"
    period_field = "date"
    table_columns = ("date", "name", "program", "kind", "place", "participants")
    table_select_related = ("program",)

    class Meta:
        verbose_name = "文旅活动"
        verbose_name_plural = "文旅与交流活动"
        ordering = ["program", "-date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants__gte=0) | models.Q(participants__isnull=True),
                name="cultureevent_participants_non_negative",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("culture:cultureevent_detail", args=[self.pk])

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date", "end_date")
        if self.date and self.end_date and self.end_date < self.date:
            errors.setdefault("end_date", "结束日期不能早于活动日期。")
        validators.check_township(errors, self)
        if errors:
            raise ValidationError(errors)
