"""Figures over the API: every declared metric of a scope and period (value, unit, honest display,
period rule, definition, the URL of its records), the records behind a figure, the report card JSON,
the claims check, and the open data of every figure (CSV / JSON: the report card's 全部数字 sheet
with each figure's definition and period rule). Scope and period are read exactly as the web pages
read them (metrics.views.scope_from_request, reports.views.resolve)."""

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from yuanjiang.accounts import scoping
from yuanjiang.api import registry as api_registry
from yuanjiang.api.serializers import serializer_for
from yuanjiang.api.views import ApiMixin
from yuanjiang.common import formatting
from yuanjiang.common.pagination import ScopePaginator, served_ordering
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.metrics.views import scope_from_request
from yuanjiang.org import periods
from yuanjiang.org.views import parse_period

PROGRAM = OpenApiParameter("program", str, description="援疆项目组代码（slug）· program slug; or org")
ORG = OpenApiParameter("org", str, description="组织代码（slug）· organization slug; or program")
PERIOD = OpenApiParameter(
    "period", str, description="统计期，如 2024、2024Q1、2024-01-01~2024-06-30；默认进疆以来 · period token"
)
METRIC = OpenApiParameter(
    "metric", str, many=True, description="只要这些指标（可重复）· only these metric codes"
)


def _number(value: Decimal | None):
    """A JSON number, exact: integers as ints, else a decimal string (money is never a float)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else str(value)


def _scope_period(request):
    scope, default, _offered, parser = scope_from_request(request)
    try:
        period = parse_period(request, default, **parser)
    except periods.PeriodError as exc:
        raise serializers.ValidationError({"period": [str(exc)]}) from exc
    return scope, period


def _records_url(request, code: str, scope: Scope, period) -> str:
    query = urlencode({**scope.query_param, "period": period.token})
    return request.build_absolute_uri(f"/api/v1/metrics/{code}/records/?{query}")


def figure_row(request, figure, scope, period) -> dict:
    metric = figure.metric
    row = {
        "code": metric.code,
        "label": metric.label,
        "value": _number(figure.value),
        "unit": metric.unit,
        "display": formatting.honest(figure.value, metric.unit) if figure.value is not None else "—",
        "exact": formatting.exact(figure.value, metric.unit) if figure.value is not None else "—",
        "period_rule": metric.period_rule_label,
        "definition": metric.description,
        "counts": metric.counts_label,
        "records_url": _records_url(request, metric.code, scope, period),
    }
    if figure.value is None:
        row["note"] = figure.note
    return row


class MetricsView(ApiMixin, APIView):
    @extend_schema(
        tags=["figures · 数字"],
        summary="全部指标 · every declared metric for a scope and period",
        parameters=[PROGRAM, ORG, PERIOD, METRIC],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        scope, period = _scope_period(request)
        codes = request.query_params.getlist("metric") or None
        try:
            figures = registry.evaluate(codes, scope, period)
        except KeyError as exc:
            raise serializers.ValidationError({"metric": [exc.args[0]]}) from exc
        return Response(
            {
                "program" if scope.program else "organization": scope.slug,
                "period": {**period.as_dict(), "label": str(period)},
                "metrics": [figure_row(request, f, scope, period) for f in figures.values()],
            }
        )


DATE = OpenApiParameter(
    "date", str, description="按此日期判断（YYYY-MM-DD），默认今天 · judge as of this date"
)
ACKNOWLEDGED = OpenApiParameter(
    "all", bool, description="含已确认的预警 · include acknowledged warnings (default: only open ones)"
)


class WarningsView(ApiMixin, APIView):
    """The early warnings (预警) of a program, or of the programs under an organization that the token's
    user may see: what `./yj warnings --format json` prints (warnings.services.evaluate)."""

    @extend_schema(
        tags=["figures · 数字"],
        summary="预警 · early warnings of a program or of the programs under an organization",
        parameters=[PROGRAM, ORG, DATE, ACKNOWLEDGED],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        from yuanjiang.warnings import services as warnings

        scope, *_ = scope_from_request(request)
        raw = request.query_params.get("date")
        try:
            on = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            raise serializers.ValidationError(
                {"date": [f"应为 YYYY-MM-DD 格式的日期，例如 2024-08-16，而不是“{raw}”。"]}
            ) from None
        programs = scope.programs().filter(pk__in=scoping.programs(request.user).values("pk"))
        found = warnings.evaluate(
            programs, on=on, include_acknowledged=request.query_params.get("all") in {"1", "true", "yes"}
        )
        return Response(
            {
                "program" if scope.program else "organization": scope.slug,
                "date": (on or timezone.localdate()).isoformat(),
                "warnings": [w.as_dict() for w in found],
            }
        )


class MetricRecordsView(ApiMixin, APIView):
    page_size = 100

    @extend_schema(
        tags=["figures · 数字"],
        summary="一个数字计入的记录 · the records behind a figure",
        parameters=[PROGRAM, ORG, PERIOD, OpenApiParameter("page", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, code):
        try:
            metric = registry.get(code)
        except KeyError as exc:
            raise Http404(exc.args[0]) from None
        scope, period = _scope_period(request)
        records = metric.records(scope, period)
        model = records.model
        if not records.query.order_by:
            records = records.order_by(*served_ordering(model))
        page = ScopePaginator(records, self.page_size, requested=request.query_params.get("page")).get_page(
            request.query_params.get("page")
        )
        endpoint = next((e for e in api_registry.endpoints() if e.model is model), None)
        if endpoint is not None:
            rows = serializer_for(model)(list(page.object_list), many=True, context={"request": request}).data
        else:
            rows = [{"id": obj.pk} for obj in page.object_list]
        return Response(
            {
                "metric": metric.code,
                "label": metric.label,
                "model": model._meta.label,
                "endpoint": f"/api/v1/{endpoint.prefix}/" if endpoint else None,
                "period": {**period.as_dict(), "label": str(period)},
                "page": page.number,
                "has_next": page.has_next(),
                "results": rows,
            }
        )


def _report(request, kind, slug):
    from yuanjiang.reports import services
    from yuanjiang.reports.views import load_definition, resolve

    scope, period, _presets = resolve(request, kind, slug)
    return services.report_build(load_definition(request, scope), scope, period)


KIND = OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=["program", "org"])


class ReportView(ApiMixin, APIView):
    @extend_schema(
        tags=["figures · 数字"],
        summary="成绩单 JSON · the report card",
        parameters=[KIND, PERIOD, OpenApiParameter("definition", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, kind, slug):
        return Response(_report(request, kind, slug).as_json())


OPEN_COLUMNS = [
    ("section", "节"),
    ("line", "句"),
    ("code", "指标代码"),
    ("label", "指标"),
    ("value", "数值"),
    ("unit", "单位"),
    ("display", "写法"),
    ("target", "目标值"),
    ("period_rule", "统计口径"),
    ("definition", "指标说明"),
    ("records_url", "记录链接"),
]


def open_rows(request, report) -> list[dict]:
    rows = []
    for section in report.sections:
        for index, line in enumerate(section.lines, start=1):
            for f in line.figures:
                rows.append(
                    {
                        "section": section.title,
                        "line": f"{index}. {line.text}",
                        "code": f.code,
                        "label": f.label,
                        "value": _number(f.value),
                        "unit": f.unit,
                        "display": f.display,
                        "target": _number(f.target),
                        "period_rule": f.metric.period_rule_label,
                        "definition": f.metric.description,
                        "records_url": _records_url(request, f.code, report.scope, report.period),
                    }
                )
    return rows


class OpenDataView(ApiMixin, APIView):
    @extend_schema(
        tags=["open data · 开放数据"],
        summary="全部数字（CSV 或 JSON）· every figure with its definition and period rule",
        parameters=[KIND, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["csv", "json"]), PERIOD],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, kind, slug, fmt):
        if fmt not in ("csv", "json"):
            raise Http404("开放数据只有 figures.csv 和 figures.json 两种格式。")
        report = _report(request, kind, slug)
        rows = open_rows(request, report)
        name = f"figures-{slug}-{report.period.token}"
        if fmt == "json":
            response = Response(
                {
                    "title": report.title,
                    "scope": report.scope.label,
                    "period": {**report.period.as_dict(), "label": str(report.period)},
                    "columns": dict(OPEN_COLUMNS),
                    "figures": rows,
                }
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([zh for _key, zh in OPEN_COLUMNS])
        writer.writerow([key for key, _zh in OPEN_COLUMNS])
        for row in rows:
            writer.writerow(["" if row[k] is None else row[k] for k, _zh in OPEN_COLUMNS])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class ClaimsCheckView(ApiMixin, APIView):
    @extend_schema(
        tags=["figures · 数字"],
        summary="核对文稿中的数字 · check a text's figures against the records (stores nothing)",
        request=inline_serializer(
            "ClaimsCheckRequest",
            {
                "text": serializers.CharField(max_length=100000, help_text="要核对的文字 · the text"),
                "program": serializers.CharField(required=False, help_text="援疆项目组代码 · program slug"),
                "org": serializers.CharField(required=False, help_text="组织代码 · organization slug"),
                "period": serializers.CharField(required=False, help_text="统计期 · period token"),
            },
        ),
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request):
        from yuanjiang.claims.periods import text_date as found_date
        from yuanjiang.claims.services import check_text

        data = request.data if isinstance(request.data, dict) else {}
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise serializers.ValidationError({"text": ["请填写要核对的文字。"]})
        if len(text) > 100000:
            raise serializers.ValidationError({"text": ["要核对的文字最多10万字。"]})
        query = request._request.GET.copy()
        for key in ("program", "org", "period"):
            if isinstance(data.get(key), str) and data[key]:
                query[key] = data[key]
        if "program" not in query and "org" not in query:
            raise serializers.ValidationError({"program": ["请给出援疆项目组（program）或组织（org）。"]})
        request._request.GET = query
        scope, period = _scope_period(request)
        if scope.program is None:
            scope = Scope(organization=scope.organization, visible=scoping.restriction(request.user))
        result = check_text(text, scope, period, found_date(text))
        return Response(
            {
                "period": {**period.as_dict(), "label": str(period)},
                "summary": result.summary,
                "warnings": result.warnings,
                "items": result.items,
            }
        )
