import django_filters

from yuanjiang.accounts import scoping
from yuanjiang.metrics.forms import reported_choices
from yuanjiang.metrics.models import ManualValue


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


class ManualValueFilterSet(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    metric = django_filters.ChoiceFilter(label="指标", choices=reported_choices)
    source = django_filters.CharFilter(label="来源文件", lookup_expr="icontains")

    class Meta:
        model = ManualValue
        fields = ["program", "metric", "source"]
