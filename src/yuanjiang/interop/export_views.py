"""Web side of the export: the list pages export themselves (common.views.ObjectListView with
`?export=xlsx` calls `export_list`); this module serves the blank templates."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_safe

from yuanjiang.interop import exporting


@require_safe
@login_required
def template_download(request, kind: str):
    """A ledger's blank template (下载模板): the notes row, the header, drop-down lists."""
    try:
        sheet = exporting.sheet_for_kind(kind)
    except KeyError:
        raise Http404(f"没有名为“{kind}”的台账。") from None
    # The township drop-down of the user's program, when they fill in for exactly one.
    from yuanjiang.accounts import scoping

    programs = list(scoping.programs(request.user, scoping.CHANGE)[:2])
    if len(programs) == 1:
        sheet = exporting.for_program(sheet, programs[0])
    return exporting.file_response(
        lambda out: exporting.write_workbook(out, sheet, template=True), exporting.template_filename(sheet)
    )


@require_safe
@login_required
def template_index(request):
    """Every ledger's template, with its required columns (台账模板)."""
    from django.shortcuts import render
    from django.urls import reverse

    from yuanjiang.interop import mapping

    rows = [
        {
            "label": ledger.label,
            "model": ledger.model._meta.verbose_name,
            "columns": len(ledger.columns),
            "required": [c.header for c in ledger.columns if c.required],
            "url": reverse("interop:template", args=[ledger.kind]),
        }
        for ledger in mapping.ledgers()
    ]
    return render(request, "interop/template_index.html", {"rows": rows})
