from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.consumption.models import Purchase


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
