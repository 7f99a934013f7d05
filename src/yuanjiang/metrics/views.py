from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.common.record_views import RecordDetailView
from yuanjiang.metrics import filters, forms, registry
from yuanjiang.metrics.models import ManualValue
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.views import period_from_request


class MetricRecordsView(LoginRequiredMixin, TemplateView):
    """Provenance: the records a figure was computed from, for the same scope and period."""

    template_name = "metrics/metric_records.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            metric = registry.get(self.kwargs["code"])
        except KeyError as exc:
            raise Http404(exc.args[0]) from None
        visible = scoping.programs(user)
        if "program" in self.request.GET:
            program = get_object_or_404(visible.select_related("provider"), slug=self.request.GET["program"])
            scope = Scope(program=program, visible=visible)
            default = periods.since_term_start(program)
        else:
            org = get_object_or_404(scoping.organizations(user), slug=self.request.GET.get("org", ""))
            scope = Scope(organization=org, visible=visible)
            default = None
        period = period_from_request(self.request, default)
        is_rate = isinstance(metric, registry.RateMetric)
        is_difference = isinstance(metric, registry.DifferenceMetric)
        dependencies = list(metric.dependencies()) if is_rate or is_difference else []
        figures = registry.evaluate([metric.code, *dependencies], scope, period)
        records = metric.records(scope, period)
        model = records.model
        records = records.select_related(*model.table_select_related).order_by(*model._meta.ordering)
        page = Paginator(records, self.paginate_by).get_page(self.request.GET.get("page"))
        ctx.update(
            metric=metric,
            figure=figures[metric.code],
            scope=scope,
            period=period,
            records=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            columns=model.table_columns,
            record_model=model,
            is_rate=is_rate,
            is_difference=is_difference,
            dependencies={code: figures[code] for code in dependencies},
        )
        return ctx


class ManualValueListView(generic.ObjectListView):
    model = ManualValue
    template_name = "metrics/manualvalue_list.html"
    filterset_class = filters.ManualValueFilterSet
    create_url_name = "metrics:manualvalue_create"


class ManualValueDetailView(RecordDetailView):
    model = ManualValue
    select_related = ("program", "entered_by")
    detail_columns = (
        "metric_label",
        "program",
        "period_start",
        "period_end",
        "value_display",
        "source",
        "reporter",
        "source_date",
        "entered_by",
        "note",
    )
    edit_url_name = "metrics:manualvalue_edit"
    delete_url_name = "metrics:manualvalue_delete"
    list_url_name = "metrics:manualvalue_list"


class ManualValueCreateView(generic.ObjectCreateView):
    model = ManualValue
    form_class = forms.ManualValueForm
    success_message = "报送数已录入。"

    def form_valid(self, form):
        form.instance.entered_by = self.request.user
        return super().form_valid(form)

    def get_cancel_url(self):
        from django.urls import reverse

        return reverse("metrics:manualvalue_list")


class ManualValueEditView(generic.ObjectEditView):
    model = ManualValue
    form_class = forms.ManualValueForm
    select_related = ("program",)
    success_message = "报送数已保存。"


class ManualValueDeleteView(generic.ObjectDeleteView):
    model = ManualValue
    select_related = ("program",)
    parent_field = "program"
