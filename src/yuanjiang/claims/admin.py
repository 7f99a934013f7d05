from django.contrib import admin

from yuanjiang.claims.models import ClaimCheck


@admin.register(ClaimCheck)
class ClaimCheckAdmin(admin.ModelAdmin):
    list_display = ("__str__", "program", "text_date", "period_start", "period_end", "created_at")
    list_filter = ("program",)
    readonly_fields = ("results", "summary")
