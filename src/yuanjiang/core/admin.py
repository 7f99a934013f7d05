from django.contrib import admin

from yuanjiang.common.admin import ReadOnlyAdmin
from yuanjiang.core.models import ChangeSet, ObjectChange


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


@admin.register(ChangeSet)
class ChangeSetAdmin(ReadOnlyAdmin):
    list_display = ("time", "actor_name", "source", "request_id")
    list_filter = ("source",)
    search_fields = ("actor_name", "request_id")
