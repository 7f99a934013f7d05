from django.contrib import admin

from yuanjiang.metrics.models import ManualValue


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    list_display = ("metric", "program", "period_start", "period_end", "value", "source", "entered_by")
    list_filter = ("metric", "program")
    search_fields = ("metric", "source", "reporter", "note")
    list_select_related = ("program", "entered_by")
    readonly_fields = ("version", "entered_by")
