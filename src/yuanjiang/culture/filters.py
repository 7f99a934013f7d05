import django_filters

from yuanjiang.common.filters import RecordFilterSet, date_range, program_filter, search_filter
from yuanjiang.culture.choices import EventKind
from yuanjiang.culture.models import CultureEvent


class CultureEventFilterSet(RecordFilterSet):
    q = search_filter("活动名称或地点")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="活动类型", choices=EventKind.choices)
    date_after, date_before = date_range("date")
    search_fields = ("name", "place")

    class Meta:
        model = CultureEvent
        fields = ["q", "program", "kind", "date_after", "date_before"]
