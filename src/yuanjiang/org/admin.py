from django.contrib import admin

from yuanjiang.org.models import Organization, Program, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "aliases")
    list_filter = ("level", "kind")
    search_fields = ("code", "name", "aliases")
    list_select_related = ("parent",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "slug")
    list_select_related = ("parent",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "recipient_region", "batch", "term_start", "term_end", "slug")
    search_fields = ("name", "slug")
    list_select_related = ("provider", "recipient_region")
    autocomplete_fields = ("provider", "recipient_region")
