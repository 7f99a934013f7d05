from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.review.models import REVIEW_FIELDS
from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse


@admin.register(TalentField)
class TalentFieldAdmin(DomainAdmin):
    list_display = ("name", "code", "is_shortage", "order")
    list_editable = ("is_shortage", "order")
    search_fields = ("name", "code")


@admin.register(AidWorker)
class AidWorkerAdmin(DomainAdmin):
    list_display = (
        "name",
        "program",
        "kind",
        "group_role",
        "home_unit",
        "host_unit",
        "term_start",
        "term_end",
    )
    list_filter = ("program", "kind", "group_role", "term_kind")
    search_fields = ("name", "home_unit", "host_unit", "post")
    list_select_related = ("program",)
    readonly_fields = ("version",)


@admin.register(TalentVisit)
class TalentVisitAdmin(DomainAdmin):
    list_display = (
        "experts",
        "program",
        "field",
        "institution",
        "start",
        "people",
        "person_times",
        "review_status",
    )
    list_filter = ("program", "field", "review_status")
    search_fields = ("experts", "work", "institution__name")
    list_select_related = ("program", "field", "institution")
    autocomplete_fields = ("institution",)
    readonly_fields = ("version", *REVIEW_FIELDS)


@admin.register(Agreement)
class AgreementAdmin(DomainAdmin):
    list_display = (
        "title",
        "program",
        "kind",
        "signed_on",
        "institution",
        "enterprise",
        "government_party",
        "review_status",
    )
    list_filter = ("program", "kind", "review_status")
    search_fields = ("title", "subject", "government_party", "counterpart_team")
    list_select_related = ("program", "institution", "enterprise")
    autocomplete_fields = ("institution", "enterprise")
    readonly_fields = ("version", *REVIEW_FIELDS)


@admin.register(TrainingCourse)
class TrainingCourseAdmin(DomainAdmin):
    list_display = (
        "name",
        "program",
        "audience",
        "mode",
        "start",
        "participants",
        "aid_funds",
        "project",
        "review_status",
    )
    list_filter = ("program", "audience", "mode", "review_status")
    search_fields = ("name", "place", "organizer")
    list_select_related = ("program", "project")
    autocomplete_fields = ("project",)
    readonly_fields = ("version", *REVIEW_FIELDS)
