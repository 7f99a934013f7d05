from django.contrib import admin

from yuanjiang.core.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
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
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "actor_name", "request_id")
    list_select_related = ("content_type", "program")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
