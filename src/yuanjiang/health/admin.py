from django.contrib import admin

from yuanjiang.health.models import MedicalActivity


@admin.register(MedicalActivity)
class MedicalActivityAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "title",
        "program",
        "kind",
        "township",
        "partner_hospital",
        "beneficiaries",
        "cases",
    )
    list_filter = ("program", "kind", "occasion")
    search_fields = ("title", "doctors", "technique", "occasion", "place")
    list_select_related = ("program", "township", "partner_hospital")
    autocomplete_fields = ("township", "host_hospital", "partner_hospital")
    date_hierarchy = "date"
    readonly_fields = ("version",)
