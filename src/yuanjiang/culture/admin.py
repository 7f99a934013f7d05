from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.culture.models import CultureEvent
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(CultureEvent)
class CultureEventAdmin(DomainAdmin):
    list_display = ("date", "name", "program", "kind", "place", "participants", "review_status")
    list_filter = ("kind", "program", "review_status")
    search_fields = ("name", "place", "partners")
    list_select_related = ("program",)
    autocomplete_fields = ("township",)
    readonly_fields = ("version", *REVIEW_FIELDS)
