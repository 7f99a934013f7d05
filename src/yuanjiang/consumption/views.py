from yuanjiang.common import views as generic
from yuanjiang.consumption import filters, forms
from yuanjiang.consumption.models import Purchase


class PurchaseListView(generic.ObjectListView):
    model = Purchase
    template_name = "consumption/list.html"
    filterset_class = filters.PurchaseFilterSet
    create_url_name = "consumption:purchase_create"


class PurchaseDetailView(generic.ObjectDetailView):
    model = Purchase
    select_related = ("program", "township")
    detail_columns = (
        "buyer",
        "buyer_kind",
        "program",
        "category",
        "products",
        "supplier",
        "township",
        "amount",
        "date",
        "channel",
        "source",
        "note",
    )


class PurchaseCreateView(generic.ObjectCreateView):
    model = Purchase
    form_class = forms.PurchaseForm
    success_message = "采购已登记。"


class PurchaseEditView(generic.ObjectEditView):
    model = Purchase
    form_class = forms.PurchaseForm
    select_related = ("program",)
    success_message = "采购已保存。"


class PurchaseDeleteView(generic.ObjectDeleteView):
    model = Purchase
    select_related = ("program",)
    parent_field = "program"
