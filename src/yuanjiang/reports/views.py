"""The report card on the web: the page (figures linked to their records, targets, roll-up, the latest
publication and what changed since), downloads in every format, publishing, and annual targets."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views import View
from django.views.generic import DetailView, TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Role
from yuanjiang.cnnum.numerals import int_to_chinese
from yuanjiang.common import views as generic
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Program
from yuanjiang.org.views import period_from_request
from yuanjiang.reports import definition as defs
from yuanjiang.reports import filters, forms, render, services
from yuanjiang.reports.models import Publication, PublicationFile, Target

PROGRAM, ORG = "program", "org"


def resolve(request, kind: str, slug: str):
    """(scope, period, presets) for /reports/<kind>/<slug>/?period=…, within what the user may see."""
    user = request.user
    visible = scoping.restriction(user)  # None for a global admin: no restriction to apply
    if kind == PROGRAM:
        program = get_object_or_404(
            scoping.restrict(Program.objects.select_related("provider", "recipient_region"), user), slug=slug
        )
        scope = Scope(program=program, visible=visible)
        presets = periods.presets(program)
        return scope, period_from_request(request, presets[0], program=program, offered=presets), presets
    if kind == ORG:
        org = get_object_or_404(scoping.organizations(user), slug=slug)
        scope = Scope(organization=org, visible=visible)
        since = periods.since_terms_start(scope.programs())
        presets = periods.organization_presets(since)
        return scope, period_from_request(request, since, since=since, offered=presets), presets
    raise Http404("未知的成绩单范围。")


def load_definition(request, scope=None) -> defs.Definition:
    """The definition asked for (`?definition=`), else the scope's own (defs.default_name)."""
    try:
        return defs.load(request.GET.get("definition") or defs.default_name(scope))
    except defs.DefinitionError as exc:
        raise Http404(str(exc)) from None


def can_publish(user, scope: Scope) -> bool:
    """A program's lead (or an admin) publishes its report card; for an organization, its supervisor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if scope.program is not None:
        return scoping.has_role(user, [Role.LEAD, Role.ADMIN], scope.program)
    path = scope.organization.path
    return any(
        m.role in (Role.SUPERVISOR, Role.ADMIN) and m.organization_id and path.startswith(m.organization.path)
        for m in scoping._memberships(user)
    )


def report_url(kind: str, slug: str, query: dict, name: str = "reports:report") -> str:
    return reverse(name, args=[kind, slug]) + "?" + urlencode(query)


class ReportView(LoginRequiredMixin, TemplateView):
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind, slug = self.kwargs["kind"], self.kwargs["slug"]
        scope, period, presets = resolve(self.request, kind, slug)
        definition = load_definition(self.request, scope)
        report = services.report_build(definition, scope, period)
        publication = services.latest_publication(report)
        differences = services.publication_differences(report, publication) if publication else []
        downloads = [
            (
                render.FORMAT_LABELS[fmt],
                report_url(kind, slug, report.query, "reports:download") + f"&format={fmt}",
            )
            for fmt in ("docx", "pdf", "xlsx", "json", "html")
        ]
        ctx.update(
            report=report,
            kind=kind,
            scope=scope,
            period=period,
            presets=presets,
            definition_choices=defs.choices(),
            downloads=downloads,
            publication=publication,
            differences=differences,
            can_publish=can_publish(self.request.user, scope),
            publish_url=report_url(kind, slug, report.query, "reports:publish"),
            publications=self._publications(scope),
        )
        return ctx

    def _publications(self, scope):
        qs = Publication.objects.select_related("published_by")
        if scope.program is not None:
            qs = qs.filter(program=scope.program)
        else:
            qs = qs.filter(organization=scope.organization)
        return list(qs[:10])


class ReportDownloadView(LoginRequiredMixin, View):
    def get(self, request, kind, slug):
        fmt = request.GET.get("format", "")
        if fmt not in render.FORMATS:
            raise Http404(f"不支持的格式“{fmt}”。")
        scope, period, _ = resolve(request, kind, slug)
        # The JSON prints no programs' table (Report.as_json): it is not built for it.
        rollup = False if fmt == "json" else None
        report = services.report_build(load_definition(request, scope), scope, period, rollup=rollup)
        report.base_url = request.build_absolute_uri("/").rstrip("/")
        try:
            content = render.render(report, fmt)
        except render.RenderError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type=render.content_type(fmt))
        response["Content-Disposition"] = content_disposition_header(True, f"{report.filename}.{fmt}")
        return response


class PublishView(LoginRequiredMixin, View):
    def post(self, request, kind, slug):
        scope, period, _ = resolve(request, kind, slug)
        if not can_publish(request.user, scope):
            raise PermissionDenied("只有工作组负责人（或前方指挥部负责人）可以发布成绩单。")
        report = services.report_build(load_definition(request, scope), scope, period)
        report.base_url = request.build_absolute_uri("/").rstrip("/")
        try:
            publication = services.report_publish(report=report, user=request.user)
        except render.RenderError as exc:
            messages.error(request, f"发布失败：{exc}")
            return HttpResponseRedirect(report_url(kind, slug, report.query))
        messages.success(
            request,
            f"已发布“{publication.title}”（摘要 {publication.sha256[:12]}…）。{services.replaces_text(publication)}",
        )
        return HttpResponseRedirect(report_url(kind, slug, report.query))


def visible_publications(user):
    return Publication.objects.filter(program__in=scoping.programs(user)) | Publication.objects.filter(
        organization__in=scoping.organizations(user)
    )


class PublicationDetailView(LoginRequiredMixin, DetailView):
    template_name = "reports/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return visible_publications(self.request.user).select_related(
            "program", "organization", "published_by", "replaces"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pub = self.object
        ctx["files"] = list(pub.files.defer("content"))
        ctx["tampering"] = services.tampering(pub)
        ctx["sections"] = [
            (f"{int_to_chinese(n)}、{section['title']}", [line["text"] for line in section["lines"]])
            for n, section in enumerate(pub.snapshot.get("report", {}).get("sections", []), start=1)
        ]
        kind, slug = (PROGRAM, pub.program.slug) if pub.program_id else (ORG, pub.organization.slug)
        ctx["current_url"] = report_url(
            kind,
            slug,
            {
                "period": f"{pub.period_start:%Y-%m-%d}:{pub.period_end:%Y-%m-%d}",
                "definition": pub.definition_name,
            },
        )
        return ctx


class PublicationFileView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        pub = get_object_or_404(visible_publications(request.user), pk=pk)
        stored = get_object_or_404(PublicationFile, publication=pub, format=fmt)
        problem = services.tampering(pub)
        if problem:  # served only as published: a mismatch is refused (and logged)
            return HttpResponse(problem, status=409, content_type="text/plain; charset=utf-8")
        response = HttpResponse(bytes(stored.content), content_type=render.content_type(fmt))
        name = f"成绩单-已发布-{pub.pk}-{pub.published_at:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


# ---- targets (年度目标任务) -------------------------------------------------------------------------


class TargetListView(generic.ObjectListView):
    model = Target
    filterset_class = filters.TargetFilterSet
    template_name = "reports/target_list.html"
    create_url_name = "reports:target_create"


class TargetCreateView(generic.ObjectCreateView):
    model = Target
    form_class = forms.TargetForm
    return_to_list = True

    def get_initial(self):
        initial = super().get_initial()
        for key in ("metric", "period_start", "period_end"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        if "program" in self.request.GET:
            program = (
                scoping.programs(self.request.user, scoping.CHANGE)
                .filter(slug=self.request.GET["program"])
                .first()
            )
            if program is not None:
                initial["program"] = program.pk
        return initial


class TargetEditView(generic.ObjectEditView):
    model = Target
    form_class = forms.TargetForm
    return_to_list = True


class TargetDeleteView(generic.ObjectDeleteView):
    model = Target
    return_to_list = True
