from django.contrib import admin

from yuanjiang.common.admin import ReadOnlyAdmin
from yuanjiang.warnings.models import Acknowledgement


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    """Read-only here: a warning is acknowledged on its program's warnings page (permission, note)."""

    list_display = ("program", "rule", "subject", "note", "acknowledged_by", "created_at")
    list_filter = ("program", "rule")
    list_select_related = ("program", "acknowledged_by")
