"""Checks of talent records' inputs: plausible dates and signed documents that really are PDFs."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile

from yuanjiang.common import formatting
from yuanjiang.common.validators import AID_START

# A date outside these bounds is a typing mistake (year 1, year 9999). Talent dates may lie ahead (a
# term's planned end), so the upper bound is a far year, not today; the lower is the one AID_START.
LATEST = dt.date(2100, 12, 31)

PDF_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def validate_plausible_date(value: dt.date) -> None:
    if value is not None and not (AID_START <= value <= LATEST):
        raise ValidationError(
            f"日期须在{formatting.date(AID_START)}至{formatting.date(LATEST)}之间，请核对年份。",
            code="implausible_date",
        )


def validate_pdf(file) -> None:
    """A signed document: a PDF (magic bytes and a successful parse), at most PDF_MAX_BYTES.

    A file already stored (an edit that keeps it) was checked when it was uploaded.
    """
    if file is None or not getattr(file, "name", None):
        return
    if isinstance(file, FieldFile) and getattr(file, "_committed", False):
        return
    name = file.name.rsplit("/", 1)[-1]
    if file.size > PDF_MAX_BYTES:
        raise ValidationError(
            f"文件“{name}”有{file.size / 1024 / 1024:.1f}MB，超过{PDF_MAX_BYTES // 1024 // 1024}MB的上限。",
            code="pdf_too_large",
        )
    if not name.lower().endswith(".pdf"):
        raise ValidationError(f"文件“{name}”不是PDF文件：只接受扩展名为.pdf的文件。", code="pdf_extension")
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            f"文件“{name}”不是PDF文件（文件内容不以%PDF-开头），请上传扫描或导出的PDF。", code="pdf_magic"
        )
    problem = _pdf_problem(file)
    file.seek(0)
    if problem:
        raise ValidationError(f"文件“{name}”{problem}", code="pdf_invalid")


def _pdf_problem(file) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            return "已加密，请上传未加密的PDF。"
        if len(reader.pages) < 1:
            return "没有页面，不是有效的PDF。"
    except Exception:  # pypdf raises many kinds of errors on damaged files; all mean "not a usable PDF"
        return "已损坏或不是有效的PDF，无法解析。"
    return ""
