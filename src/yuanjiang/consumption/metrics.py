"""消费援疆 metrics (docs/metrics.md, "Consumption aid"): computed from the program's purchases
(consumption.Purchase), each record one purchase batch, counted once reviewed (已审核)."""

from django.db.models import Q

from yuanjiang.consumption.choices import ProductCategory
from yuanjiang.consumption.models import Purchase
from yuanjiang.metrics.registry import FLOW, CountMetric, Section, SumMetric, register, register_section


def purchases(scope, period):
    return Purchase.objects.filter(program__in=scope.programs(), date__range=(period.start, period.end))


def farm_products(scope, period):
    return Q(category=ProductCategory.FARM)


register(
    SumMetric(
        code="consumption.purchase_amount",
        label="消费援疆采购额",
        unit="元",
        period_rule=FLOW,
        aliases=("消费援疆", "消费帮扶", "采购额", "采购受援地产品", "采购农特产品"),
        description="统计期内援方单位和个人采购受援地产品的金额合计，每个采购批次按采购日期计入。",
        records_fn=purchases,
        field_name="amount",
    )
)
register(
    CountMetric(
        code="consumption.batches",
        label="采购批次",
        unit="批次",
        period_rule=FLOW,
        aliases=("采购批次",),
        description="统计期内登记的消费援疆采购批次数（一条采购记录为一个批次），按采购日期计入。",
        records_fn=purchases,
    )
)
register(
    SumMetric(
        code="consumption.farm_purchase_amount",
        label="农产品采购额",
        unit="元",
        period_rule=FLOW,
        aliases=("农产品采购", "采购农产品", "农副产品"),
        description="上述采购中产品类别为“农产品”的金额合计。",
        records_fn=purchases,
        where=farm_products,
        field_name="amount",
    )
)

register_section(
    Section(
        key="consumption",
        title="消费援疆",
        codes=("consumption.purchase_amount", "consumption.batches", "consumption.farm_purchase_amount"),
        order=70,
    )
)
