import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.investment.choices import ContactKind, EventKind, InstitutionKind, Stage
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    IndustryCluster,
    Institution,
    InvestmentProject,
    Park,
    PromotionEvent,
)
from yuanjiang.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


def _events(request):
    return scoping.restrict(PromotionEvent.objects.all(), request.user if request else None)


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY, parks__isnull=False).distinct()


def _parks(request):
    return Park.objects.all()


def _search(fields):
    def method(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    return method


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "名称、信用代码、行业"})
    )
    is_leading = django_filters.BooleanFilter(label="龙头企业")

    class Meta:
        model = Enterprise
        fields = ["q", "is_leading"]

    search = _search(("name", "credit_code", "industry", "origin"))


class InstitutionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ChoiceFilter(label="机构类型", choices=InstitutionKind.choices)

    class Meta:
        model = Institution
        fields = ["q", "kind"]

    search = _search(("name", "location"))


class ParkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    county = django_filters.ModelChoiceFilter(label="所在县（市）", queryset=_counties)

    class Meta:
        model = Park
        fields = ["q", "county"]

    search = _search(("name", "focus_industries"))


class PromotionEventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label="活动类型", choices=EventKind.choices)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = PromotionEvent
        fields = ["q", "program", "kind", "date_after", "date_before"]

    search = _search(("title", "place"))


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业或机构", method="search")
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label="方式", choices=ContactKind.choices)
    leading = django_filters.BooleanFilter(label="龙头企业", field_name="enterprise__is_leading")
    event = django_filters.ModelChoiceFilter(label="招商活动", queryset=_events)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Contact
        fields = ["q", "program", "kind", "leading", "event", "date_after", "date_before"]

    search = _search(("enterprise__name", "institution__name", "outcome"))


class InvestmentProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "项目、企业、内容"})
    )
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, method="filter_stage")
    cluster = django_filters.ModelChoiceFilter(label="产业集群", queryset=IndustryCluster.objects.all())
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_parks)
    signed_after = django_filters.DateFilter(
        label="签约起始", field_name="signed_date", lookup_expr="gte", widget=DATE
    )
    signed_before = django_filters.DateFilter(
        label="签约截止", field_name="signed_date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = InvestmentProject
        fields = ["q", "program", "stage", "cluster", "park", "signed_after", "signed_before"]

    search = _search(("name", "enterprise__name", "content"))

    def filter_stage(self, queryset, name, value):
        return queryset.in_stage(value, timezone.localdate())
