from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.projects.models import (
    AidProject,
    FundTransaction,
    ProgressPhoto,
    ProgressReport,
    ProjectOutput,
)


class ProjectOutputInline(admin.TabularInline):
    model = ProjectOutput
    extra = 0


@admin.register(AidProject)
class AidProjectAdmin(DomainAdmin):
    list_display = (
        "code",
        "name",
        "program",
        "category",
        "plan_year",
        "aid_funds",
        "actual_start",
        "actual_completion",
    )
    list_filter = ("program", "category", "plan_year", "nature")
    search_fields = ("code", "name", "content", "implementing_unit")
    list_select_related = ("program",)
    autocomplete_fields = ("township",)
    inlines = (ProjectOutputInline,)
    readonly_fields = ("version",)


@admin.register(FundTransaction)
class FundTransactionAdmin(DomainAdmin):
    list_display = ("project", "kind", "date", "amount", "source_document", "review_status")
    list_filter = ("kind", "review_status")
    # Review goes through its buttons (permissions, change log); closed periods are checked on save.
    readonly_fields = ("review_status", "reviewed_by", "reviewed_at", "review_note", "version")
    search_fields = ("project__name", "source_document")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)


class ProgressPhotoInline(admin.TabularInline):
    model = ProgressPhoto
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(DomainAdmin):
    inlines = (ProgressPhotoInline,)
    list_display = ("project", "report_date", "progress_percent", "investment_completed", "review_status")
    list_filter = ("review_status",)
    readonly_fields = ("review_status", "reviewed_by", "reviewed_at", "review_note", "version")
    search_fields = ("project__name",)
    list_select_related = ("project",)
    autocomplete_fields = ("project",)
