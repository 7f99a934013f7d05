"""Excel (XLSX) through openpyxl: a sheet of every figure (section, sentence, metric code, label, value,
unit, display, target), a roll-up sheet for an organization, and per section a sheet of the records
behind its figures. Each metric's records are one query (select_related), whatever their number.
Written by the one XLSX writer (`common/xlsx.py`): a record's text such as `=cmd|' /C calc'!A0` is
a text cell, never a formula."""

import datetime as dt
import io
import re
from decimal import Decimal

from django.db import models
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yuanjiang.common import formatting, xlsx
from yuanjiang.metrics import registry

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
TITLE_FONT = Font(bold=True, size=14)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", text)[:28] or "sheet"
    title, n = base, 2
    while title in used:
        title = f"{base[:26]}{n}"
        n += 1
    used.add(title)
    return title


def _header(ws, row: int, labels: list[str]):
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def plain_cell(obj, name: str):
    """A record's column as a plain spreadsheet value: choice labels, numbers, dates, names."""
    try:
        field = obj._meta.get_field(name)
    except Exception:
        field = None
    if field is not None and getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name, "")
    if callable(value) and not isinstance(value, models.Model):
        value = value()
    if hasattr(value, "label") and hasattr(value, "value"):
        return str(value.label)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date) and value.year < 1900:  # before Excel's calendar: written as text
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | int | float) or value is None:
        return value
    return str(value)


def _column_label(model, name: str) -> str:
    if name == "__str__":
        return str(model._meta.verbose_name)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        attr = getattr(model, name, None)
        fget = getattr(attr, "fget", None)
        return str(getattr(fget or attr, "short_description", name))


def _widths(ws, widths: dict[int, int]):
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _link(cell, url: str) -> None:
    """A clickable hyperlink (an absolute address; a bare path stays text: Excel would resolve it
    against the file's folder)."""
    if url.startswith(("http://", "https://")):
        cell.hyperlink = url
        cell.style = "Hyperlink"
        if cell.value is None or cell.value == "":
            cell.value = url


def render(report) -> bytes:
    wb = xlsx.workbook()
    used: set[str] = set()
    ws = wb.active
    ws.title = _sheet_title("全部数字", used)
    ws.cell(row=1, column=1, value=report.title).font = TITLE_FONT
    ws.cell(
        row=2,
        column=1,
        value=f"{report.scope.label} · 统计期 {report.period.start:%Y-%m-%d} 至 {report.period.end:%Y-%m-%d}",
    )
    columns = ["节", "句", "指标代码", "指标", "数值", "单位", "写法", "目标值", "是否达标", "记录链接"]
    _header(ws, 4, columns)
    row = 5
    for section in report.sections:
        for index, line in enumerate(section.lines, start=1):
            for f in line.figures:
                values = [
                    section.title,
                    f"{index}. {line.text}",
                    f.code,
                    f.label,
                    _number(f.value),
                    f.unit,
                    f.display,
                    _number(f.target),
                    ("未达目标" if f.behind else "已达目标") if f.target is not None else "",
                    report.absolute(f.url),
                ]
                for col, value in enumerate(values, start=1):
                    ws.cell(row=row, column=col, value=value)
                _link(ws.cell(row=row, column=len(values)), report.absolute(f.url))
                row += 1
    _widths(ws, {1: 14, 2: 60, 3: 34, 4: 18, 5: 16, 6: 8, 7: 14, 8: 12, 9: 10, 10: 50})
    ws.freeze_panes = "A5"

    if report.rollup:
        rs = wb.create_sheet(_sheet_title("各援疆项目组", used))
        programs = report.rollup.programs
        _header(rs, 1, ["指标代码", "指标", "单位", *[p.name for p in programs], "合计"])
        for r, line in enumerate(report.rollup.rows, start=2):
            values = [line.metric.code, line.metric.label, line.metric.unit]
            values += [_number(v) for v, _url in line.cells] + [_number(line.total)]
            for col, value in enumerate(values, start=1):
                rs.cell(row=r, column=col, value=value)
        _widths(rs, {1: 34, 2: 18, 3: 8})

    for section in report.sections:
        ss = wb.create_sheet(_sheet_title(f"{section.number}.{section.title}记录", used))
        ss.cell(row=1, column=1, value=f"{section.heading}：各数字计入的记录").font = TITLE_FONT
        row = 3
        seen = []
        for line in section.lines:
            for f in line.figures:
                if f.code in seen:
                    continue
                seen.append(f.code)
                metric = registry.get(f.code)
                qs = metric.records(report.scope, report.period)
                model = qs.model
                records = list(qs.select_related(*model.table_select_related).order_by(*model._meta.ordering))
                note = "（比率：下列为分母计入的记录）" if isinstance(metric, registry.RateMetric) else ""
                head = ss.cell(
                    row=row,
                    column=1,
                    value=f"{f.label}（{f.code}）= {formatting.exact(f.value, f.unit)}，{len(records)}条记录{note}",
                )
                head.font = HEADER_FONT
                row += 1
                cols = list(model.table_columns)
                _header(ss, row, ["记录编号", *[_column_label(model, c) for c in cols]])
                row += 1
                for obj in records:
                    id_cell = ss.cell(row=row, column=1, value=obj.pk)
                    if hasattr(obj, "get_absolute_url"):
                        _link(id_cell, report.absolute(obj.get_absolute_url()))
                    for col, name in enumerate(cols, start=2):
                        cell = ss.cell(row=row, column=col, value=plain_cell(obj, name))
                        if isinstance(cell.value, dt.date):
                            cell.number_format = "yyyy-mm-dd"
                    row += 1
                row += 1
        _widths(ss, {1: 10, 2: 14, 3: 30, 4: 24, 5: 12, 6: 12, 7: 14, 8: 14, 9: 14, 10: 14})
        for r in ss.iter_rows(min_row=1, max_row=1):
            for c in r:
                c.alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    xlsx.save(wb, out)
    return out.getvalue()
