from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.health.models import MedicalActivity
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(MedicalActivity)
class MedicalActivityAdmin(DomainAdmin):
    list_display = (
        "date",
        "title",
        "program",
        "kind",
        "township",
        "partner_hospital",
        "beneficiaries",
        "cases",
        "review_status",
    )
    list_filter = ("program", "kind", "occasion", "review_status")
    search_fields = ("title", "doctors", "technique", "occasion", "place")
    list_select_related = ("program", "township", "partner_hospital")
    autocomplete_fields = ("township", "host_hospital", "partner_hospital")
    date_hierarchy = "date"
    readonly_fields = ("version", *REVIEW_FIELDS)
