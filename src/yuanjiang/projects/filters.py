import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.org.models import Region
from yuanjiang.projects.choices import Category, Status
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


def _townships(request):
    return Region.objects.filter(
        parent__programs__in=scoping.programs(request.user if request else None)
    ).distinct()


class AidProjectFilterSet(django_filters.FilterSet):
    """Serves the project list (and later exports and the API): one FilterSet for the model."""

    q = django_filters.CharFilter(
        label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "名称、编号、内容、单位"})
    )
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    category = django_filters.ChoiceFilter(label="项目类别", choices=Category.choices)
    status = django_filters.ChoiceFilter(label="项目状态", choices=Status.choices, method="filter_status")
    township = django_filters.ModelChoiceFilter(label="乡镇", queryset=_townships)
    plan_year = django_filters.NumberFilter(label="计划年度")

    class Meta:
        model = AidProject
        fields = ["q", "program", "category", "status", "township", "plan_year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(content__icontains=value)
            | Q(implementing_unit__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        return queryset.in_status(value, timezone.localdate())


class FundTransactionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目名称或依据文件", method="search")
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="project__program", to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=FundTransaction._meta.get_field("kind").choices)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = FundTransaction
        fields = ["q", "program", "kind", "date_after", "date_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(project__name__icontains=value) | Q(source_document__icontains=value))
            if value
            else queryset
        )


class ProgressReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目名称", field_name="project__name", lookup_expr="icontains")
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="project__program", to_field_name="slug"
    )

    class Meta:
        model = ProgressReport
        fields = ["q", "program"]
