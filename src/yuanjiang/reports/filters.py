import django_filters

from yuanjiang.common.filters import RecordFilterSet, program_filter
from yuanjiang.reports.forms import metric_choices
from yuanjiang.reports.models import Target


class TargetFilterSet(RecordFilterSet):
    program = program_filter()
    metric = django_filters.ChoiceFilter(label="指标", choices=lambda: metric_choices()[1:])
    year = django_filters.NumberFilter(label="年度", field_name="period_start", lookup_expr="year")

    class Meta:
        model = Target
        fields = ["program", "metric", "year"]
