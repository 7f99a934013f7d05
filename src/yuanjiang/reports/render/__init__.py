"""The renderings of a computed report card: web page (views), HTML document, DOCX, PDF, XLSX, JSON.

`render(report, fmt)` → bytes. Every renderer writes the same `services.Report`; none computes.
"""

from yuanjiang.reports.render import docx, html, jsonfmt, pdf, xlsx


class RenderError(Exception):
    """A rendering that cannot be made here (e.g. PDF without its system packages); Chinese message."""


# format → (renderer, content type, file extension)
FORMATS = {
    "html": (html.render, "text/html; charset=utf-8", "html"),
    "docx": (docx.render, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": (pdf.render, "application/pdf", "pdf"),
    "xlsx": (xlsx.render, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": (jsonfmt.render, "application/json; charset=utf-8", "json"),
}
FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel", "json": "JSON", "html": "HTML"}


def render(report, fmt: str) -> bytes:
    try:
        renderer = FORMATS[fmt][0]
    except KeyError:
        raise RenderError(f"不支持的格式“{fmt}”，可用：{'、'.join(FORMATS)}。") from None
    try:
        return renderer(report)
    except pdf.PdfUnavailable as exc:
        raise RenderError(str(exc)) from None


def content_type(fmt: str) -> str:
    return FORMATS[fmt][1]
