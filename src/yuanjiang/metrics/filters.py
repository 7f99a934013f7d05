import django_filters

from yuanjiang.common.filters import RecordFilterSet, program_filter
from yuanjiang.metrics.forms import reported_choices
from yuanjiang.metrics.models import ManualValue


class ManualValueFilterSet(RecordFilterSet):
    program = program_filter()
    metric = django_filters.ChoiceFilter(label="指标", choices=reported_choices)
    source = django_filters.CharFilter(label="来源文件", lookup_expr="icontains")

    class Meta:
        model = ManualValue
        fields = ["program", "metric", "source"]
