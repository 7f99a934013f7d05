from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.common.forms import ScopedModelForm
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass
from yuanjiang.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramChoiceMixin:
    """The program is chosen on creation (preset when the user has only one) and fixed afterwards."""

    def _fix_program(self):
        if self.instance.pk:
            self.fields["program"].disabled = True
        elif self.fields["program"].queryset.count() == 1:
            self.fields["program"].initial = self.fields["program"].queryset.first()


class SchoolForm(ProgramChoiceMixin, ScopedModelForm):
    class Meta:
        model = School
        fields = ["program", "name", "township", "stage", "aid_projects", "note"]
        widgets = {"aid_projects": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        editable = scoping.programs(user, scoping.CHANGE)
        self.fields["township"].queryset = Region.objects.filter(parent__programs__in=editable).distinct()
        self.fields["township"].error_messages["invalid_choice"] = (
            "所选乡镇不存在，或不属于本项目组的受援县。"
        )
        self.fields["aid_projects"].queryset = self.fields["aid_projects"].queryset.select_related("program")
        self.fields["aid_projects"].error_messages["invalid_choice"] = (
            "所选援疆项目不存在或不在您的权限范围内。"
        )
        self._fix_program()

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


class FundForm(ProgramChoiceMixin, ScopedModelForm):
    class Meta:
        model = Fund
        fields = ["program", "name", "founded_on", "manager", "purpose", "note"]
        widgets = {"founded_on": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._fix_program()


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
