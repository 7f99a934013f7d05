from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.metrics.models import ManualValue
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(ManualValue)
class ManualValueAdmin(DomainAdmin):
    list_display = (
        "metric",
        "program",
        "period_start",
        "period_end",
        "value",
        "source",
        "entered_by",
        "review_status",
    )
    list_filter = ("metric", "program", "review_status")
    search_fields = ("metric", "source", "reporter", "note")
    list_select_related = ("program", "entered_by")
    readonly_fields = ("version", "entered_by", *REVIEW_FIELDS)
