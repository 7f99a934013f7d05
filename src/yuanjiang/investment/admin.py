from django.contrib import admin

from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    IndustryCluster,
    Institution,
    InvestmentPhase,
    InvestmentProject,
    Park,
    ParkUpgrade,
    PromotionEvent,
)


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


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "sequence")
    search_fields = ("code", "name")


class ParkUpgradeInline(admin.TabularInline):
    model = ParkUpgrade
    extra = 0
    autocomplete_fields = ("aid_project",)


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "focus_industries", "area")
    search_fields = ("name", "focus_industries")
    list_select_related = ("county",)
    autocomplete_fields = ("county",)
    inlines = (ParkUpgradeInline,)


@admin.register(PromotionEvent)
class PromotionEventAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "kind", "place", "program", "organizer")
    list_filter = ("kind", "program")
    search_fields = ("title", "place")
    list_select_related = ("program", "organizer")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "enterprise", "institution", "program", "event")
    list_filter = ("kind", "program")
    search_fields = ("enterprise__name", "institution__name", "outcome")
    list_select_related = ("enterprise", "institution", "program", "event")
    autocomplete_fields = ("enterprise", "institution", "event")


class InvestmentPhaseInline(admin.TabularInline):
    model = InvestmentPhase
    extra = 0


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "enterprise",
        "program",
        "park",
        "signed_date",
        "landed_date",
        "planned_investment",
    )
    list_filter = ("program", "cluster", "park")
    search_fields = ("name", "enterprise__name", "content")
    list_select_related = ("enterprise", "program", "park")
    autocomplete_fields = ("enterprise", "park", "township", "signed_event")
    inlines = (InvestmentPhaseInline,)
    readonly_fields = ("version",)
