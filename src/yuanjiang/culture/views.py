from yuanjiang.common import views as generic
from yuanjiang.culture import filters, forms
from yuanjiang.culture.models import CultureEvent


class CultureEventListView(generic.ObjectListView):
    model = CultureEvent
    template_name = "culture/list.html"
    filterset_class = filters.CultureEventFilterSet
    create_url_name = "culture:cultureevent_create"


class CultureEventDetailView(generic.ObjectDetailView):
    model = CultureEvent
    select_related = ("program", "township")
    detail_columns = (
        "name",
        "program",
        "kind",
        "date",
        "end_date",
        "township",
        "place",
        "participants",
        "partners",
        "description",
    )


class CultureEventCreateView(generic.ObjectCreateView):
    model = CultureEvent
    form_class = forms.CultureEventForm
    success_message = "活动已登记。"


class CultureEventEditView(generic.ObjectEditView):
    model = CultureEvent
    form_class = forms.CultureEventForm
    select_related = ("program",)
    success_message = "活动已保存。"


class CultureEventDeleteView(generic.ObjectDeleteView):
    model = CultureEvent
    select_related = ("program",)
    parent_field = "program"
