from django.contrib import admin

from yuanjiang.common.admin import ReadOnlyAdmin
from yuanjiang.reports.models import Publication, PublicationFile, ReportDefinition, Target


@admin.register(ReportDefinition)
class ReportDefinitionAdmin(admin.ModelAdmin):
    """Definitions are checked on save (ReportDefinition.clean): a bad line is named in the error."""

    list_display = ("name", "note", "updated_at")
    search_fields = ("name", "note", "source")
    readonly_fields = ("version",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("program", "metric", "period_start", "period_end", "value")
    list_filter = ("program", "metric")
    search_fields = ("metric", "note")
    list_select_related = ("program",)
    readonly_fields = ("version",)


class PublicationFileInline(admin.TabularInline):
    model = PublicationFile
    fields = ("format", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Read-only: a published report card is never changed or deleted."""

    list_display = (
        "title",
        "program",
        "organization",
        "period_start",
        "period_end",
        "published_by",
        "published_at",
    )
    list_select_related = ("program", "organization", "published_by")
    inlines = (PublicationFileInline,)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
