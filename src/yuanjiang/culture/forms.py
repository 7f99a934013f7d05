from django import forms

from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.culture.models import CultureEvent


class CultureEventForm(ProgramRecordMixin, ScopedModelForm):
    class Meta:
        model = CultureEvent
        fields = [
            "program",
            "name",
            "kind",
            "date",
            "end_date",
            "township",
            "place",
            "participants",
            "partners",
            "description",
        ]
        widgets = {"date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
