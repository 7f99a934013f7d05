from django.db.models import Prefetch
from django.http import FileResponse
from django.views.generic import DetailView
from PIL import Image

from yuanjiang.common import views as generic
from yuanjiang.common.forms import IMAGE_FORMATS
from yuanjiang.projects import filters, forms, selectors
from yuanjiang.projects.models import (
    AidProject,
    FundTransaction,
    ProgressPhoto,
    ProgressReport,
    ProjectOutput,
)


class AidProjectListView(generic.ObjectListView):
    model = AidProject
    filterset_class = filters.AidProjectFilterSet
    template_name = "projects/aidproject_list.html"
    create_url_name = "projects:aidproject_create"


class FundTransactionListView(generic.ObjectListView):
    model = FundTransaction
    filterset_class = filters.FundTransactionFilterSet


class ProgressReportListView(generic.ObjectListView):
    model = ProgressReport
    filterset_class = filters.ProgressReportFilterSet


class AidProjectDetailView(generic.ObjectDetailView):
    model = AidProject
    select_related = ("program", "program__provider", "township")
    template_name = "projects/aidproject_detail.html"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related(
                "outputs",
                Prefetch(
                    "progress_reports",
                    queryset=ProgressReport.objects.order_by("-report_date", "-id").prefetch_related(
                        "photos"
                    ),
                ),
                Prefetch("transactions", queryset=FundTransaction.objects.order_by("date", "id")),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        totals = selectors.fund_totals(self.object)
        ctx["totals"] = totals
        ctx["disbursement_rate"] = totals.disbursement_rate
        ctx["status"] = self.object.status
        return ctx


class AidProjectCreateView(generic.ObjectCreateView):
    model = AidProject
    form_class = forms.AidProjectForm
    success_message = "援疆项目已创建。"


class AidProjectEditView(generic.ObjectEditView):
    model = AidProject
    form_class = forms.AidProjectForm
    select_related = ("program",)
    success_message = "援疆项目已保存。"


class FundTransactionCreateView(generic.ChildCreateView):
    model = FundTransaction
    parent_model = AidProject
    form_class = forms.FundTransactionForm
    success_message = "资金记录已保存。"


class FundTransactionEditView(generic.ChildEditView):
    model = FundTransaction
    form_class = forms.FundTransactionForm
    select_related = ("project",)
    success_message = "资金记录已保存。"


class FundTransactionDeleteView(generic.ObjectDeleteView):
    model = FundTransaction
    select_related = ("project",)


class ProgressReportCreateView(generic.ChildCreateView):
    model = ProgressReport
    parent_model = AidProject
    form_class = forms.ProgressReportForm
    success_message = "进度填报已保存。"


class ProgressReportEditView(generic.ChildEditView):
    model = ProgressReport
    form_class = forms.ProgressReportForm
    select_related = ("project",)
    success_message = "进度填报已保存。"


class ProgressReportDeleteView(generic.ObjectDeleteView):
    model = ProgressReport
    select_related = ("project",)


class ProjectOutputCreateView(generic.ChildCreateView):
    model = ProjectOutput
    parent_model = AidProject
    form_class = forms.ProjectOutputForm
    success_message = "项目产出已保存。"


class ProjectOutputEditView(generic.ChildEditView):
    model = ProjectOutput
    form_class = forms.ProjectOutputForm
    select_related = ("project",)


class ProjectOutputDeleteView(generic.ObjectDeleteView):
    model = ProjectOutput
    select_related = ("project",)


class ProgressPhotoFileView(generic.ScopedMixin, DetailView):
    """Streams a photo to those who may see its project: uploads are never public URLs."""

    model = ProgressPhoto

    def render_to_response(self, context, **kwargs):
        """The content type is what Pillow finds in the file, never the file name's: a PNG named
        .pdf is served as image/png, and anything not a known image as a download."""
        photo = self.object
        handle = photo.image.open("rb")
        try:
            with Image.open(handle) as image:
                content_type = IMAGE_FORMATS.get(image.format)
        except (OSError, ValueError, Image.DecompressionBombError):
            content_type = None
        handle.seek(0)
        if content_type is None:
            response = FileResponse(handle, content_type="application/octet-stream", as_attachment=True)
        else:
            response = FileResponse(handle, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class ProgressPhotoDeleteView(generic.ObjectDeleteView):
    model = ProgressPhoto
    select_related = ("report__project",)
