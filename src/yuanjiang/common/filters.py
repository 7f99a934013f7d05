"""The filter-set base of every list: the program filter scoped to the viewer, a date range, text search.

    class CultureEventFilterSet(RecordFilterSet):
        q = search_filter("活动名称或地点")
        program = program_filter()                        # ?program=<slug>, only programs the viewer sees
        date_after, date_before = date_range("date")      # ?date_after=…&date_before=…
        search_fields = ("name", "place")                 # q: any of them contains the text

Each app's `filters.py` declares only what is its own (its choices, its other filters); the GET
parameter names stay those of the declaration (`date_after`, `signed_after` …).
"""

import django_filters
from django import forms
from django.db.models import Q

from yuanjiang.accounts import scoping
from yuanjiang.common.forms import DATE  # the one date box (also re-exported for filter sets)
from yuanjiang.org.models import Region


def _user(request):
    return request.user if request else None


def visible_programs(request):
    """The programs the viewer may see (the choices of every program filter)."""
    return scoping.programs(_user(request)).select_related("provider")


def visible_townships(request):
    """The townships of the recipient counties of the programs the viewer may see."""
    return Region.objects.filter(parent__programs__in=scoping.programs(_user(request))).distinct()


def program_filter(field_name: str = "program") -> django_filters.ModelChoiceFilter:
    """?program=<slug>: the records of one program the viewer may see; `field_name` is the path from
    the record to its program (`project__program` …)."""
    return django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=visible_programs, field_name=field_name, to_field_name="slug"
    )


def date_range(field_name: str = "date", after: str = "起始日期", before: str = "截止日期"):
    """Two filters, on or after and on or before a date, for `x_after, x_before = date_range(…)`."""
    return (
        django_filters.DateFilter(label=after, field_name=field_name, lookup_expr="gte", widget=DATE),
        django_filters.DateFilter(label=before, field_name=field_name, lookup_expr="lte", widget=DATE),
    )


def search_filter(label: str = "搜索", placeholder: str = "") -> django_filters.CharFilter:
    """?q=: the text search of the set (its `search_fields`)."""
    attrs = {"placeholder": placeholder} if placeholder else {}
    return django_filters.CharFilter(label=label, method="search", widget=forms.TextInput(attrs=attrs))


def search_q(value: str, fields) -> Q | None:
    """Any of `fields` contains `value` (stripped), or None for an empty text."""
    value = (value or "").strip()
    if not value:
        return None
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": value})
    return q


class RecordFilterSet(django_filters.FilterSet):
    """Base of every app's filter sets: `search()` over `search_fields` (for `search_filter()`)."""

    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        q = search_q(value, self.search_fields)
        return queryset if q is None else queryset.filter(q)
