"""消费援疆: purchases of the recipient county's products by the aiding side (agencies, enterprises,
unions, canteens, people), one record per purchase batch (采购批次). The figures 消费援疆采购额 and
采购批次 (consumption/metrics.py) are computed from these records once reviewed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from yuanjiang.common import formatting, validators
from yuanjiang.common.fields import MoneyField
from yuanjiang.consumption.choices import BuyerKind, Channel, ProductCategory
from yuanjiang.review.models import Reviewable


class Purchase(Reviewable):
    """一个采购批次: who bought what kind of product from which supplier of the recipient county,
    for how much, when and through which channel."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="purchases"
    )
    buyer = models.CharField("采购单位", max_length=150, help_text="如：南通市总工会、某企业职工食堂")
    buyer_kind = models.CharField("采购单位类型", max_length=20, choices=BuyerKind.choices)
    category = models.CharField("产品类别", max_length=20, choices=ProductCategory.choices)
    products = models.CharField("采购产品", max_length=200, blank=True, help_text="如：伊宁县大米、蜂蜜")
    supplier = models.CharField("供货单位", max_length=150, help_text="受援县的企业、合作社或农户")
    township = models.ForeignKey(
        "org.Region",
        verbose_name="供货单位所在乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = MoneyField("采购金额（元）", positive=True)
    date = models.DateField("采购日期")
    channel = models.CharField("采购渠道", max_length=20, choices=Channel.choices)
    source = models.CharField(
        "依据文件", max_length=200, blank=True, help_text="采购合同、发票或消费帮扶台账等，可填文号"
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    period_field = "date"
    table_columns = ("date", "buyer", "program", "category", "supplier", "amount", "channel")
    table_select_related = ("program",)

    class Meta:
        verbose_name = "消费援疆采购"
        verbose_name_plural = "消费援疆采购"
        ordering = ["program", "-date", "buyer"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="purchase_amount_positive"),
        ]

    def __str__(self):
        return f"{self.buyer} {formatting.date(self.date)}" if self.date else self.buyer

    def get_absolute_url(self):
        return reverse("consumption:purchase_detail", args=[self.pk])

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        validators.check_township(errors, self)
        if errors:
            raise ValidationError(errors)
