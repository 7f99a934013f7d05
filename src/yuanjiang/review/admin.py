from django.contrib import admin

from yuanjiang.common.admin import ReadOnlyAdmin
from yuanjiang.review.models import PeriodClose


@admin.register(PeriodClose)
class PeriodCloseAdmin(ReadOnlyAdmin):
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
