from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.common.forms import ScopedModelForm
from yuanjiang.consumption.models import Purchase
from yuanjiang.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PurchaseForm(ScopedModelForm):
    class Meta:
        model = Purchase
        fields = [
            "program",
            "buyer",
            "buyer_kind",
            "category",
            "products",
            "supplier",
            "township",
            "amount",
            "date",
            "channel",
            "source",
            "note",
        ]
        widgets = {"date": DATE}

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
