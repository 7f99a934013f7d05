from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from yuanjiang.common.admin import ReadOnlyAdmin
from yuanjiang.core import history
from yuanjiang.core.models import ChangeSet, ObjectChange


class _FilledChangeList(ChangeList):
    """A page of entries with what they do not store read back (core.history): a fixed number of queries."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = history.fill(self.result_list)


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    """Read-only: the change log can be read, never edited or deleted."""

    list_display = (
        "time",
        "actor_name",
        "source",
        "action",
        "content_type",
        "object_repr",
        "program",
        "request_id",
    )
    list_filter = ("action", "changeset__source", "content_type")
    search_fields = ("object_repr", "changeset__actor_name", "changeset__request_id")
    list_select_related = ("content_type", "program", "changeset")

    def get_changelist(self, request, **kwargs):
        return _FilledChangeList

    def get_search_results(self, request, queryset, search_term):
        """Each word in the record's text as the change stream searches it (an update stores none),
        the actor or the request id."""
        for bit in smart_split(search_term):
            if bit[:1] in ('"', "'") and bit[-1:] == bit[:1]:
                bit = unescape_string_literal(bit)
            queryset = queryset.filter(
                history.text_search(bit)
                | Q(changeset__actor_name__icontains=bit)
                | Q(changeset__request_id__icontains=bit)
            )
        return queryset, False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return None if obj is None else history.fill([obj])[0]


@admin.register(ChangeSet)
class ChangeSetAdmin(ReadOnlyAdmin):
    list_display = ("time", "actor_name", "source", "request_id")
    list_filter = ("source",)
    search_fields = ("actor_name", "request_id")
