"""医疗援疆: what the program's doctors did — free clinics (义诊) across the county's townships, remote
consultations with the provider's hospitals, visiting experts, surgeries and new techniques.

Hospitals are the shared `investment.Institution` reference records (kind 医院): one 南通市第一人民医院
for every program; the activities that name them are scoped to their program.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from yuanjiang.common import validators
from yuanjiang.health.choices import ActivityKind
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.review.models import Reviewable

# A person-time or case count above this is a typing error, not a figure (the county has ~40万 people).
COUNT_MAX = 1_000_000


def _count_validators(what: str):
    return [
        MinValueValidator(0, message=f"{what}不能为负数。"),
        MaxValueValidator(COUNT_MAX, message=f"{what}不能超过{COUNT_MAX:,}，请核对。"),
    ]


class MedicalActivity(Reviewable):
    """医疗援疆活动: one free clinic, remote consultation, expert visit, surgery, new technique …"""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="medical_activities"
    )
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200, help_text="如：“通医在伊走基层”巡回义诊（英塔木镇）")
    date = models.DateField("日期")
    township = models.ForeignKey(
        "org.Region",
        verbose_name="乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="medical_activities",
        help_text="在乡镇开展的活动（义诊等）填写；县医院内或远程开展的可不填",
    )
    place = models.CharField("地点", max_length=200, blank=True, help_text="如：村卫生室、县人民医院")
    host_hospital = models.ForeignKey(
        "investment.Institution",
        verbose_name="受援医院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_medical_activities",
        help_text="受援地（本地）医院",
    )
    partner_hospital = models.ForeignKey(
        "investment.Institution",
        verbose_name="援方医院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnered_medical_activities",
        help_text="援方（后方）挂钩医院，如南通市第一人民医院",
    )
    doctors = models.CharField(
        "医生/专家", max_length=300, blank=True, help_text="姓名，以顿号分隔，如：赵东生、……"
    )
    department = models.CharField("科室/学科", max_length=100, blank=True)
    beneficiaries = models.IntegerField(
        "受益群众（人次）", default=0, validators=_count_validators("受益人次")
    )
    cases = models.IntegerField("病例数（例）", default=0, validators=_count_validators("病例数"))
    technique = models.CharField(
        "新技术/新项目名称",
        max_length=100,
        blank=True,
        help_text="活动类型为“新技术新项目”时必填，如：房颤消融术",
    )
    occasion = models.CharField(
        "主题日/节点", max_length=60, blank=True, help_text="如：世界糖尿病日、全国爱肝日"
    )
    description = models.TextField("活动内容", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    # The date the closed-period mechanism locks and the metrics count by.
    period_field = "date"
    table_columns = (
        "date",
        "title",
        "kind",
        "township",
        "partner_hospital",
        "doctors",
        "beneficiaries",
        "cases",
    )
    table_select_related = ("program", "township", "host_hospital", "partner_hospital")

    class Meta:
        verbose_name = "医疗援疆活动"
        verbose_name_plural = "医疗援疆活动"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["program", "kind", "date"], name="medicalactivity_prog_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(beneficiaries__gte=0), name="medicalactivity_beneficiaries_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cases__gte=0), name="medicalactivity_cases_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}" if self.date else self.title

    def get_absolute_url(self):
        return reverse("health:medicalactivity_detail", args=[self.pk])

    def doctor_names(self) -> list[str]:
        return [
            n.strip() for n in self.doctors.replace(",", "、").replace("，", "、").split("、") if n.strip()
        ]

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        if self.kind == ActivityKind.NEW_TECHNIQUE and not (self.technique or "").strip():
            errors["technique"] = "活动类型为“新技术新项目”时，请填写新技术/新项目名称。"
        if self.kind == ActivityKind.TELECONSULTATION and not self.partner_hospital_id:
            errors["partner_hospital"] = "远程会诊须填写援方医院。"
        for field in ("host_hospital", "partner_hospital"):
            institution = getattr(self, field) if getattr(self, f"{field}_id") else None
            if institution is not None and institution.kind != InstitutionKind.HOSPITAL:
                errors.setdefault(field, f"“{institution}”不是医院，请选择机构类型为“医院”的机构。")
        if self.host_hospital_id and self.host_hospital_id == self.partner_hospital_id:
            errors.setdefault("partner_hospital", "援方医院与受援医院不能是同一家医院。")
        validators.check_township(errors, self)
        if errors:
            raise ValidationError(errors)
