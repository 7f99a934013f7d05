from django.urls import reverse

from yuanjiang.common import views as generic
from yuanjiang.common.record_views import RecordDetailView
from yuanjiang.consumption import filters, forms
from yuanjiang.consumption.models import Purchase


class PurchaseListView(generic.ObjectListView):
    model = Purchase
    template_name = "consumption/list.html"
    filterset_class = filters.PurchaseFilterSet
    create_url_name = "consumption:purchase_create"


class PurchaseDetailView(RecordDetailView):
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
    edit_url_name = "consumption:purchase_edit"
    delete_url_name = "consumption:purchase_delete"
    list_url_name = "consumption:purchase_list"


class PurchaseCreateView(generic.ObjectCreateView):
    model = Purchase
    form_class = forms.PurchaseForm
    success_message = "采购已登记。"

    def get_cancel_url(self):
        return reverse("consumption:purchase_list")


class PurchaseEditView(generic.ObjectEditView):
    model = Purchase
    form_class = forms.PurchaseForm
    select_related = ("program",)
    success_message = "采购已保存。"


class PurchaseDeleteView(generic.ObjectDeleteView):
    model = Purchase
    select_related = ("program",)
    parent_field = "program"
