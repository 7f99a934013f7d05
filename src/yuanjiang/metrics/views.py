from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.views import period_from_request
from yuanjiang.review.choices import COUNTS
from yuanjiang.review.models import Reviewable
from yuanjiang.review.views import review_from_request


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
            scope = Scope(program=program, visible=visible, review=review_from_request(self.request))
            default = periods.since_term_start(program)
        else:
            org = get_object_or_404(scoping.organizations(user), slug=self.request.GET.get("org", ""))
            scope = Scope(organization=org, visible=visible, review=review_from_request(self.request))
            default = None
        period = period_from_request(self.request, default)
        is_rate = isinstance(metric, registry.RateMetric)
        dependencies = list(metric.dependencies()) if is_rate else []
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
            dependencies={code: figures[code] for code in dependencies},
            reviewable=issubclass(model, Reviewable),
            counts_label=COUNTS[scope.review or metric.counts],
            counts_default_label=metric.counts_label,
        )
        return ctx
