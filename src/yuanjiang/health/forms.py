from django import forms

from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.health.models import MedicalActivity
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution


class MedicalActivityForm(ProgramRecordMixin, ScopedModelForm):
    fieldsets = (
        ("基本信息", ("program", "kind", "title", "date", "occasion")),
        ("地点与医院", ("township", "place", "host_hospital", "partner_hospital", "department")),
        ("人员与成效", ("doctors", "beneficiaries", "cases", "technique")),
        ("内容", ("description", "note")),
    )

    class Meta:
        model = MedicalActivity
        fields = [
            "program",
            "kind",
            "title",
            "date",
            "occasion",
            "township",
            "place",
            "host_hospital",
            "partner_hospital",
            "department",
            "doctors",
            "beneficiaries",
            "cases",
            "technique",
            "description",
            "note",
        ]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        hospitals = Institution.objects.filter(kind=InstitutionKind.HOSPITAL)
        for name in ("host_hospital", "partner_hospital"):
            self.fields[name].queryset = hospitals
            self.fields[name].error_messages["invalid_choice"] = (
                "所选医院不存在，或不是机构类型为“医院”的机构。"
            )
        for name in ("beneficiaries", "cases"):
            # The model's validators carry the Chinese messages; no browser-side minimum of its own.
            self.fields[name].widget.attrs.setdefault("min", 0)
