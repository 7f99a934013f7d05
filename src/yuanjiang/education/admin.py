from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(School)
class SchoolAdmin(DomainAdmin):
    list_display = ("name", "program", "township", "stage")
    list_filter = ("program", "stage")
    search_fields = ("name",)
    list_select_related = ("program", "township")
    autocomplete_fields = ("township", "aid_projects")
    readonly_fields = ("version",)


@admin.register(TeachingClass)
class TeachingClassAdmin(DomainAdmin):
    list_display = ("name", "school", "cohort", "grade", "track", "aid_teachers")
    list_filter = ("track", "grade", "cohort")
    search_fields = ("name", "school__name", "aid_teachers")
    list_select_related = ("school",)
    autocomplete_fields = ("school",)
    readonly_fields = ("version",)


@admin.register(ExamResult)
class ExamResultAdmin(DomainAdmin):
    list_display = ("exam_name", "exam_date", "teaching_class", "subject", "n", "mean", "sd", "pass_rate")
    list_filter = ("subject", "teaching_class__track")
    search_fields = ("exam_name", "teaching_class__name", "teaching_class__school__name")
    list_select_related = ("teaching_class",)
    autocomplete_fields = ("teaching_class",)
    readonly_fields = ("version",)


@admin.register(Fund)
class FundAdmin(DomainAdmin):
    list_display = ("name", "program", "founded_on", "manager")
    search_fields = ("name",)
    list_select_related = ("program",)
    readonly_fields = ("version",)


class FundEntryAdmin(DomainAdmin):
    list_select_related = ("fund",)
    autocomplete_fields = ("fund",)
    list_filter = ("review_status",)
    readonly_fields = ("version", *REVIEW_FIELDS)


@admin.register(FundDonation)
class FundDonationAdmin(FundEntryAdmin):
    list_display = ("date", "fund", "donor", "donor_kind", "amount", "review_status")
    list_filter = ("donor_kind", "review_status")
    search_fields = ("donor", "source_document")


@admin.register(FundGrant)
class FundGrantAdmin(FundEntryAdmin):
    list_display = ("date", "fund", "kind", "recipient_kind", "recipients", "amount", "review_status")
    list_filter = ("kind", "recipient_kind", "review_status")
    search_fields = ("note",)
