import io
from collections import Counter
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import evaluate, evaluate_each, evaluate_with_programs
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import dashboard, periods
from yuanjiang.org.models import Program
from yuanjiang.reports.services import _targets as report_targets
from yuanjiang.review.views import review_from_request
from yuanjiang.warnings import services as warning_services


def overview_sections(
    scope: Scope, period: periods.Period, figures: dict | None = None
) -> list[tuple[registry.Section, list]]:
    """Every app's overview section with its figures, evaluated together (one query per group of
    metrics over the same records), unless the caller computed them (`figures`, by code)."""
    sections = registry.sections()
    if figures is None:
        figures = evaluate(registry.section_codes(), scope, period)
    return [(section, [figures[code] for code in section.codes]) for section in sections]


def home(request):
    """Land on the one program a user works in, or on the list of what they may see."""
    if not request.user.is_authenticated:
        return redirect("login")
    programs = list(scoping.programs(request.user).select_related("provider").order_by("provider__path")[:2])
    orgs = scoping.organizations(request.user).filter(kind__in=["province", "front_command"])
    if programs:
        # The top-most province or front command above the user's first program: with the national
        # reference data an administrator sees every province, most of them without a program yet.
        path = programs[0].provider.path
        above = [o for o in orgs.order_by("path") if path.startswith(o.path)]
        orgs = above or list(orgs.order_by("path")[:1])
    else:
        orgs = list(orgs.order_by("path")[:1])
    if len(programs) == 1 and not orgs:
        return redirect(programs[0].get_absolute_url())
    if orgs:
        return redirect(orgs[0].get_absolute_url())
    if not programs:
        messages.warning(request, "您尚未被分配到任何援疆项目组或组织机构，请联系系统管理员。")
    return redirect("projects:aidproject_list")


def period_from_request(
    request,
    default: periods.Period | None,
    *,
    program=None,
    since: periods.Period | None = None,
    offered: list[periods.Period] = (),
) -> periods.Period:
    """The period of `?period=…`, in any spelling `periods.parse` reads (首年 / 第二年 / 进疆以来 with a
    `program`; 进疆以来 = `since` for an organization), named after the `offered` preset with the same
    dates; `default` without one. Bad input never fails the page: it answers `default` and leaves the
    Chinese message in `request.period_error` (and the text typed in `request.period_text`), which the
    period picker (org/_period_picker.html) shows next to the box. JSON views use `parse_period`."""
    default = default or periods.calendar_year(timezone.localdate().year)
    text = (request.GET.get("period") or "").strip()
    request.period_error = ""
    request.period_text = text
    if not text:
        return default
    try:
        return periods.named(periods.parse(text, program=program, since=since), list(offered))
    except periods.PeriodError as exc:
        request.period_error = str(exc)
        return default


def parse_period(request, default: periods.Period, *, program=None, since=None) -> periods.Period:
    """Like period_from_request, for JSON answers: bad input raises PeriodError (the view answers 400)."""
    text = (request.GET.get("period") or "").strip()
    if not text:
        return default
    return periods.parse(text, program=program, since=since)


def organization_default(scope: Scope) -> periods.Period:
    """进疆以来 of an organization: the terms of its (visible) programs so far."""
    return periods.since_terms_start(scope.programs())


class ProgramDetailView(LoginRequiredMixin, TemplateView):
    """A program's overview: its key figures for a period, each linked to the records behind it."""

    template_name = "org/program_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        program = get_object_or_404(
            scoping.restrict(Program.objects.select_related("provider", "recipient_region"), user),
            slug=self.kwargs["slug"],
        )
        presets = periods.presets(program)
        period = period_from_request(self.request, presets[0], program=program, offered=presets)
        scope = Scope(
            program=program, visible=scoping.restriction(user), review=review_from_request(self.request)
        )
        figures = evaluate(dashboard.wanted_codes(registry.section_codes()), scope, period)
        townships = list(program.townships())
        warnings = warning_services.evaluate([program])
        charts = [
            dashboard.projects_chart(program, timezone.localdate()),
            dashboard.funds_chart(program, period),
            dashboard.pipeline_chart(figures, scope, period),
            dashboard.activity_chart(program, period),
            dashboard.exams_chart(program),
        ]
        grid = dashboard.township_grid(program, period, townships)
        sections = overview_sections(scope, period, figures)
        top = max((c.activity for c in grid), default=0)
        ctx.update(
            program=program,
            scope=scope,
            period=period,
            presets=presets,
            headlines=dashboard.headlines(figures, report_targets(scope, period, dashboard.HEADLINE_METRICS)),
            sections=sections,
            # Below the headline, each domain's other figures (each figure is shown once).
            detail_sections=[
                (section, [f for f in figs if f.code not in dashboard.HEADLINE_METRICS])
                for section, figs in sections
            ],
            charts=[c for c in charts if c is not None],
            townships=[(cell, cell.level(top)) for cell in grid],
            warnings=warnings,
            changes=dashboard.recent_changes(program),
            can_change=scoping.programs(user, scoping.CHANGE).filter(pk=program.pk).exists(),
            # An empty program's first screen says what to enter first (org/_first_steps.html).
            is_empty=not program.aid_projects.exists(),
            has_succession=program.predecessor_id is not None
            or Program.objects.filter(predecessor=program).exists(),
        )
        return ctx


class ProgramBatonView(LoginRequiredMixin, TemplateView):
    """接力棒: the batches of a pairing side by side, each over its own term so far, on the same figures,
    with what each handed over to the next."""

    template_name = "org/program_baton.html"

    def get_context_data(self, **kwargs):
        from yuanjiang.projects.models import AidProject

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        visible = scoping.restrict(Program.objects.select_related("provider", "recipient_region"), user)
        program = get_object_or_404(visible, slug=self.kwargs["slug"])
        chain = program.succession()
        allowed = set(visible.filter(pk__in=[p.pk for p in chain]).values_list("pk", flat=True))
        chain = [p for p in chain if p.pk in allowed]
        columns = [registry.get(c) for c in ROLLUP_METRICS]
        today = timezone.localdate()
        # What each batch received from the previous one and handed to the next: one query.
        carried_in, carried_out = Counter(), Counter()
        for program_id, origin_id in AidProject.objects.filter(
            program__in=chain, handed_over_on__isnull=False
        ).values_list("program", "carried_from"):
            (carried_in if origin_id else carried_out)[program_id] += 1
        # Each batch over its own term so far, all batches in one pass (registry.evaluate_each): as
        # many queries for four batches as for two.
        review = review_from_request(self.request)
        started = [p for p in chain if p.term_start <= today]
        pairs = [
            (
                Scope(program=p, visible=scoping.restriction(user), review=review),
                periods.since_term_start(p, today),
            )
            for p in started
        ]
        evaluated = dict(zip([p.pk for p in started], evaluate_each(ROLLUP_METRICS, pairs), strict=True))
        batches = []
        for p in chain:
            figures = evaluated.get(p.pk, {})
            batches.append(
                {
                    "program": p,
                    "period": figures[ROLLUP_METRICS[0]].period if figures else None,
                    "figures": [figures.get(c) for c in ROLLUP_METRICS],
                    "carried_in": carried_in[p.pk],
                    "carried_out": carried_out[p.pk],
                }
            )
        rows = [(m, [b["figures"][i] for b in batches]) for i, m in enumerate(columns)]
        ctx.update(program=program, batches=batches, rows=rows)
        return ctx


# The columns of an organization's table of programs.
ROLLUP_METRICS = [
    "projects.count",
    "projects.count_new",
    "projects.count_continuing",
    "projects.started_rate",
    "projects.aid_funds_planned",
    "projects.aid_funds_disbursed",
    "projects.disbursement_rate",
]


# An organization's table lists its largest programs (by planned aid funds) when it has more; `?all=1`
# lists every one. The whole country has 209: a page of what a user reads, not 1 463 cells.
TOP_PROGRAMS = 20
TOP_BY = "projects.aid_funds_planned"


def additive(metric) -> bool:
    """Whether a figure of several programs is the sum of theirs: counts and sums are; rates,
    differences and distinct counts (an enterprise met by two programs is one) are not."""
    return isinstance(metric, registry.AggregateMetric | registry.ReportedMetric)


def rollup_domains() -> list[tuple[str, str, list[str]]]:
    """The roll-up table's domains: (key, title, columns). 援疆项目 shows ROLLUP_METRICS; every other
    domain its overview section's figures."""
    out = [("projects", "援疆项目与资金", ROLLUP_METRICS)]
    out += [(s.key, s.title, list(s.codes)) for s in registry.sections() if s.key != "projects"]
    return out


class OrganizationDetailView(LoginRequiredMixin, TemplateView):
    """Roll-up for a front command or province: the same figures over every program beneath it, and a
    table of its programs (the TOP_PROGRAMS largest, or all of them with `?all=1`)."""

    template_name = "org/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = get_object_or_404(scoping.organizations(user), slug=self.kwargs["slug"])
        visible = scoping.restriction(user)
        scope = Scope(organization=org, visible=visible, review=review_from_request(self.request))
        since = organization_default(scope)
        presets = periods.organization_presets(since)
        period = period_from_request(self.request, since, since=since, offered=presets)
        # The sections' totals and the table's rows read each group of records once (the totals of
        # counts and sums are the sums of the rows).
        domains = rollup_domains()
        domain = next((d for d in domains if d[0] == self.request.GET.get("domain")), domains[0])
        wanted = list(dict.fromkeys([*domain[2], TOP_BY]))
        figures, by_program = evaluate_with_programs(registry.section_codes(), wanted, scope, period)
        programs = scope.programs().select_related("provider", "recipient_region")
        show_all = self.request.GET.get("all") == "1"
        truncated = not show_all and len(by_program) > TOP_PROGRAMS
        if truncated:  # the largest first; only their programs are read
            top = sorted(by_program, key=lambda pk: (-(by_program[pk][TOP_BY] or 0), pk))[:TOP_PROGRAMS]
            rank = {pk: i for i, pk in enumerate(top)}
            programs = sorted(programs.filter(pk__in=top), key=lambda p: rank[p.pk])
        else:
            programs = list(programs)
        query = self.request.GET.copy()
        query.pop("page", None)
        if show_all:
            query.pop("all", None)
        else:
            query["all"] = "1"
        columns = [registry.get(c) for c in domain[2]]
        rows = []
        for p in programs:
            program_scope = Scope(program=p, visible=visible, review=scope.review)
            rows.append(
                (p, [registry.Figure(m, by_program[p.pk][m.code], program_scope, period) for m in columns])
            )
        # Only counted: no warning (nor any record instance) is built for the column.
        warning_counts = warning_services.counts(programs)
        totals = [(m, figures[m.code] if additive(m) else None) for m in columns]
        ctx.update(
            organization=org,
            domains=domains,
            domain=domain,
            totals=totals,
            table_rows=[
                (p, figs, warning_counts.get(p.pk, {}), sum(warning_counts.get(p.pk, {}).values()))
                for p, figs in rows
            ],
            scope=scope,
            period=period,
            presets=presets,
            columns=columns,
            sections=overview_sections(scope, period, figures),
            rows=rows,
            program_count=len(by_program),
            truncated=truncated,
            show_all=show_all and len(by_program) > TOP_PROGRAMS,
            top_programs=TOP_PROGRAMS,
            top_by=registry.get(TOP_BY),
            toggle_url="?" + query.urlencode(),
            children=org.children.all(),
            export_url="?" + _with(self.request.GET, format="xlsx"),
            can_setup=scoping.has_role(user, ("supervisor", "admin")),
        )
        return ctx

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "xlsx":
            return rollup_xlsx(context)
        return super().render_to_response(context, **kwargs)


def _with(params, **changes) -> str:
    query = params.copy()
    for k, v in changes.items():
        query[k] = v
    return query.urlencode()


def rollup_xlsx(ctx) -> HttpResponse:
    """The roll-up table as shown (its domain, period, rows and totals) as an XLSX workbook: money in
    万元 as the page writes it, rates in %, a total only where the figures add up."""
    from yuanjiang.common import formatting, xlsx

    wb = xlsx.workbook()
    ws = wb.active
    ws.title = "汇总"
    org, period, domain = ctx["organization"], ctx["period"], ctx["domain"]
    ws.append([f"{org.name} · {domain[1]} · {period}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"])
    heads = [
        formatting.ledger_header(m.label) if m.unit == "元" else f"{m.label}（{m.unit}）"
        for m in ctx["columns"]
    ]
    ws.append(["援疆项目组", "受援地", *heads, "预警（条）"])

    def number(metric, value):
        if value is None:
            return None
        if metric.unit == "元":
            return float(value / 10000)
        return float(value)

    for program, figures, _warn, warn_total in ctx["table_rows"]:
        ws.append(
            [
                program.name,
                str(program.recipient_region),
                *[number(f.metric, f.value) for f in figures],
                warn_total,
            ]
        )
    ws.append(
        [
            f"合计（{ctx['program_count']}个援疆项目组）",
            "",
            *[number(m, f.value) if f is not None else "不相加" for m, f in ctx["totals"]],
            None,
        ]
    )
    out = io.BytesIO()
    xlsx.save(wb, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{org.name}_{domain[1]}_{period.token}.xlsx".replace(":", "-")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
