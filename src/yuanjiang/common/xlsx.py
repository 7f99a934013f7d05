"""The one XLSX writer: every workbook the product writes (ledger exports and templates, the change
stream's export, the report card) is created by `workbook()` and written by `save()`, and its texts
go through `text()`.

Formula injection: a text is always written as a string cell (`data_type "s"`), never as a formula
or an error code, whatever it starts with (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`, `#N/A`); a text
starting with `=`, `+`, `-`, `@`, tab or CR also carries Excel's quote prefix (the hidden
apostrophe), so editing it in Excel keeps it text. The value stays the original text, so what is
exported reads back unchanged. Characters XML cannot hold (control characters) are dropped.

`save()` neutralises every cell of an ordinary workbook before writing it, so a cell set with
`ws.cell(value=…)` is safe too; a write-only workbook streams its rows as they are appended, so its
rows are appended through `cell()` (or `append()`), which neutralises each value. openpyxl's
`Workbook` and `load_workbook` are imported nowhere else in `src/` (tests/test_xlsx_writers.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def clean(text: str) -> str:
    """The text without the characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def needs_escape(text: str) -> bool:
    return text.startswith(INJECTION_PREFIXES)


def neutralise(cell):
    """A cell holding a text: a string cell, with the quote prefix where Excel would read a formula."""
    value = cell.value
    if isinstance(value, str):
        value = clean(value)
        cell.value = value
        cell.data_type = "s"
        if needs_escape(value):
            cell.quotePrefix = True
    elif cell.data_type == "f":  # a formula set by other means (a str subclass, a data type forced)
        cell.value = str(value)
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def cell(ws, value, **style) -> Cell:
    """A cell of a write-only sheet holding `value` (a text never a formula), with openpyxl styles
    (font=, fill=, number_format= …) set on it."""
    c = WriteOnlyCell(ws, value=value)
    for name, v in style.items():
        setattr(c, name, v)
    return neutralise(c)


def append(ws, values: Iterable) -> None:
    """Appends a row to a write-only sheet: plain values become neutralised cells, cells made by
    `cell()` and None are kept."""
    ws.append([v if v is None or isinstance(v, Cell) else cell(ws, v) for v in values])


def save(wb: Workbook, out) -> None:
    """Writes the workbook to `out` (a path or a binary file): every text cell neutralised first (an
    ordinary workbook; a write-only one was neutralised as its rows were appended)."""
    if not wb.write_only:
        for ws in wb.worksheets:
            # The cells that exist (iter_rows would create every cell of the sheet's extent).
            for c in list(ws._cells.values()):
                if c.value is not None:
                    neutralise(c)
    wb.save(out)
