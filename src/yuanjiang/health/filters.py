import django_filters

from yuanjiang.common.filters import (
    RecordFilterSet,
    date_range,
    program_filter,
    search_filter,
    visible_townships,
)
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution


def _hospitals(request):
    return Institution.objects.filter(kind=InstitutionKind.HOSPITAL)


class MedicalActivityFilterSet(RecordFilterSet):
    """The activity list (and the coverage view's links): program, kind, township, dates, text."""

    q = search_filter("搜索", "名称、医生、技术、主题日")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices)
    township = django_filters.ModelChoiceFilter(label="乡镇", queryset=visible_townships)
    partner_hospital = django_filters.ModelChoiceFilter(label="援方医院", queryset=_hospitals)
    date_after, date_before = date_range("date")
    search_fields = ("title", "doctors", "technique", "occasion", "place")

    class Meta:
        model = MedicalActivity
        fields = ["q", "program", "kind", "township", "partner_hospital", "date_after", "date_before"]
