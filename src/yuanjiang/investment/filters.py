import django_filters
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.common.filters import RecordFilterSet, date_range, program_filter, search_filter
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


def _events(request):
    return scoping.restrict(PromotionEvent.objects.all(), request.user if request else None)


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY, parks__isnull=False).distinct()


def _parks(request):
    return Park.objects.all()


class EnterpriseFilterSet(RecordFilterSet):
    q = search_filter("搜索", "名称、信用代码、行业")
    is_leading = django_filters.BooleanFilter(label="龙头企业")

    class Meta:
        model = Enterprise
        fields = ["q", "is_leading"]

    search_fields = ("name", "credit_code", "industry", "origin")


class InstitutionFilterSet(RecordFilterSet):
    q = search_filter("搜索")
    kind = django_filters.ChoiceFilter(label="机构类型", choices=InstitutionKind.choices)

    class Meta:
        model = Institution
        fields = ["q", "kind"]

    search_fields = ("name", "location")


class ParkFilterSet(RecordFilterSet):
    q = search_filter("搜索")
    county = django_filters.ModelChoiceFilter(label="所在县（市）", queryset=_counties)

    class Meta:
        model = Park
        fields = ["q", "county"]

    search_fields = ("name", "focus_industries")


class PromotionEventFilterSet(RecordFilterSet):
    q = search_filter("搜索")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="活动类型", choices=EventKind.choices)
    date_after, date_before = date_range("date")

    class Meta:
        model = PromotionEvent
        fields = ["q", "program", "kind", "date_after", "date_before"]

    search_fields = ("title", "place")


class ContactFilterSet(RecordFilterSet):
    q = search_filter("企业或机构")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="方式", choices=ContactKind.choices)
    leading = django_filters.BooleanFilter(label="龙头企业", field_name="enterprise__is_leading")
    event = django_filters.ModelChoiceFilter(label="招商活动", queryset=_events)
    date_after, date_before = date_range("date")

    class Meta:
        model = Contact
        fields = ["q", "program", "kind", "leading", "event", "date_after", "date_before"]

    search_fields = ("enterprise__name", "institution__name", "outcome")


class InvestmentProjectFilterSet(RecordFilterSet):
    q = search_filter("搜索", "项目、企业、内容")
    program = program_filter()
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, method="filter_stage")
    cluster = django_filters.ModelChoiceFilter(label="产业集群", queryset=IndustryCluster.objects.all())
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_parks)
    signed_after, signed_before = date_range("signed_date", "签约起始", "签约截止")

    class Meta:
        model = InvestmentProject
        fields = ["q", "program", "stage", "cluster", "park", "signed_after", "signed_before"]

    search_fields = ("name", "enterprise__name", "content")

    def filter_stage(self, queryset, name, value):
        return queryset.in_stage(value, timezone.localdate())
