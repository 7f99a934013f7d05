import django_filters
from django import forms
from django.db.models import Q

from yuanjiang.accounts import scoping
from yuanjiang.consumption.choices import BuyerKind, Channel, ProductCategory
from yuanjiang.consumption.models import Purchase

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


class PurchaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="采购单位、供货单位或产品", method="search")
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    category = django_filters.ChoiceFilter(label="产品类别", choices=ProductCategory.choices)
    buyer_kind = django_filters.ChoiceFilter(label="采购单位类型", choices=BuyerKind.choices)
    channel = django_filters.ChoiceFilter(label="采购渠道", choices=Channel.choices)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Purchase
        fields = ["q", "program", "category", "buyer_kind", "channel", "date_after", "date_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(buyer__icontains=value) | Q(supplier__icontains=value) | Q(products__icontains=value)
        )
