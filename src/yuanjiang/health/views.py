from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.health import filters, forms
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships
from yuanjiang.metrics.registry import evaluate, get, review_filtered
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.views import period_from_request
from yuanjiang.review.choices import COUNTS, COUNTS_APPROVED, ReviewStatus


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


COVERAGE_CODES = [
    "health.free_clinics",
    "health.free_clinic_beneficiaries",
    "health.free_clinic_townships",
    "health.county_townships",
    "health.free_clinic_township_coverage_rate",
]


class TownshipCoverageView(LoginRequiredMixin, TemplateView):
    """义诊乡镇覆盖: for a program and a period, every reference township of the program's county, with
    whether it had a free clinic, its activities and beneficiaries, each opening its activities.

    A fixed number of queries whatever the number of townships or activities: the programs for the
    picker, the townships, one grouped aggregate over the activities, and the metrics."""

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
        townships = list(county_townships([program.recipient_region_id], on=period.end))
        free = Q(kind=ActivityKind.FREE_CLINIC)
        # The grid counts what the coverage figures count: 已审核 activities by default, every one
        # with ?review=all (the review switch, docs/metrics.md "Review").
        review = self.request.GET.get("review")
        review = review if review in COUNTS else None
        counts = review or get("health.free_clinic_townships").counts
        rows = (
            review_filtered(
                MedicalActivity.objects.filter(
                    program=program,
                    date__gte=period.start,
                    date__lte=period.end,
                    township__in=[t.pk for t in townships],
                ),
                counts,
            )
            .order_by()
            .values("township")
            .annotate(
                n_activities=Count("pk"),
                n_beneficiaries=Sum("beneficiaries"),
                n_free_clinics=Count("pk", filter=free),
                n_free_clinic_beneficiaries=Sum("beneficiaries", filter=free),
            )
        )
        by_township = {row["township"]: row for row in rows}
        list_url = reverse("health:medicalactivity_list")
        base = {
            "program": program.slug,
            "date_after": period.start.isoformat(),
            "date_before": period.end.isoformat(),
            **({"review_status": ReviewStatus.APPROVED} if counts == COUNTS_APPROVED else {}),
        }
        cells = []
        for township in townships:
            row = by_township.get(township.pk, {})
            free_clinics = row.get("n_free_clinics") or 0
            cells.append(
                {
                    "township": township,
                    "covered": free_clinics > 0,
                    "free_clinics": free_clinics,
                    "free_clinic_beneficiaries": row.get("n_free_clinic_beneficiaries") or 0,
                    "activities": row.get("n_activities") or 0,
                    "beneficiaries": row.get("n_beneficiaries") or 0,
                    "url": f"{list_url}?{urlencode({**base, 'township': township.pk})}",
                    "free_clinic_url": f"{list_url}?{urlencode({**base, 'township': township.pk, 'kind': ActivityKind.FREE_CLINIC})}",
                }
            )
        scope = Scope(program=program, visible=scoping.programs(user), review=review)
        figures = evaluate(COVERAGE_CODES, scope, period)
        ctx.update(
            program=program,
            programs=programs,
            period=period,
            presets=presets,
            period_note=(
                f"乡镇名录为{program.recipient_region}行政区划参考名录中的镇、乡（不含团场），按统计期末有效的区划计。"
                "点击乡镇查看其在统计期内的全部医疗援疆活动。"
            ),
            scope=scope,
            cells=cells,
            covered=sum(c["covered"] for c in cells),
            figures=[figures[code] for code in COVERAGE_CODES],
            free_clinic_list_url=f"{list_url}?{urlencode({**base, 'kind': ActivityKind.FREE_CLINIC})}",
        )
        return ctx
