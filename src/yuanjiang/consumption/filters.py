import django_filters

from yuanjiang.common.filters import RecordFilterSet, date_range, program_filter, search_filter
from yuanjiang.consumption.choices import BuyerKind, Channel, ProductCategory
from yuanjiang.consumption.models import Purchase


class PurchaseFilterSet(RecordFilterSet):
    q = search_filter("采购单位、供货单位或产品")
    program = program_filter()
    category = django_filters.ChoiceFilter(label="产品类别", choices=ProductCategory.choices)
    buyer_kind = django_filters.ChoiceFilter(label="采购单位类型", choices=BuyerKind.choices)
    channel = django_filters.ChoiceFilter(label="采购渠道", choices=Channel.choices)
    date_after, date_before = date_range("date")
    search_fields = ("buyer", "supplier", "products")

    class Meta:
        model = Purchase
        fields = ["q", "program", "category", "buyer_kind", "channel", "date_after", "date_before"]
