from django import forms

from yuanjiang.common.forms import ProgramRecordMixin, ScopedModelForm
from yuanjiang.consumption.models import Purchase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PurchaseForm(ProgramRecordMixin, ScopedModelForm):
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
