"""XLSX out: every list page (with its filters) and a blank template per ledger.

A ledger's sheet has exactly the importer's layout (mapping.py: the canonical headers with their
units, money in the column's unit), so a sheet exported here, edited in Excel and imported again
changes exactly the edited cells. A list whose model has no ledger is exported with its model's
fields (`FieldColumn`), in the same style.

What a Chinese Excel user expects: the header row frozen, column widths fitting Chinese text (a
CJK character counts double), money in 万元 as `#,##0.00`, counts `#,##0`, years `0`, dates as
real dates `yyyy-mm-dd`; codes and names stored as text. The template adds a notes row above the
header, a comment per header cell and a drop-down list (data validation) per choice column; lists
too long for an inline list live on a hidden sheet.

Formula injection: cells are made and the workbook is written by the one XLSX writer,
`common/xlsx.py`: every text value is a string cell (never a formula, whatever it starts with), and
a text starting with = + - @ tab or CR also carries Excel's quote prefix. The value itself is the
original text: the importer reads it back unchanged and stores it as text.

Memory and queries: rows stream through openpyxl's write-only mode into a temporary file, fetched
with `iterator()` and the select_related joins the columns need: one query for any number of rows
(plus one per prefetched relation and chunk of `CHUNK` rows).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import chain, islice

from django.db import models
from django.http import FileResponse
from django.utils import timezone
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from yuanjiang.common import formatting, xlsx
from yuanjiang.interop import mapping

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARAM = "export"  # ?export=xlsx on any list page exports what the list's filters select
EXPORT_VALUE = "xlsx"

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
YEAR_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"

CHUNK = 2000  # rows fetched per round trip (and per prefetch query)
WIDTH_SAMPLE = 200  # rows looked at to size the columns before streaming the rest
MIN_WIDTH, MAX_WIDTH = 8, 50
VALIDATION_LAST_ROW = 1048576  # Excel's last row: drop-down lists apply to rows added later too
INLINE_LIST_MAX = 255  # Excel's limit for an inline list ("a,b,c"); longer lists go to a hidden sheet
LISTS_SHEET = "选项"
TRUE_LABEL, FALSE_LABEL = "是", "否"

# A text starting with one of these would be evaluated (or be a DDE payload) if typed into Excel.
INJECTION_PREFIXES = xlsx.INJECTION_PREFIXES

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_NOTES_FONT = Font(color="7F4F00")
_NOTES_FILL = PatternFill("solid", fgColor="FFF2CC")
_NOTES_ALIGN = Alignment(vertical="top", wrap_text=True)
_THIN = Side(style="thin", color="9BB7D9")
_HEADER_BORDER = Border(bottom=_THIN)


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldColumn:
    """A column of a list without a ledger: one model field, with the ledger columns' interface
    (field, header, kind, unit, choices, required, note, to_cell)."""

    field: str
    header: str
    kind: str
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    note: str = ""

    def to_cell(self, obj):
        value = getattr(obj, self.field)
        if value is None or value == "":
            return None
        if self.kind == "money":
            return Decimal(value) / Decimal(10000)
        if self.kind == "choice":
            return dict(self.choices).get(value, value)
        if self.kind == "fk":
            return str(value)
        if self.kind == "file":
            return value.name
        return value


@dataclass(frozen=True)
class Sheet:
    """What is exported: a ledger (mapping.Ledger) or a model's own fields."""

    label: str  # the sheet's and the file's name: 项目台账
    model: type
    columns: tuple
    kind: str | None = None  # the ledger's kind, None for a list without a ledger
    # Suggested values of a column that is not a choice (field → names): the townships of the
    # program a sheet is for. A drop-down list that accepts other values too (乡/镇 variants).
    suggestions: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _field_column(field) -> FieldColumn | None:
    from yuanjiang.common.fields import MoneyField

    label = str(field.verbose_name)
    if field.choices:
        return FieldColumn(
            field.name, label, "choice", choices=tuple((str(k), str(v)) for k, v in field.choices)
        )
    if isinstance(field, models.ForeignKey):
        return FieldColumn(field.name, label, "fk")
    if isinstance(field, MoneyField):
        return FieldColumn(field.name, formatting.ledger_header(label), "money", unit=formatting.LEDGER_UNIT)
    if isinstance(field, models.BooleanField):
        return FieldColumn(field.name, label, "bool")
    if isinstance(field, models.DateTimeField):
        return FieldColumn(field.name, label, "datetime")
    if isinstance(field, models.DateField):
        return FieldColumn(field.name, label, "date")
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return FieldColumn(field.name, label, "int")
    if isinstance(field, (models.DecimalField, models.FloatField)):
        return FieldColumn(field.name, label, "decimal")
    if isinstance(field, models.FileField):
        return FieldColumn(field.name, label, "file")
    if isinstance(field, (models.CharField, models.TextField)):
        return FieldColumn(field.name, label, "text")
    return None


_SKIPPED_FIELDS = {"id", "version", "created_at", "updated_at", "reviewed_by", "reviewed_at", "review_note"}


def model_columns(model) -> tuple[FieldColumn, ...]:
    """The columns of a model without a ledger: its concrete fields in declaration order, or those
    it declares in `export_columns` (field names, or (attribute, header, kind) for what a property
    reads)."""
    declared = getattr(model, "export_columns", None)
    if declared is not None:
        return tuple(
            FieldColumn(*spec) if isinstance(spec, tuple) else _field_column(model._meta.get_field(spec))
            for spec in declared
        )
    columns = []
    for field in model._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS or field.primary_key or isinstance(field, models.JSONField):
            continue
        column = _field_column(field)
        if column is not None:
            columns.append(column)
    return tuple(columns)


@dataclass(frozen=True)
class PathColumn:
    """A read-only column following a path of foreign keys to a record's name: the 援疆项目组 column
    of an export that spans several programs (a ledger leaves the program out: it is the import's
    target)."""

    field: str  # "program", "project__program"
    header: str
    kind: str = "fk"
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    note: str = ""

    def to_cell(self, obj):
        for part in self.field.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return str(obj)


def ledger_for_model(model):
    return mapping.ledger_for_model(model)


def sheet_for_model(model) -> Sheet:
    ledger = mapping.ledger_for_model(model)
    if ledger is not None:
        return Sheet(ledger.label, ledger.model, tuple(ledger.columns), ledger.kind)
    return Sheet(str(model._meta.verbose_name_plural), model, model_columns(model))


def sheet_for_kind(kind: str) -> Sheet:
    """The ledger named `kind` (mapping.get raises KeyError for an unknown kind)."""
    ledger = mapping.get(kind)
    return Sheet(ledger.label, ledger.model, tuple(ledger.columns), ledger.kind)


# --- queries -------------------------------------------------------------------------------------


def related_paths(model, columns) -> tuple[list[str], list[str]]:
    """(select_related, prefetch_related) paths for the columns' fields: forward foreign keys are
    joined, reverse and many-to-many relations prefetched, so rows cost no query each."""
    select: list[str] = []
    prefetch: list[str] = []
    for column in columns:
        current, path = model, []
        for part in str(column.field).split("__"):
            try:
                field = current._meta.get_field(part)
            except Exception:  # a computed attribute, not a field: to_cell reads it
                break
            if not field.is_relation:
                break
            path.append(part)
            if field.many_to_many or field.one_to_many:
                prefetch.append("__".join(path))
                break
            current = field.related_model
            select.append("__".join(path))
    return sorted(set(select)), sorted(set(prefetch))


def export_rows(queryset, columns) -> Iterator:
    """The rows, streamed by chunks; a model declaring `prepare_rows(objs)` (the change log: what
    its create entries do not store) completes each chunk in a fixed number of queries."""
    select, prefetch = related_paths(queryset.model, columns)
    if select:
        queryset = queryset.select_related(*select)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    rows = queryset.iterator(chunk_size=CHUNK)
    prepare = getattr(queryset.model, "prepare_rows", None)
    return rows if prepare is None else _prepared(rows, prepare)


def _prepared(rows, prepare) -> Iterator:
    chunk = []
    for obj in rows:
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from prepare(chunk)
            chunk = []
    if chunk:
        yield from prepare(chunk)


# --- cells ---------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in Excel's character units: a CJK (wide or full-width) character counts double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_year(column) -> bool:
    return str(column.field).endswith("year") or "年度" in column.header or "年份" in column.header


def number_format(column) -> str | None:
    kind = column.kind
    if kind == "money":
        return MONEY_FORMAT
    if kind == "int":
        return YEAR_FORMAT if _is_year(column) else INT_FORMAT
    if kind == "date":
        return DATE_FORMAT
    if kind == "datetime":
        return DATETIME_FORMAT
    if kind in ("text", "choice", "fk", "file"):
        return TEXT_FORMAT
    return None


def cell_value(value):
    """The value as openpyxl should store it: text cleaned of characters XML cannot hold, booleans as
    是/否, aware datetimes in local time (Excel has no time zones), floats never (money is Decimal)."""
    if isinstance(value, bool):
        return TRUE_LABEL if value else FALSE_LABEL
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, str):
        return xlsx.clean(value)
    if isinstance(value, Decimal) and value.as_tuple().exponent > 0:
        return value.quantize(Decimal(1))  # 4.8E+2 (a normalized 480) written as 480
    if value is not None and not isinstance(value, (int, Decimal, dt.date, float)):
        return str(value)
    return value


needs_escape = xlsx.needs_escape


def make_cell(ws, value, fmt: str | None):
    """One cell of a data row (None for an empty one)."""
    value = cell_value(value)
    if value is None or value == "":
        return None
    cell = xlsx.cell(ws, value)  # a text: never a formula (=…) or an error code (#N/A)
    if isinstance(value, str):
        if fmt == TEXT_FORMAT:
            cell.number_format = TEXT_FORMAT
    elif fmt and fmt != TEXT_FORMAT:
        cell.number_format = fmt
    return cell


def _shown(value, column) -> str:
    """Roughly what Excel shows, to size the column."""
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, (int, Decimal, float)):
        return f"{Decimal(str(value)):,.2f}"
    if isinstance(value, dt.datetime):
        return "2024-01-01 00:00"
    if isinstance(value, dt.date):
        return "2024-01-01"
    return str(cell_value(value))


def column_widths(columns, sample: list[list]) -> list[float]:
    widths = []
    for i, column in enumerate(columns):
        longest = display_width(column.header)
        for row in sample:
            text = _shown(row[i], column)
            if text:
                longest = max(longest, max(display_width(line) for line in text.splitlines() or [""]))
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


# --- the workbook --------------------------------------------------------------------------------


def _choice_labels(column) -> list[str]:
    if column.kind == "bool":
        return [TRUE_LABEL, FALSE_LABEL]
    if column.kind == "choice":
        return [label for _value, label in column.choices]
    return []


def notes_text(sheet: Sheet) -> str:
    required = [c.header for c in sheet.columns if c.required]
    parts = [
        f"{sheet.label}填写说明：第2行为表头，请勿改动表头文字；从第3行起每行填写一条记录。",
        f"必填列：{'、'.join(required)}。" if required else "",
        "金额按表头所示单位填写（如“万元”）；日期写作2024-05-01（也可写2024年5月1日）；"
        "带下拉箭头的列请从列表中选择；表头单元格的批注说明每列的要求。",
    ]
    return "".join(parts)


def _header_comment(column) -> Comment | None:
    lines = []
    if column.required:
        lines.append("必填。")
    if column.unit:
        lines.append(f"单位：{column.unit}。")
    labels = _choice_labels(column)
    if labels:
        shown = "、".join(labels[:20]) + ("……" if len(labels) > 20 else "")
        lines.append(f"可选：{shown}。")
    if column.kind == "date":
        lines.append("日期，如2024-05-01。")
    if column.note:
        lines.append(str(column.note))
    if not lines:
        return None
    comment = Comment("\n".join(lines), "援疆成效台账")
    comment.width, comment.height = 240, 120
    return comment


def _add_validations(wb, ws, columns, first_row: int, suggestions: dict | None = None) -> None:
    lists_ws = None
    list_col = 0
    rows: list[list] = []
    suggestions = suggestions or {}
    for index, column in enumerate(columns, start=1):
        labels = _choice_labels(column)
        strict = True
        if not labels and suggestions.get(column.field):
            labels, strict = list(suggestions[column.field]), False
        if not labels:
            continue
        letter = get_column_letter(index)
        inline = ",".join(labels)
        if len(inline) <= INLINE_LIST_MAX and not any("," in label or '"' in label for label in labels):
            formula = f'"{inline}"'
        else:
            if lists_ws is None:
                lists_ws = wb.create_sheet(LISTS_SHEET)
                lists_ws.sheet_state = "hidden"
            list_col += 1
            for r, label in enumerate(labels):
                while len(rows) <= r:
                    rows.append([])
                rows[r].extend([None] * (list_col - 1 - len(rows[r])))
                rows[r].append(label)
            lists_letter = get_column_letter(list_col)
            formula = f"{quote_sheetname(LISTS_SHEET)}!${lists_letter}$1:${lists_letter}${len(labels)}"
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=strict,
            errorTitle="输入有误",
            error=f"「{column.header}」请从下拉列表中选择。",
            showInputMessage=False,
        )
        dv.add(f"{letter}{first_row}:{letter}{VALIDATION_LAST_ROW}")
        ws.data_validations.append(dv)
    if lists_ws is not None:
        for row in rows:
            xlsx.append(lists_ws, row)


def sheet_title(label: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in label)[:31] or "Sheet1"


def write_workbook(out, sheet: Sheet, objects: Iterable = (), *, template: bool = False) -> int:
    """Write `objects` (model instances) as `sheet` to the binary file `out`; return the row count.

    Export: row 1 the header, data from row 2. Template: row 1 the notes, row 2 the header, no data.
    Both: the header frozen, validations on choice columns, widths and number formats per column.
    """
    columns = sheet.columns
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(sheet.label))
    formats = [number_format(c) for c in columns]
    rows = (tuple(column.to_cell(obj) for column in columns) for obj in objects)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(columns, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = 2 if template else 1
    ws.freeze_panes = f"A{header_row + 1}"
    if template:
        notes = xlsx.cell(ws, notes_text(sheet), font=_NOTES_FONT, fill=_NOTES_FILL, alignment=_NOTES_ALIGN)
        ws.row_dimensions[1].height = 48
        ws.merged_cells.add(f"A1:{get_column_letter(max(len(columns), 1))}1")
        ws.append([notes])
    header = []
    for column in columns:
        cell = xlsx.cell(ws, column.header)
        cell.font, cell.fill, cell.alignment, cell.border = (
            _HEADER_FONT,
            _HEADER_FILL,
            _HEADER_ALIGN,
            _HEADER_BORDER,
        )
        if template:
            cell.comment = _header_comment(column)
        header.append(cell)
    ws.append(header)
    count = 0
    for values in chain(sample, rows):
        ws.append([make_cell(ws, v, fmt) for v, fmt in zip(values, formats, strict=True)])
        count += 1
    _add_validations(wb, ws, columns, header_row + 1, dict(sheet.suggestions))
    xlsx.save(wb, out)
    return count


def for_program(sheet: Sheet, program) -> Sheet:
    """`sheet` with the program's townships suggested in its township columns."""
    fields = [c.field for c in sheet.columns if tuple(getattr(c, "lookups", ())) == ("township",)]
    if not fields or program is None:
        return sheet
    names = tuple(program.townships().values_list("name", flat=True))
    return replace(sheet, suggestions=tuple((f, names) for f in fields))


def with_program_column(sheet: Sheet) -> Sheet:
    path = getattr(sheet.model, "scope_path", None)
    if not path or path == "self_program":
        return sheet
    column = PathColumn(path, "援疆项目组")
    return replace(sheet, columns=(column, *sheet.columns))


# --- files and responses -------------------------------------------------------------------------


def export_queryset(out, sheet: Sheet, queryset) -> int:
    return write_workbook(out, sheet, export_rows(queryset, sheet.columns))


def _safe_name(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


def filename(label: str, scope: str, on: dt.date | None = None) -> str:
    """项目台账_南通工作组_20261129.xlsx (without the scope when there is none)."""
    on = on or timezone.localdate()
    return _safe_name("_".join(part for part in (label, scope, f"{on:%Y%m%d}") if part) + ".xlsx")


def template_filename(sheet: Sheet) -> str:
    return _safe_name(f"{sheet.label}_模板.xlsx")


def program_label(program) -> str:
    """A program's short name in file names: the provider's short name (南通工作组), else its name."""
    provider = getattr(program, "provider", None)
    return (getattr(provider, "short_name", "") or "") or program.name


def programs_of(queryset, limit: int = 2) -> list:
    """Up to `limit` programs the rows of `queryset` belong to (one query)."""
    from yuanjiang.org.models import Program

    path = getattr(queryset.model, "scope_path", None)
    if not path or path == "self_program":
        return []
    ids = queryset.order_by().values(path)
    return list(Program.objects.filter(pk__in=ids).select_related("provider").order_by("pk")[:limit])


def scope_label(user) -> str:
    """The file name's scope when the rows are not one program's: the user's organization, or 全部."""
    from yuanjiang.accounts import scoping

    for membership in scoping._memberships(user) if user.is_authenticated else ():
        if membership.organization_id:
            return membership.organization.short_name or membership.organization.name
    return "全部"


def list_queryset(view):
    """Exactly the rows the list view shows on all its pages: its filterset's queryset, built on the
    view's scoped queryset (accounts.scoping), so never more than the user may see."""
    filterset = view.get_filterset(view.get_filterset_class())
    if not filterset.is_bound or filterset.is_valid() or not view.get_strict():
        return filterset.qs
    return filterset.queryset.none()


def export_list(view) -> FileResponse:
    """The response of a list page (common.views.ObjectListView) asked for `?export=xlsx`."""
    return export_response(view.request, view.model, list_queryset(view))


def wants_export(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == EXPORT_VALUE


def export_response(request, model, queryset) -> FileResponse:
    """`queryset` (already scoped and filtered by the list it comes from) as an XLSX download, named
    项目台账_南通工作组_20261129.xlsx; a 援疆项目组 column leads when the rows span several programs."""
    sheet = sheet_for_model(model)
    programs = programs_of(queryset)
    if len(programs) > 1:
        sheet = with_program_column(sheet)
    elif programs:
        sheet = for_program(sheet, programs[0])
    scope = program_label(programs[0]) if len(programs) == 1 else scope_label(request.user)
    if getattr(model, "shared", False):
        scope = ""
    name = filename(sheet.label, scope)
    return file_response(lambda out: export_queryset(out, sheet, queryset), name)


def file_response(write, name: str) -> FileResponse:
    """Run `write(file)` into a temporary file (rows stream to disk, not memory) and send it with an
    RFC 5987 Content-Disposition (filename*=utf-8''…), so Chinese names arrive intact."""
    tmp = tempfile.TemporaryFile()
    write(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
