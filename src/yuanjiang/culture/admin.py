from django.contrib import admin

from yuanjiang.culture.models import CultureEvent


@admin.register(CultureEvent)
class CultureEventAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "program", "kind", "place", "participants")
    list_filter = ("kind", "program")
    search_fields = ("name", "place", "partners")
    list_select_related = ("program",)
    autocomplete_fields = ("township",)
    readonly_fields = ("version",)
