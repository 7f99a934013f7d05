from django import forms

from yuanjiang.common.forms import (
    DATE,
    IMAGE_FORMATS,
    MultipleFileInput,
    MultipleImageField,
    ProgramRecordMixin,
    ScopedModelForm,
)
from yuanjiang.projects.models import (
    MILESTONES,
    AidProject,
    FundTransaction,
    ProgressPhoto,
    ProgressReport,
    ProjectOutput,
    validate_photo_size,
)

# planned_start, actual_start, planned_completion, … in milestone order
MILESTONE_FIELDS = [field for _label, planned, actual in MILESTONES for field in (planned, actual)]


class AidProjectForm(ProgramRecordMixin, ScopedModelForm):
    fieldsets = (
        ("基本信息", ("program", "code", "name", "category", "nature", "delivery_mode", "plan_year")),
        (
            "地点与责任单位",
            (
                "township",
                "location_detail",
                "implementing_unit",
                "supervising_unit",
                "aid_side_contact",
                "local_contact",
            ),
        ),
        ("资金", ("total_investment", "aid_funds", "other_funds")),
        ("建设内容与预期效益", ("content", "expected_beneficiaries", "expected_jobs")),
        ("里程碑（计划与实际日期）", tuple(MILESTONE_FIELDS)),
    )

    class Meta:
        model = AidProject
        fields = [
            "program",
            "code",
            "name",
            "category",
            "nature",
            "delivery_mode",
            "plan_year",
            "township",
            "location_detail",
            "implementing_unit",
            "supervising_unit",
            "aid_side_contact",
            "local_contact",
            "total_investment",
            "aid_funds",
            "other_funds",
            "content",
            "expected_beneficiaries",
            "expected_jobs",
            *MILESTONE_FIELDS,
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            **dict.fromkeys(MILESTONE_FIELDS, DATE),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)


class FundTransactionForm(ScopedModelForm):
    class Meta:
        model = FundTransaction
        fields = ["kind", "date", "amount", "source_document", "note"]
        widgets = {"date": DATE}


class ProgressReportForm(ScopedModelForm):
    photos = MultipleImageField(
        label="现场照片",
        required=False,
        validators=[validate_photo_size],
        help_text="JPEG、PNG、GIF或WebP格式；一次最多20张，每张不超过10MB、4000万像素。已有照片在项目页面查看和删除。",
    )
    # On a phone: opens the back camera directly (capture), the photo taken is uploaded with the report.
    camera = MultipleImageField(
        label="现场拍照",
        required=False,
        validators=[validate_photo_size],
        widget=MultipleFileInput(
            attrs={"accept": ",".join(IMAGE_FORMATS.values()), "capture": "environment"}
        ),
        help_text="在手机上点此直接打开相机拍摄现场照片（电脑上同“现场照片”）。",
    )

    class Meta:
        model = ProgressReport
        fields = [
            "report_date",
            "investment_completed",
            "progress_percent",
            "image_progress",
            "problems",
            "next_steps",
        ]
        widgets = {
            "report_date": DATE,
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def save_related(self, instance):
        for image in [*(self.cleaned_data.get("photos") or []), *(self.cleaned_data.get("camera") or [])]:
            photo = ProgressPhoto(report=instance, image=image)
            photo.full_clean()
            photo.save()


class ProjectOutputForm(ScopedModelForm):
    class Meta:
        model = ProjectOutput
        fields = ["name", "quantity", "unit"]
