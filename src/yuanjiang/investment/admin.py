from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
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
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(Enterprise)
class EnterpriseAdmin(DomainAdmin):
    list_display = ("name", "credit_code", "industry", "origin", "is_leading")
    list_filter = ("is_leading",)
    search_fields = ("name", "credit_code", "industry")


@admin.register(Institution)
class InstitutionAdmin(DomainAdmin):
    list_display = ("name", "kind", "location")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(IndustryCluster)
class IndustryClusterAdmin(DomainAdmin):
    list_display = ("code", "name", "group", "sequence")
    search_fields = ("code", "name")


class ParkUpgradeInline(admin.TabularInline):
    model = ParkUpgrade
    extra = 0
    autocomplete_fields = ("aid_project",)


@admin.register(Park)
class ParkAdmin(DomainAdmin):
    list_display = ("name", "county", "focus_industries", "area")
    search_fields = ("name", "focus_industries")
    list_select_related = ("county",)
    autocomplete_fields = ("county",)
    inlines = (ParkUpgradeInline,)


@admin.register(PromotionEvent)
class PromotionEventAdmin(DomainAdmin):
    list_display = ("date", "title", "kind", "place", "program", "organizer", "review_status")
    list_filter = ("kind", "program", "review_status")
    search_fields = ("title", "place")
    list_select_related = ("program", "organizer")
    readonly_fields = ("version", *REVIEW_FIELDS)


@admin.register(Contact)
class ContactAdmin(DomainAdmin):
    list_display = ("date", "kind", "enterprise", "institution", "program", "event", "review_status")
    list_filter = ("kind", "program", "review_status")
    search_fields = ("enterprise__name", "institution__name", "outcome")
    list_select_related = ("enterprise", "institution", "program", "event")
    autocomplete_fields = ("enterprise", "institution", "event")
    readonly_fields = ("version", *REVIEW_FIELDS)


class InvestmentPhaseInline(admin.TabularInline):
    model = InvestmentPhase
    extra = 0


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(DomainAdmin):
    list_display = (
        "name",
        "enterprise",
        "program",
        "park",
        "signed_date",
        "landed_date",
        "planned_investment",
        "review_status",
    )
    list_filter = ("program", "cluster", "park", "review_status")
    search_fields = ("name", "enterprise__name", "content")
    list_select_related = ("enterprise", "program", "park")
    autocomplete_fields = ("enterprise", "park", "township", "signed_event")
    inlines = (InvestmentPhaseInline,)
    readonly_fields = ("version", *REVIEW_FIELDS)
