from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.org import periods
from yuanjiang.org.models import Program
from yuanjiang.review import services
from yuanjiang.review.choices import COUNTS
from yuanjiang.review.models import PeriodClose, Reviewable

ACTIONS = {"submit": "提交", "approve": "审核通过", "return": "退回"}


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _record_url(obj) -> str:
    parent = getattr(obj, "changelog_parent", None)
    parent = parent() if callable(parent) else parent
    for candidate in (obj, parent):
        if candidate is not None and hasattr(candidate, "get_absolute_url"):
            return candidate.get_absolute_url()
    return reverse("home")


class ReviewActionView(LoginRequiredMixin, View):
    """POST only: submit, approve or return (with a reason) one record of any Reviewable model."""

    http_method_names = ["post"]

    def post(self, request, label, pk, action):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise Http404("未知的记录类型。") from None
        if not issubclass(model, Reviewable) or action not in ACTIONS:
            raise Http404("该记录不需要审核。")
        obj = get_object_or_404(scoping.restrict(model.objects.all(), request.user), pk=pk)
        fallback = _record_url(obj)
        try:
            if action == "submit":
                services.record_submit(obj, request.user)
            elif action == "approve":
                services.record_approve(obj, request.user)
            else:
                services.record_return(obj, request.user, request.POST.get("reason", ""))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "您没有权限。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"“{obj}”已{ACTIONS[action]}。")
        return HttpResponseRedirect(_back(request, fallback))


class ProgramMixin(LoginRequiredMixin):
    def get_program(self) -> Program:
        return get_object_or_404(
            scoping.restrict(Program.objects.select_related("provider"), self.request.user),
            slug=self.kwargs["slug"],
        )


class PeriodCloseListView(ProgramMixin, TemplateView):
    """A program's closed periods, with the close form (lead, supervisor) and reopen forms (supervisor)."""

    template_name = "review/periodclose_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        program = self.get_program()
        user = self.request.user
        ctx.update(
            program=program,
            closes=list(
                PeriodClose.objects.filter(program=program).select_related("closed_by", "reopened_by")
            ),
            can_close=services.can_close(user, program),
            can_reopen=services.can_reopen(user, program),
            presets=periods.presets(program),
        )
        return ctx


class PeriodCloseCreateView(ProgramMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        program = self.get_program()
        back = reverse("review:periodclose_list", args=[program.slug])
        try:
            period = periods.Period.parse(request.POST.get("period", ""))
            close = services.close_period(program, period, request.user, request.POST.get("note", ""))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except (ValidationError, periods.PeriodError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已结账：{close.period_label}。该期间的记录已锁定。")
        return HttpResponseRedirect(back)


class PeriodReopenView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        close = get_object_or_404(
            scoping.restrict(PeriodClose.objects.select_related("program__provider"), request.user), pk=pk
        )
        back = reverse("review:periodclose_list", args=[close.program.slug])
        try:
            services.reopen_period(close, request.user, request.POST.get("reason", ""))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已重新开账：{close.period_label}。")
        return HttpResponseRedirect(back)


def review_from_request(request) -> str | None:
    """`?review=approved|all`: what figures count of reviewable records; None = each metric's default."""
    value = request.GET.get("review") or None
    if value is not None and value not in COUNTS:
        raise Http404(f"审核口径应为 {' / '.join(COUNTS)}。")
    return value


WARNINGS_SHOWN = 10  # on 待办; the program's warnings page lists them all


class InboxView(LoginRequiredMixin, TemplateView):
    """待办: to review, returned to me (with the reason), drafts, periods due to close (review.inbox)."""

    template_name = "review/inbox.html"

    def get_context_data(self, **kwargs):
        from yuanjiang.review import inbox

        ctx = super().get_context_data(**kwargs)
        ctx["box"] = inbox.inbox_for(self.request.user)
        ctx["limit"] = inbox.LIMIT
        ctx["no_self_approval"] = settings.REVIEW_NO_SELF_APPROVAL
        ctx.update(self._warnings())
        return ctx

    def _warnings(self) -> dict:
        """The early warnings (预警) of the programs the user works in (may change): what is behind."""
        from yuanjiang.accounts import scoping
        from yuanjiang.warnings import services as warnings

        programs = list(scoping.programs(self.request.user, scoping.CHANGE))
        found = warnings.evaluate(programs) if programs else []
        return {
            "warnings": found[:WARNINGS_SHOWN],
            "warnings_total": len(found),
            "warnings_more": max(len(found) - WARNINGS_SHOWN, 0),
            "warning_programs": programs,
        }


class InboxBatchView(LoginRequiredMixin, View):
    """POST: submit, approve or return the ticked records of one ledger (`label`), or all of its
    drafts (`all_drafts`, e.g. a whole import); return needs a reason. Says what was done and names
    each record that was not, with why."""

    http_method_names = ["post"]

    def post(self, request):
        from yuanjiang.review import inbox

        action = request.POST.get("action", "")
        label = request.POST.get("label", "")
        back = _back(request, reverse("review:inbox"))
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise Http404("未知的记录类型。") from None
        if not issubclass(model, Reviewable) or action not in ACTIONS:
            raise Http404("该记录不需要审核。")
        qs = scoping.restrict(model.objects.all(), request.user)
        if request.POST.get("all_drafts") and action == "submit":
            objs = list(inbox.drafts(model, request.user))
        else:
            ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
            objs = list(qs.filter(pk__in=ids).order_by("pk"))
        if not objs:
            messages.error(request, "没有选中任何记录：请先勾选要处理的记录。")
            return HttpResponseRedirect(back)
        try:
            done, refused = services.records_batch(objs, request.user, action, request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(back)
        name = model._meta.verbose_name
        if done:
            messages.success(request, f"已{ACTIONS[action]}{len(done)}条{name}。")
        if refused:
            messages.error(request, f"{len(refused)}条未{ACTIONS[action]}：" + "；".join(refused[:20]))
        return HttpResponseRedirect(back)
