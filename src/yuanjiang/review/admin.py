from django.contrib import admin

from yuanjiang.review.models import PeriodClose


@admin.register(PeriodClose)
class PeriodCloseAdmin(admin.ModelAdmin):
    """Read-only here: closing and reopening go through the program's 结账 page (permissions, reasons)."""

    list_display = (
        "program",
        "label",
        "start",
        "end",
        "closed_by",
        "closed_at",
        "reopened_by",
        "reopened_at",
    )
    list_filter = ("program",)
    list_select_related = ("program", "closed_by", "reopened_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
