import django_filters
from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.culture.choices import EventKind
from yuanjiang.culture.models import CultureEvent

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


class CultureEventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="活动名称或地点", method="search")
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
        model = CultureEvent
        fields = ["q", "program", "kind", "date_after", "date_before"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(place__icontains=value)) if value else queryset
