"""The claims check page: paste or upload a text, see every claim marked by its verdict, keep the check."""

import re
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.claims.forms import ClaimCheckForm, OrgClaimCheckForm
from yuanjiang.claims.markup import strip_markup
from yuanjiang.claims.models import ClaimCheck
from yuanjiang.claims.periods import inferred_date
from yuanjiang.claims.periods import text_date as found_date
from yuanjiang.claims.services import VERDICT_CLASS, VERDICTS, check_text, text_notes
from yuanjiang.common.views import ObjectDeleteView
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Program
from yuanjiang.org.periods import Period, since_term_start, since_terms_start


def segments(text: str, items: list[dict]) -> list[dict]:
    """The text cut into plain runs and claims, for inline marking (claims in order, never overlapping)."""
    out = []
    pos = 0
    for n, item in enumerate(items, 1):
        start, end = item["start"], item["end"]
        if start < pos or end > len(text):
            continue
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "item": item, "n": n, "css": VERDICT_CLASS[item["verdict"]]})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def render_context(text: str, result) -> dict:
    """What the result templates need (the web page and `claims check --format html`)."""
    ctx = _context(
        result.text or text, result.items, result.summary, result.scope.label, result.period, result.date
    )
    ctx["warnings"] = result.warnings
    ctx["detected_period"] = result.detected_period
    return ctx


def standalone_css() -> str:
    """The claims section of the site's stylesheet (app.css, from "/* claims:" to the next section),
    embedded by `claims check --format html`: a file that opens anywhere, styled as the page is."""
    from django.contrib.staticfiles import finders

    css = Path(finders.find("yj/app.css")).read_text(encoding="utf-8")
    section = re.search(r"^/\* claims:.*?\*/\n(.*?)(?=^/\* |\Z)", css, re.S | re.M)
    return section.group(1).strip() if section else ""


def _context(text, items, summary, scope_label, period, date) -> dict:
    numbered = [dict(item, n=n, css=VERDICT_CLASS[item["verdict"]]) for n, item in enumerate(items, 1)]
    return {
        "segments": segments(text, numbered),
        "items": numbered,
        "summary": [(v, summary.get(v, 0), VERDICT_CLASS[v]) for v in VERDICTS],
        "scope_label": scope_label,
        "period": period,
        "text_date": date,
        "total": len(items),
    }


def run_check(program, text: str, period: Period | None, date, overrides=None):
    date = date or found_date(text)
    if period is None and date is None:
        # no date: the text's year from the term (自去年4月进疆), not today's calendar
        inferred = inferred_date(strip_markup(text), program)
        chosen = since_term_start(program, inferred[0] if inferred else None)
    else:
        chosen = period or since_term_start(program, date)
    return check_text(text, Scope(program=program), chosen, date, overrides=overrides)


def parse_overrides(stored: dict) -> dict[int, Period]:
    return {int(k): Period.parse(v) for k, v in stored.items()}


class ClaimCheckListView(LoginRequiredMixin, TemplateView):
    template_name = "claims/claimcheck_list.html"
    paginate_by = 50
    model = ClaimCheck

    def get_checks(self):
        return scoping.restrict(ClaimCheck.objects.select_related("program"), self.request.user)

    def get(self, request, *args, **kwargs):
        from yuanjiang.interop import exporting

        if exporting.wants_export(request):  # 导出Excel (interop)
            return exporting.export_response(request, ClaimCheck, self.get_checks())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        checks = self.get_checks().defer("text", "results")
        page = Paginator(checks, self.paginate_by).get_page(self.request.GET.get("page"))
        ctx.update(
            form=form or ClaimCheckForm(user=self.request.user),
            can_check=scoping.programs(self.request.user, scoping.CHANGE).exists(),
            checks=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
        )
        ctx["can_roll_up"] = scoping.organizations(self.request.user).exists()
        return ctx

    def post(self, request, *args, **kwargs):
        if not scoping.programs(request.user, scoping.CHANGE).exists():
            raise PermissionDenied("您只能查看核对结果，不能新建核对（需要填报员或工作组负责人权限）。")
        form = ClaimCheckForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        program = data["program"]
        result = run_check(program, data["text"], data["period"], data["text_date"])
        check = ClaimCheck(
            program=program,
            title=data["title"],
            source_name=data["source_name"],
            text=result.text or data["text"],  # markup removed: the items' positions point into it
            text_date=result.date,
            period_start=result.period.start,
            period_end=result.period.end,
            results=result.items,
            summary=result.summary,
            created_by=request.user,
        )
        try:
            check.full_clean()  # the rules every record obeys (a date near the program's term …)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        with transaction.atomic():
            check.save()
        return redirect(check.get_absolute_url())


class ClaimCheckDetailView(LoginRequiredMixin, TemplateView):
    template_name = "claims/claimcheck_detail.html"

    def get_object(self):
        qs = scoping.restrict(
            ClaimCheck.objects.select_related("program", "program__provider", "created_by"), self.request.user
        )
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check = self.get_object()
        period = Period(check.period_start, check.period_end)
        ctx.update(
            _context(check.text, check.results, check.summary, str(check.program), period, check.text_date)
        )
        notes = text_notes(check.text, check.program, period, check.text_date)
        ctx.update(warnings=notes.warnings, detected_period=notes.detected, recheck_url=True)
        ctx.update(
            object=check,
            editable=(can_change := scoping.can_change(self.request.user, check)),
            can_change=can_change,
            delete_url=reverse("claims:claimcheck_delete", args=[check.pk]),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        """核对 again against today's records, optionally with another period or text date: saves
        the check, so only for those who may change its program's records."""
        check = self.get_object()
        if not scoping.can_change(request.user, check):
            raise PermissionDenied("您只能查看这次核对，不能重新核对并保存（需要本项目组的填报权限）。")
        period = Period(check.period_start, check.period_end)
        date = check.text_date
        try:
            if request.POST.get("use_period"):  # 按文中时间段重新核对
                period = Period.parse(request.POST["use_period"])
            elif request.POST.get("period"):
                period = Period.parse(request.POST["period"])
            if request.POST.get("text_date"):
                import datetime as dt

                date = dt.date.fromisoformat(request.POST["text_date"])
            overrides = dict(check.period_overrides)
            current = {
                str(it["start"]): f"{it['period']['start']}:{it['period']['end']}" for it in check.results
            }
            for key, value in request.POST.items():
                if not key.startswith("p_") or key[2:] not in current:
                    continue
                value = value.strip()
                if not value:
                    overrides.pop(key[2:], None)
                elif value != current[key[2:]]:
                    overrides[key[2:]] = Period.parse(value).token
        except ValueError as exc:
            messages.error(request, f"无法重新核对：{exc}")
            return redirect(check.get_absolute_url())
        result = run_check(check.program, check.text, period, date, parse_overrides(overrides))
        check.period_overrides = overrides
        check.results = result.items
        check.summary = result.summary
        check.period_start, check.period_end = result.period.start, result.period.end
        check.text_date = result.date
        check.save()
        messages.success(request, "已按当前记录重新核对。")
        return redirect(check.get_absolute_url())


class ClaimCheckOrgView(LoginRequiredMixin, TemplateView):
    """汇总核对: a text held against the records of every program under an organization the user may
    read as a whole (a front command's report). Shown at once, not kept (docs/claims.md)."""

    template_name = "claims/claimcheck_org.html"
    # Its POST computes and shows, storing nothing: a reader may post it (tests: permissions by verb).
    post_writes = False

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = form or OrgClaimCheckForm(user=self.request.user)
        return ctx

    def post(self, request, *args, **kwargs):
        form = OrgClaimCheckForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        org = data["organization"]
        programs = Program.objects.filter(provider__path__startswith=org.path)
        date = data["text_date"] or found_date(data["text"])
        period = data["period"] or since_terms_start(programs, date)
        scope = Scope(organization=org, visible=scoping.restriction(request.user))
        result = check_text(data["text"], scope, period, date)
        ctx = self.get_context_data(form=form)
        ctx.update(render_context(data["text"], result), title=data["title"], checked=True)
        return self.render_to_response(ctx)


class ClaimCheckDeleteView(ObjectDeleteView):
    model = ClaimCheck
