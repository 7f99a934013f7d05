from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.org.models import Program
from yuanjiang.warnings import registry, services


def _program(request, slug):
    return get_object_or_404(
        scoping.restrict(Program.objects.select_related("provider"), request.user), slug=slug
    )


class ProgramWarningsView(LoginRequiredMixin, TemplateView):
    """A program's warnings, acknowledged ones included (with their notes), each opening its records;
    whoever may edit the program acknowledges one here with a note."""

    template_name = "warnings/program_warnings.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        program = _program(self.request, self.kwargs["slug"])
        found = services.evaluate([program], include_acknowledged=True)
        ctx.update(
            program=program,
            warnings=[w for w in found if not w.acknowledged],
            acknowledged=[w for w in found if w.acknowledged],
            rules=registry.all_rules(),
            can_acknowledge=scoping.programs(self.request.user, scoping.CHANGE)
            .filter(pk=program.pk)
            .exists(),
        )
        return ctx


class AcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, slug):
        program = _program(request, slug)
        try:
            services.acknowledgement_create(
                program=program,
                fingerprint=request.POST.get("fingerprint", ""),
                note=request.POST.get("note", ""),
                user=request.user,
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, f"预警未确认：{text}")
        else:
            messages.success(request, "预警已确认；情况发生变化时会重新提示。")
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("warnings:program", slug=program.slug)
