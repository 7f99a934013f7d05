from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.views.generic import DetailView

from yuanjiang.common import views as generic
from yuanjiang.talent import filters, forms
from yuanjiang.talent.choices import WorkerKind
from yuanjiang.talent.models import Agreement, AidWorker, TalentVisit, TrainingCourse


class TalentListView(generic.ObjectListView):
    """A talent list: the generic list with the app's tabs and a create button."""

    template_name = "talent/object_list.html"
    link_first_column = True
    tab = ""
    # (field, label, unit) summed over the filtered records, in one aggregate query.
    totals: tuple[tuple[str, str, str], ...] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = self.tab
        if self.totals:
            sums = self.object_list.order_by().aggregate(**{f: Sum(f) for f, _label, _unit in self.totals})
            ctx["totals"] = [(label, sums[f] or 0, unit) for f, label, unit in self.totals]
        return ctx


class AidWorkerListView(TalentListView):
    """花名册: the aid workers in scope, with counts by kind and by host unit (two grouped queries)."""

    model = AidWorker
    filterset_class = filters.AidWorkerFilterSet
    template_name = "talent/aidworker_list.html"
    create_url_name = "talent:aidworker_create"
    paginate_by = 100
    tab = "workers"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filtered = self.object_list.order_by()
        labels = dict(WorkerKind.choices)
        ctx["by_kind"] = [
            (labels.get(row["kind"], row["kind"]), row["n"])
            for row in filtered.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
        ]
        ctx["by_host_unit"] = list(
            filtered.values_list("host_unit").annotate(n=Count("pk")).order_by("-n", "host_unit")
        )
        return ctx


class TalentVisitListView(TalentListView):
    model = TalentVisit
    filterset_class = filters.TalentVisitFilterSet
    create_url_name = "talent:talentvisit_create"
    tab = "visits"
    totals = (("people", "人数", "人"), ("person_times", "人次", "人次"))


class AgreementListView(TalentListView):
    model = Agreement
    filterset_class = filters.AgreementFilterSet
    create_url_name = "talent:agreement_create"
    tab = "agreements"


class TrainingCourseListView(TalentListView):
    model = TrainingCourse
    filterset_class = filters.TrainingCourseFilterSet
    create_url_name = "talent:trainingcourse_create"
    tab = "trainings"
    totals = (("participants", "培训人次", "人次"), ("aid_funds", "使用援疆资金", "元"))


class TalentDetailView(generic.ObjectDetailView):
    """Every field of the record (`detail_columns`), then its history; the list by the record's program."""

    list_by_program = True


class AidWorkerDetailView(TalentDetailView):
    model = AidWorker
    select_related = ("program",)
    detail_columns = (
        "program",
        "kind",
        "sector",
        "group_role",
        "home_unit",
        "host_unit",
        "post",
        "term_kind",
        "term_start",
        "term_end",
        "note",
    )


class TalentVisitDetailView(TalentDetailView):
    model = TalentVisit
    select_related = ("program", "field", "institution")
    detail_columns = (
        "program",
        "field",
        "experts",
        "institution",
        "host_unit",
        "start",
        "end",
        "people",
        "person_times",
        "work",
        "note",
    )


class AgreementDetailView(TalentDetailView):
    model = Agreement
    template_name = "talent/agreement_detail.html"
    select_related = ("program", "institution", "enterprise")
    detail_columns = (
        "program",
        "kind",
        "signed_on",
        "institution",
        "enterprise",
        "government_party",
        "counterpart_team",
        "subject",
        "note",
    )


class TrainingCourseDetailView(TalentDetailView):
    model = TrainingCourse
    select_related = ("program", "project")
    detail_columns = (
        "program",
        "audience",
        "mode",
        "place",
        "organizer",
        "start",
        "end",
        "participants",
        "aid_funds",
        "project",
        "note",
    )


class AgreementDocumentView(generic.ScopedMixin, DetailView):
    """Streams an agreement's signed PDF to those who may see its program: uploads are never public URLs."""

    model = Agreement

    def render_to_response(self, context, **kwargs):
        document = self.object.document
        if not document:
            raise Http404("该协议没有上传协议文本。")
        try:
            handle = document.open("rb")
        except FileNotFoundError:
            raise Http404("协议文本文件不存在。") from None
        response = FileResponse(
            handle, content_type="application/pdf", filename=f"{self.object.title}.pdf", as_attachment=False
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AidWorkerCreateView(generic.ObjectCreateView):
    model = AidWorker
    form_class = forms.AidWorkerForm
    success_message = "援疆干部人才已登记。"


class AidWorkerEditView(generic.ObjectEditView):
    model = AidWorker
    form_class = forms.AidWorkerForm
    select_related = ("program",)
    success_message = "援疆干部人才信息已保存。"


class AidWorkerDeleteView(generic.ObjectDeleteView):
    model = AidWorker


class TalentVisitCreateView(generic.ObjectCreateView):
    model = TalentVisit
    form_class = forms.TalentVisitForm
    success_message = "引进人才记录已保存。"


class TalentVisitEditView(generic.ObjectEditView):
    model = TalentVisit
    form_class = forms.TalentVisitForm
    select_related = ("program",)
    success_message = "引进人才记录已保存。"


class TalentVisitDeleteView(generic.ObjectDeleteView):
    model = TalentVisit


class AgreementCreateView(generic.ObjectCreateView):
    model = Agreement
    form_class = forms.AgreementForm
    success_message = "协议已登记。"


class AgreementEditView(generic.ObjectEditView):
    model = Agreement
    form_class = forms.AgreementForm
    select_related = ("program",)
    success_message = "协议已保存。"


class AgreementDeleteView(generic.ObjectDeleteView):
    model = Agreement


class TrainingCourseCreateView(generic.ObjectCreateView):
    model = TrainingCourse
    form_class = forms.TrainingCourseForm
    success_message = "培训班已登记。"


class TrainingCourseEditView(generic.ObjectEditView):
    model = TrainingCourse
    form_class = forms.TrainingCourseForm
    select_related = ("program", "project")
    success_message = "培训班已保存。"


class TrainingCourseDeleteView(generic.ObjectDeleteView):
    model = TrainingCourse
