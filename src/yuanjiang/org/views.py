import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import evaluate, evaluate_by_program
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Program
from yuanjiang.review.views import review_from_request


def overview_sections(scope: Scope, period: periods.Period) -> list[tuple[registry.Section, list]]:
    """Every app's overview section with its figures, evaluated together (one query per metric)."""
    sections = registry.sections()
    figures = evaluate(registry.section_codes(), scope, period)
    return [(section, [figures[code] for code in section.codes]) for section in sections]


def home(request):
    """Land on the one program a user works in, or on the list of what they may see."""
    if not request.user.is_authenticated:
        return redirect("login")
    programs = list(scoping.programs(request.user)[:2])
    orgs = list(scoping.organizations(request.user).filter(kind__in=["province", "front_command"])[:1])
    if len(programs) == 1 and not orgs:
        return redirect(programs[0].get_absolute_url())
    if orgs:
        return redirect(orgs[0].get_absolute_url())
    if not programs:
        messages.warning(request, "您尚未被分配到任何援疆项目组或组织机构，请联系系统管理员。")
    return redirect("projects:aidproject_list")


def period_from_request(request, default: periods.Period | None) -> periods.Period:
    """The period of `?period=START:END` (or YYYY, YYYYQn); `default` without one. Bad input is a 404
    with the parser's Chinese message."""
    token = request.GET.get("period")
    if not token:
        if default is None:
            raise Http404("须指定时间段（?period=开始日期:结束日期）。")
        return default
    try:
        return periods.Period.parse(token)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from exc


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
        period = period_from_request(self.request, presets[0])
        scope = Scope(
            program=program, visible=scoping.programs(user), review=review_from_request(self.request)
        )
        ctx.update(
            program=program,
            scope=scope,
            period=period,
            presets=presets,
            sections=overview_sections(scope, period),
            can_change=scoping.programs(user, scoping.CHANGE).filter(pk=program.pk).exists(),
        )
        return ctx


class OrganizationDetailView(LoginRequiredMixin, TemplateView):
    """Roll-up for a front command or province: the same figures over every program beneath it."""

    template_name = "org/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = get_object_or_404(scoping.organizations(user), slug=self.kwargs["slug"])
        visible = scoping.programs(user)
        scope = Scope(organization=org, visible=visible, review=review_from_request(self.request))
        default = periods.calendar_year(timezone.localdate().year)
        period = period_from_request(self.request, default)
        programs = list(scope.programs().select_related("provider", "recipient_region"))
        row_metrics = [
            "projects.count",
            "projects.started",
            "projects.started_rate",
            "projects.aid_funds_planned",
        ]
        by_program = evaluate_by_program(row_metrics, scope, period)
        rows = [(p, [(registry.get(c), by_program[p.pk][c]) for c in row_metrics]) for p in programs]
        years = sorted({p.term_start.year for p in programs} | {period.start.year})
        ctx.update(
            organization=org,
            scope=scope,
            period=period,
            # Up to the year after the latest one, but never beyond the last year a date can have
            # (?period=9999 was a 500: calendar_year(10000)).
            presets=[
                periods.calendar_year(y) for y in range(min(years), min(max(years) + 2, dt.MAXYEAR + 1))
            ],
            sections=overview_sections(scope, period),
            rows=rows,
            children=org.children.all(),
        )
        return ctx
