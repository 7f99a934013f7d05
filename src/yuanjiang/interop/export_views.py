"""Web side of the export: the list pages export themselves (common.views.ObjectListView with
`?export=xlsx` calls `export_list`); this module serves the blank templates."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from yuanjiang.interop import exporting


@login_required
def template_download(request, kind: str):
    """A ledger's blank template (下载模板): the notes row, the header, drop-down lists."""
    try:
        sheet = exporting.sheet_for_kind(kind)
    except KeyError:
        raise Http404(f"没有名为“{kind}”的台账。") from None
    return exporting.file_response(
        lambda out: exporting.write_workbook(out, sheet, template=True), exporting.template_filename(sheet)
    )
