"""产业援疆. Enterprises and institutions are shared reference records (one 中国天楹 for every program);
what a program did with them (events, contacts, investment projects) is scoped to the program."""

from django.db import models

from yuanjiang.common.models import DomainModel
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.validators import validate_credit_code


class Enterprise(DomainModel):
    """企业: a shared reference record, not scoped to a program."""

    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="18位，含校验位；不知道可不填",
    )
    industry = models.CharField("所属行业", max_length=100, blank=True)
    origin = models.CharField("来源地（省市）", max_length=100, blank=True, help_text="如：江苏南通")
    is_leading = models.BooleanField("龙头企业", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    table_columns = ("name", "credit_code", "industry", "origin", "is_leading")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "credit_code",
                name="enterprise_unique_credit_code",
                condition=~models.Q(credit_code=""),
                violation_error_message="已有企业使用该统一社会信用代码。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Before the uniqueness check: one code is one enterprise, however it was typed.
        self.credit_code = (self.credit_code or "").strip().upper()

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class Institution(DomainModel):
    """高校、科研院所、医院、行业协会……: a shared reference record, not scoped to a program."""

    name = models.CharField(
        "机构名称", max_length=200, unique=True, error_messages={"unique": "已有同名机构。"}
    )
    kind = models.CharField("机构类型", max_length=20, choices=InstitutionKind.choices)
    location = models.CharField("所在地", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    table_columns = ("name", "kind", "location")

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构（高校、科研院所、医院等）"
        ordering = ["name"]

    def __str__(self):
        return self.name


__all__ = ["Enterprise", "Institution"]
