"""Import pages: choose a ledger, upload a file, see the preview (errors highlighted), confirm.

The uploaded file is kept between preview and confirmation by `uploads` (private, per user,
expiring, hash-checked); confirming runs the commit with the versions seen at the preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View

from yuanjiang.accounts import scoping
from yuanjiang.interop import mapping, uploads
from yuanjiang.interop.importing import ImportRefused, commit, preview
from yuanjiang.interop.reading import MAX_BYTES, ReadError

PREVIEW_ROWS = 500  # rows shown in the preview table (every error is listed regardless)


def list_url(model) -> str | None:
    """The model's list page, by the URL naming convention `<app_label>:<model_name>_list`
    (docs/architecture.md, the add-a-model checklist), or None (a project's outputs have none)."""
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
    except NoReverseMatch:
        return None


def _ledger(kind: str) -> mapping.Ledger:
    try:
        return mapping.get(kind)
    except KeyError:
        raise Http404(f"没有名为“{kind}”的台账。") from None


class ImportIndexView(LoginRequiredMixin, View):
    def get(self, request):
        rows = [(ledger, list_url(ledger.model)) for ledger in mapping.ledgers() if ledger.declared]
        program = request.GET.get("program", "")
        return render(
            request,
            "interop/import_index.html",
            {"ledgers": rows, "program": program if program.isdigit() else ""},
        )


class ImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST: read the file and show the preview."""

    def _programs(self, request):
        return list(scoping.programs(request.user, scoping.CHANGE).order_by("name"))

    def _context(self, request, ledger, **extra):
        programs = self._programs(request)
        chosen = extra.pop("program_id", None) or request.GET.get("program")
        return {
            "ledger": ledger,
            "programs": programs,
            "chosen": str(chosen or (programs[0].pk if len(programs) == 1 else "")),
            "max_mb": MAX_BYTES // 1024 // 1024,
            "list_url": list_url(ledger.model),
            **extra,
        }

    def get(self, request, kind):
        ledger = _ledger(kind)
        return render(request, "interop/import_upload.html", self._context(request, ledger))

    def post(self, request, kind):
        ledger = _ledger(kind)
        error = None
        # Refused by size before the body is read.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BYTES + 64 * 1024:
            error = f"文件超过{MAX_BYTES // 1024 // 1024}MB的上限，请拆分后分别导入。"
            return render(
                request, "interop/import_upload.html", self._context(request, ledger, error=error), status=400
            )
        programs = {str(p.pk): p for p in self._programs(request)}
        if not programs:  # a reader (auditor, supervisor): nothing to import into
            raise PermissionDenied("您没有可导入数据的援疆项目组（导入需要填报员或工作组负责人权限）。")
        program = programs.get(request.POST.get("program", ""))
        upload = request.FILES.get("file")
        if program is None:
            error = "请选择要导入到的援疆项目组（只能导入到本人负责的项目组）。"
        elif upload is None:
            error = "请选择要上传的台账文件（.xlsx、.xls 或 .csv）。"
        elif upload.size > MAX_BYTES:
            error = f"文件有{upload.size / 1024 / 1024:.1f}MB，超过{MAX_BYTES // 1024 // 1024}MB的上限，请拆分后分别导入。"
        if error:
            return render(
                request,
                "interop/import_upload.html",
                self._context(request, ledger, error=error, program_id=request.POST.get("program")),
                status=400,
            )
        data = upload.read()
        filename = (upload.name or "upload")[:120]
        try:
            plan = preview(ledger, program, data, filename, request.user)
        except (ReadError, ImportRefused) as exc:
            return render(
                request,
                "interop/import_upload.html",
                self._context(request, ledger, error=str(exc), program_id=program.pk),
                status=400,
            )
        token = (
            uploads.keep(request.user, ledger.kind, program.pk, filename, data, plan.versions)
            if plan.ok
            else ""
        )
        return render(request, "interop/import_preview.html", _preview_context(plan, token))


def _preview_context(plan, token):
    shown = plan.rows[:PREVIEW_ROWS]
    return {
        "plan": plan,
        "ledger": plan.ledger,
        "token": token,
        "rows": [{"row": r, "cells": [(text, i in r.bad) for i, text in enumerate(r.cells)]} for r in shown],
        "hidden": len(plan.rows) - len(shown),
        "list_url": list_url(plan.ledger.model),
    }


class ConfirmView(LoginRequiredMixin, View):
    def post(self, request, kind):
        ledger = _ledger(kind)
        token = request.POST.get("token", "")
        try:
            kept = uploads.load(request.user, token)
        except uploads.UploadGone as exc:
            messages.error(request, str(exc))
            return redirect("interop:import", kind=kind)
        if kept.kind != ledger.kind:
            raise Http404("台账类型不符。")
        program = scoping.programs(request.user, scoping.CHANGE).filter(pk=kept.program_id).first()
        if program is None:
            uploads.discard(request.user, token)
            messages.error(request, "您没有向该项目组导入数据的权限。")
            return redirect("interop:import", kind=kind)
        try:
            result = commit(ledger, program, kept.data, kept.filename, request.user, expected=kept.versions)
        except (ImportRefused, ReadError) as exc:
            uploads.discard(request.user, token)
            issues = getattr(exc, "issues", [])
            messages.error(request, str(exc) + ("" if not issues else " " + "；".join(map(str, issues[:10]))))
            return redirect(f"{reverse('interop:import', kwargs={'kind': kind})}?program={program.pk}")
        uploads.discard(request.user, token)
        messages.success(
            request,
            f"已导入“{kept.filename}”：新增{result.created}条，更新{result.updated}条，不变{result.unchanged}条。",
        )
        return redirect(list_url(ledger.model) or reverse("interop:index"))
