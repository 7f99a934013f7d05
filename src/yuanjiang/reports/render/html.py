"""The report card as a standalone HTML document (also the source of the PDF): official-document
typography, figures linked to the pages listing their records."""

from django.template.loader import render_to_string

from yuanjiang.reports.render import fonts


def document(report, *, for_pdf: bool = False, stacks: dict[str, str] | None = None) -> str:
    return render_to_string(
        "reports/document.html",
        {"report": report, "for_pdf": for_pdf, "fonts": stacks or fonts.CSS_STACKS},
    )


def render(report) -> bytes:
    return document(report).encode("utf-8")
