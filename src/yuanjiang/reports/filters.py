import django_filters

from yuanjiang.accounts import scoping
from yuanjiang.reports.forms import metric_choices
from yuanjiang.reports.models import Target


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


class TargetFilterSet(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )
    metric = django_filters.ChoiceFilter(label="指标", choices=lambda: metric_choices()[1:])
    year = django_filters.NumberFilter(label="年度", field_name="period_start", lookup_expr="year")

    class Meta:
        model = Target
        fields = ["program", "metric", "year"]
