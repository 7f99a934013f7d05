from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.common.pagination import ScopePaginator, served_ordering
from yuanjiang.common.templatetags.yj import column_class, column_label
from yuanjiang.metrics import filters, forms, registry
from yuanjiang.metrics.models import ManualValue
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.views import organization_default, parse_period, period_from_request
from yuanjiang.review.choices import COUNTS
from yuanjiang.review.models import Reviewable
from yuanjiang.review.views import review_from_request


def scope_from_request(request) -> tuple[Scope, periods.Period, list[periods.Period], dict]:
    """The scope of `?program=` or `?org=` (what the user may see; 404 otherwise), its default period
    (进疆以来), the presets offered, and the parser's context (program / since)."""
    user = request.user
    visible = scoping.programs(user)
    restriction = scoping.restriction(user)  # None for a global admin: no restriction to apply
    if "program" in request.GET:
        program = get_object_or_404(visible.select_related("provider"), slug=request.GET["program"])
        scope = Scope(program=program, visible=restriction, review=review_from_request(request))
        offered = periods.presets(program)
        return scope, offered[0], offered, {"program": program}
    org = get_object_or_404(scoping.organizations(user), slug=request.GET.get("org", ""))
    scope = Scope(organization=org, visible=restriction, review=review_from_request(request))
    since = organization_default(scope)
    return scope, since, periods.organization_presets(since), {"since": since}


class MetricRecordsView(LoginRequiredMixin, TemplateView):
    """Provenance: the records a figure was computed from, for the same scope and period, with its
    口径 (period rule and definition); for a rate, which rows count in the numerator."""

    template_name = "metrics/metric_records.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            metric = registry.get(self.kwargs["code"])
        except KeyError as exc:
            raise Http404(exc.args[0]) from None
        scope, default, offered, parser = scope_from_request(self.request)
        period = period_from_request(self.request, default, offered=offered, **parser)
        is_rate = isinstance(metric, registry.RateMetric)
        is_difference = isinstance(metric, registry.DifferenceMetric)
        dependencies = list(metric.dependencies()) if is_rate or is_difference else []
        figures = registry.evaluate([metric.code, *dependencies], scope, period)
        records = metric.records(scope, period)
        model = records.model
        marks_numerator = False
        if is_rate:
            numerator = metric.numerator_records(scope, period)
            if numerator.model is model:
                marks_numerator = True
                records = records.annotate(in_numerator=_in_numerator(metric, numerator, scope, period))
        records = records.select_related(*model.table_select_related)
        if not records.query.order_by:  # a metric may order its records (a distinct count: by value)
            records = records.order_by(*served_ordering(model))  # an index serves it (common.pagination)
        page = ScopePaginator(
            records,
            self.paginate_by,
            requested=self.request.GET.get("page"),
            known_count=_records_count(metric, figures),
        ).get_page(self.request.GET.get("page"))
        ctx.update(
            metric=metric,
            figure=figures[metric.code],
            scope=scope,
            period=period,
            presets=offered,
            records=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            columns=model.table_columns,
            # Each column's name, class and header, worked out once: a model class in the context is
            # called (instantiated) by the template each time a tag names it, 600 times a page.
            column_heads=[(c, column_class(model, c), column_label(model, c)) for c in model.table_columns],
            record_model=model,
            is_rate=is_rate,
            marks_numerator=marks_numerator,
            numerator=figures[metric.numerator] if is_rate else None,
            denominator=figures[metric.denominator] if is_rate else None,
            overview_url=(scope.program or scope.organization).get_absolute_url(),
            is_difference=is_difference,
            dependencies={code: figures[code] for code in dependencies},
            reviewable=issubclass(model, Reviewable),
            counts_label=COUNTS[scope.review or metric.counts],
            counts_default_label=metric.counts_label,
        )
        return ctx


def _in_numerator(metric, numerator, scope, period):
    """Whether a record of a rate's denominator counts in its numerator too. When both count the same
    records, each narrowed by its `where`, a denominator's record is in the numerator exactly when the
    numerator's `where` holds for it: a condition on the row, not a lookup in the numerator's ids
    (which hashes every id of the scope's numerator, 25 000 for the whole country)."""
    num, den = registry.get(metric.numerator), registry.get(metric.denominator)
    if (
        isinstance(num, registry.AggregateMetric)
        and isinstance(den, registry.AggregateMetric)
        and num.records_fn == den.records_fn
    ):
        condition = num.condition(scope, period)
        if condition is None:
            return Value(True, output_field=BooleanField())
    else:
        condition = Q(pk__in=numerator.values("pk"))
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _records_count(metric, figures) -> int | None:
    """The number of records listed when a figure already counted them: a count is the number of its
    records, and a rate lists its denominator's records. None otherwise (the paginator counts)."""
    counted = registry.get(metric.denominator) if isinstance(metric, registry.RateMetric) else metric
    if type(counted) is not registry.CountMetric:  # not a distinct count, nor a subclass counting else
        return None
    value = figures.get(counted.code)
    return int(value.value) if value is not None and value.value is not None else None


class FiguresJsonView(LoginRequiredMixin, View):
    """The figures of a scope and period as JSON, like `./yj metrics --format json`: a rate of an
    empty denominator is null (with a note); a bad period is a 400 with the Chinese message."""

    def get(self, request):
        scope, default, _offered, parser = scope_from_request(request)
        try:
            period = parse_period(request, default, **parser)
        except periods.PeriodError as exc:
            return JsonResponse({"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
        codes = request.GET.getlist("metric") or None
        try:
            figures = registry.evaluate(codes, scope, period)
        except KeyError as exc:
            return JsonResponse({"error": exc.args[0]}, status=400, json_dumps_params={"ensure_ascii": False})
        payload = {
            "program" if scope.program else "organization": scope.slug,
            "period": {**period.as_dict(), "label": str(period)},
            "metrics": {code: figure.as_dict() for code, figure in figures.items()},
        }
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


class ManualValueListView(generic.ObjectListView):
    model = ManualValue
    template_name = "metrics/manualvalue_list.html"
    filterset_class = filters.ManualValueFilterSet
    create_url_name = "metrics:manualvalue_create"


class ManualValueDetailView(generic.ObjectDetailView):
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


class ManualValueCreateView(generic.ObjectCreateView):
    model = ManualValue
    form_class = forms.ManualValueForm
    success_message = "报送数已录入。"

    def form_valid(self, form):
        form.instance.entered_by = self.request.user
        return super().form_valid(form)


class ManualValueEditView(generic.ObjectEditView):
    model = ManualValue
    form_class = forms.ManualValueForm
    select_related = ("program",)
    success_message = "报送数已保存。"


class ManualValueDeleteView(generic.ObjectDeleteView):
    model = ManualValue
    select_related = ("program",)
    parent_field = "program"
