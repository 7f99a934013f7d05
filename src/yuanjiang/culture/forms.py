from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.common.forms import ScopedModelForm
from yuanjiang.culture.models import CultureEvent
from yuanjiang.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CultureEventForm(ScopedModelForm):
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
        editable = scoping.programs(user, scoping.CHANGE)
        self.fields["township"].queryset = Region.objects.filter(parent__programs__in=editable).distinct()
        self.fields["township"].error_messages["invalid_choice"] = (
            "所选乡镇不存在，或不属于本项目组的受援县。"
        )
        if self.instance.pk:
            self.fields["program"].disabled = True
        elif self.fields["program"].queryset.count() == 1:
            self.fields["program"].initial = self.fields["program"].queryset.first()
