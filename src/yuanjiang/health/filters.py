import django_filters
from django import forms
from django.db.models import Q

from yuanjiang.accounts import scoping
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution
from yuanjiang.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


def _townships(request):
    return Region.objects.filter(
        parent__programs__in=scoping.programs(request.user if request else None)
    ).distinct()


def _hospitals(request):
    return Institution.objects.filter(kind=InstitutionKind.HOSPITAL)


class MedicalActivityFilterSet(django_filters.FilterSet):
    """The activity list (and the coverage view's links): program, kind, township, dates, text."""

    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "名称、医生、技术、主题日"}),
    )
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices)
    township = django_filters.ModelChoiceFilter(label="乡镇", queryset=_townships)
    partner_hospital = django_filters.ModelChoiceFilter(label="援方医院", queryset=_hospitals)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = MedicalActivity
        fields = ["q", "program", "kind", "township", "partner_hospital", "date_after", "date_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(doctors__icontains=value)
            | Q(technique__icontains=value)
            | Q(occasion__icontains=value)
            | Q(place__icontains=value)
        )
