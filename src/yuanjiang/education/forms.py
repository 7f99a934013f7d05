from django import forms

from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass


class SchoolForm(ProgramRecordMixin, ScopedModelForm):
    class Meta:
        model = School
        fields = ["program", "name", "township", "stage", "aid_projects", "note"]
        widgets = {"aid_projects": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["aid_projects"].queryset = self.fields["aid_projects"].queryset.select_related("program")
        self.fields["aid_projects"].error_messages["invalid_choice"] = (
            "所选援疆项目不存在或不在您的权限范围内。"
        )

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        projects = cleaned.get("aid_projects") or []
        if program is not None:
            foreign = [p for p in projects if p.program_id != program.pk]
            if foreign:
                self.add_error(
                    "aid_projects",
                    "以下援疆项目不属于所选援疆项目组：" + "、".join(p.name for p in foreign) + "。",
                )
        return cleaned


class TeachingClassForm(ScopedModelForm):
    class Meta:
        model = TeachingClass
        fields = ["name", "cohort", "grade", "track", "aid_teachers", "established_on", "note"]
        widgets = {"established_on": DATE}


class ExamResultForm(ScopedModelForm):
    class Meta:
        model = ExamResult
        fields = [
            "exam_name",
            "exam_date",
            "subject",
            "full_score",
            "n",
            "mean",
            "sd",
            "pass_rate",
            "excellent_rate",
            "note",
        ]
        widgets = {"exam_date": DATE}


class FundForm(ProgramRecordMixin, ScopedModelForm):
    class Meta:
        model = Fund
        fields = ["program", "name", "founded_on", "manager", "purpose", "note"]
        widgets = {"founded_on": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)


class FundDonationForm(ScopedModelForm):
    class Meta:
        model = FundDonation
        fields = ["donor", "donor_kind", "date", "amount", "is_founding", "source_document", "note"]
        widgets = {"date": DATE}


class FundGrantForm(ScopedModelForm):
    class Meta:
        model = FundGrant
        fields = ["kind", "recipient_kind", "recipients", "amount", "date", "note"]
        widgets = {"date": DATE}
        help_texts = {"note": "不填写受助学生姓名等个人信息"}
