import django_filters
from django.utils import timezone

from yuanjiang.common.filters import (
    RecordFilterSet,
    date_range,
    program_filter,
    search_filter,
    visible_townships,
)
from yuanjiang.projects.choices import Category, Status
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport


class AidProjectFilterSet(RecordFilterSet):
    """Serves the project list (and later exports and the API): one FilterSet for the model."""

    q = search_filter("搜索", "名称、编号、内容、单位")
    program = program_filter()
    category = django_filters.ChoiceFilter(label="项目类别", choices=Category.choices)
    status = django_filters.ChoiceFilter(label="项目状态", choices=Status.choices, method="filter_status")
    township = django_filters.ModelChoiceFilter(label="乡镇", queryset=visible_townships)
    plan_year = django_filters.NumberFilter(label="计划年度")
    search_fields = ("name", "code", "content", "implementing_unit")

    class Meta:
        model = AidProject
        fields = ["q", "program", "category", "status", "township", "plan_year"]

    def filter_status(self, queryset, name, value):
        return queryset.in_status(value, timezone.localdate())


class FundTransactionFilterSet(RecordFilterSet):
    q = search_filter("项目名称或依据文件")
    program = program_filter("project__program")
    kind = django_filters.ChoiceFilter(label="类型", choices=FundTransaction._meta.get_field("kind").choices)
    date_after, date_before = date_range("date")
    search_fields = ("project__name", "source_document")

    class Meta:
        model = FundTransaction
        fields = ["q", "program", "kind", "date_after", "date_before"]


class ProgressReportFilterSet(RecordFilterSet):
    q = search_filter("项目名称")
    program = program_filter("project__program")
    search_fields = ("project__name",)

    class Meta:
        model = ProgressReport
        fields = ["q", "program"]
