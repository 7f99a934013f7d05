from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.health import filters, forms
from yuanjiang.health.coverage import township_coverage
from yuanjiang.health.models import MedicalActivity
from yuanjiang.org import periods
from yuanjiang.org.views import period_from_request


class MedicalActivityListView(generic.ObjectListView):
    model = MedicalActivity
    filterset_class = filters.MedicalActivityFilterSet
    template_name = "health/medicalactivity_list.html"
    create_url_name = "health:medicalactivity_create"


class MedicalActivityDetailView(generic.ObjectDetailView):
    model = MedicalActivity
    select_related = (
        "program",
        "program__provider",
        "program__recipient_region",
        *MedicalActivity.table_select_related,
    )
    list_by_program = True


class MedicalActivityCreateView(generic.ObjectCreateView):
    model = MedicalActivity
    form_class = forms.MedicalActivityForm
    success_message = "医疗援疆活动已保存。"


class MedicalActivityEditView(generic.ObjectEditView):
    model = MedicalActivity
    form_class = forms.MedicalActivityForm
    select_related = ("program",)
    success_message = "医疗援疆活动已保存。"


class MedicalActivityDeleteView(generic.ObjectDeleteView):
    model = MedicalActivity
    select_related = ("program",)


class TownshipCoverageView(LoginRequiredMixin, TemplateView):
    """义诊乡镇覆盖: for a program and a period, every reference township of the program's county, with
    whether it had a free clinic, its activities and beneficiaries, each opening its activities.

    The view picks the program and the period; the grid and its figures come from
    `coverage.township_coverage` (the programs for the picker plus a fixed number of queries)."""

    template_name = "health/township_coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        visible = scoping.programs(user).select_related("provider", "recipient_region")
        programs = list(visible)
        if not programs:
            raise Http404("您没有可查看的援疆项目组。")
        slug = self.request.GET.get("program")
        if slug:
            program = next((p for p in programs if p.slug == slug), None)
            if program is None:
                raise Http404("没有该援疆项目组，或不在您的权限范围内。")
        else:
            program = programs[0]
        presets = periods.presets(program)
        period = period_from_request(
            self.request, periods.since_term_start(program), program=program, offered=presets
        )
        coverage = township_coverage(program, period, scoping.programs(user), self.request.GET.get("review"))
        ctx.update(
            program=program,
            programs=programs,
            period=period,
            presets=presets,
            period_note=(
                f"乡镇名录为{program.recipient_region}行政区划参考名录中的镇、乡（不含团场），按统计期末有效的区划计。"
                "点击乡镇查看其在统计期内的全部医疗援疆活动。"
            ),
            scope=coverage.scope,
            cells=coverage.cells,
            covered=coverage.covered,
            figures=coverage.figures,
            free_clinic_list_url=coverage.free_clinic_list_url,
        )
        return ctx
