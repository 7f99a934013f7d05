from django.contrib import admin

from yuanjiang.investment.models import Enterprise, Institution


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "origin", "is_leading")
    list_filter = ("is_leading",)
    search_fields = ("name", "credit_code", "industry")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "location")
    list_filter = ("kind",)
    search_fields = ("name",)
