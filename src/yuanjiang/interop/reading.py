"""Reading a ledger file: .xlsx / .xls (python-calamine) or .csv (UTF-8 or GB18030), then finding
the header row (titles and notes above it, a two-row or merged header), mapping the columns to a
Ledger's by header and synonym, and the data rows (blank rows, notes and 合计 / 小计 rows apart).

Everything that goes wrong is a `ReadError` with a Chinese message; nothing here touches the
database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from yuanjiang.interop import limits, parse_child
from yuanjiang.interop.mapping import (
    IGNORED_HEADERS,
    MONEY_UNITS,
    Column,
    Ledger,
    normalize_header,
    split_header,
)

# Files above this size are refused before anything is read (a ledger of 50 000 rows is ~10 MB); the
# other limits are settings (YJ_IMPORT_*, limits.py).
MAX_BYTES = limits.DEFAULTS["IMPORT_MAX_BYTES"]
HEADER_SEARCH_ROWS = 30

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

PROGRAM_HEADERS = ("援疆项目组", "项目组", "所属项目组", "援疆项目组(任期)", "工作组")
TOTAL_WORDS = ("合计", "总计", "小计", "累计合计", "总合计")
FOOTER_PREFIXES = (
    "填表人",
    "审核人",
    "制表人",
    "制表",
    "填报人",
    "负责人",
    "注:",
    "注：",
    "说明",
    "备注:",
    "备注：",
)
NOTE_PREFIXES = ("填写", "注:", "说明", "单位:", "日期如", "例:", "如:", "必填", "选填")


class ReadError(Exception):
    """The file cannot be read as a ledger (the message is Chinese and says why)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # cell values as calamine / csv give them; row i is the sheet's row i + 1
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class MappedColumn:
    index: int  # 0-based column index in the sheet
    header: str  # the header as written (two-row headers joined with "/")
    column: Column | None  # None: not mapped (reported), or ignored (序号)
    factor: object = None  # money: Decimal factor to 元 from the header's unit
    unit: str = ""  # the unit the header states ("万元", "元", "人次" …)


@dataclass
class Table:
    sheet: str
    header_rows: tuple[int, ...]  # 1-based sheet row numbers of the header
    columns: list[MappedColumn]
    rows: list[tuple[int, list]]  # (1-based sheet row number, cells) of data rows
    totals: list[tuple[int, str, list]]  # (row number, "合计" or "小计", cells)
    unmapped: list[str]
    warnings: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    # A column naming each row's program (援疆项目组, as a supervisor's export writes it): rows must
    # name the program imported into.
    program_column: MappedColumn | None = None

    @property
    def mapped(self) -> list[MappedColumn]:
        return [c for c in self.columns if c.column is not None]


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def detect_format(data: bytes, filename: str = "") -> str:
    """ "xlsx", "xls" or "csv" from the file's content (the name only breaks ties)."""
    if data.startswith(_ZIP):
        return "xlsx"
    if data.startswith(_OLE):
        if _ENCRYPTED_MARK in data:
            raise ReadError("文件已加密（设置了打开密码），无法读取。请在Excel中取消密码后另存，再导入。")
        return "xls"
    head = data[:4096]
    if b"\x00" in head:
        raise ReadError(f"“{filename or '文件'}”不是Excel或CSV表格文件，请上传 .xlsx、.xls 或 .csv 文件。")
    lowered = head.lower()
    if lowered.lstrip().startswith((b"%pdf", b"<!doctype", b"<html", b"\x89png", b"\xff\xd8")):
        raise ReadError(f"“{filename or '文件'}”不是Excel或CSV表格文件，请上传 .xlsx、.xls 或 .csv 文件。")
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # Text under an Excel name: a renamed file or a broken download, not a ledger to guess at.
        raise ReadError(
            f"“{filename}”的扩展名是Excel文件，但内容不是Excel表格（可能已损坏，或是改了扩展名的其他文件）。"
            "请在Excel中打开并另存为 .xlsx 后再导入。"
        )
    return "csv"


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(
            "CSV文件的编码无法识别（既不是UTF-8也不是GB18030/GBK），请在Excel中另存为.xlsx后再导入。"
        ) from exc


def read_sheets(data: bytes, filename: str = "") -> list[Sheet]:
    """Every sheet of the file, as rows of cell values. Refuses large, hostile and unreadable files:
    the limits (`limits.py`) are checked before anything parses the file, and workbooks are parsed
    in a child process under a memory ceiling."""
    lim = limits.current()
    if len(data) > lim.max_bytes:
        raise ReadError(
            f"文件有{len(data) / 1024 / 1024:.1f}MB，超过{lim.max_bytes // 1024 // 1024}MB的上限。请按年度或类别拆分后分别导入。"
        )
    if not data:
        raise ReadError("文件是空的。")
    fmt = detect_format(data, filename)
    if fmt == "csv":
        return [Sheet("CSV", _read_csv(decode_csv(data), lim))]
    try:
        if fmt == "xlsx":
            limits.check_xlsx(data, lim, filename)
        outcome, value = parse_child.run(data, lim)
    except (limits.LimitError, parse_child.ParseFailed) as exc:
        raise ReadError(str(exc)) from None
    if outcome == "limit":
        raise ReadError(value)
    if outcome == "unreadable":
        name = filename or "文件"
        if value != "open":
            raise ReadError(f"工作表“{value}”无法读取（文件可能已损坏）。")
        if fmt == "xlsx":
            raise ReadError(
                f"“{name}”不是有效的Excel文件（文件可能已损坏或不完整），请在Excel中打开后另存为.xlsx再导入。"
            )
        raise ReadError(f"“{name}”无法作为Excel文件读取（文件可能已损坏或已加密）。")
    return [Sheet(name, rows, merged) for name, rows, merged in value]


def _read_csv(text: str, lim: limits.Limits) -> list[list]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row)
            width = max(width, len(row))
            # Checked row by row: a line of a million commas is refused when read, not after.
            limits.check_extent("文件", len(rows), width, lim, dense=False)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"CSV文件第{len(rows) + 1}行有单元格内容超过{csv.field_size_limit()}个字符，不像是台账内容，请检查文件。"
            ) from exc
        raise ReadError(f"CSV文件格式有误：{exc}") from exc
    except limits.LimitError as exc:
        raise ReadError(str(exc)) from None
    return rows


def _cell_text(value) -> str:
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fill_merged(sheet: Sheet) -> list[list]:
    """Rows with each merged range's value copied into every cell of the range (headers only)."""
    rows = [list(r) for r in sheet.rows[: HEADER_SEARCH_ROWS + 2]]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            while len(row) <= c1:
                row.append("")
            for c in range(c0, c1 + 1):
                if _is_blank(row[c]):
                    row[c] = value
    return rows


class _Names:
    """The header names of a ledger's columns, normalised, for matching."""

    def __init__(self, ledger: Ledger):
        self.by_name: dict[str, Column] = {}
        for column in ledger.columns:  # canonical headers first: they win over synonyms
            for name in column.header_names()[:2]:
                self.by_name.setdefault(name, column)
        for column in ledger.columns:
            for name in column.header_names():
                self.by_name.setdefault(name, column)
        self.ignored = {normalize_header(h) for h in IGNORED_HEADERS}

    def match(self, text: str) -> Column | None:
        if not text:
            return None
        full = normalize_header(text)
        if full in self.by_name:
            return self.by_name[full]
        base, _bracket = split_header(text)
        return self.by_name.get(base)

    def is_ignored(self, text: str) -> bool:
        return normalize_header(text) in self.ignored


def _unit_of_header(text: str) -> str:
    norm = normalize_header(text)
    _base, bracket = split_header(text)
    for unit in ("亿元", "万元", "元"):
        if bracket == unit or bracket.endswith(unit) or norm.endswith(unit) or f"({unit})" in norm:
            return unit
    return bracket


_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(亿元|万元|元)")


def _stated_unit(rows: list[list]) -> str:
    """The money unit a line above the header states for the whole sheet ("单位：万元"), or ""."""
    for row in rows:
        for value in row:
            if isinstance(value, str):
                m = _UNIT_LINE.search(normalize_header(value))
                if m:
                    return m.group(1)
    return ""


def _headers_for(rows: list[list], r: int, two: bool, width: int) -> list[str]:
    top = rows[r] if r < len(rows) else []
    bottom = rows[r + 1] if two and r + 1 < len(rows) else []
    result = []
    for c in range(width):
        t = _cell_text(top[c]) if c < len(top) else ""
        b = _cell_text(bottom[c]) if c < len(bottom) else ""
        if two and b and t and t != b:
            result.append(f"{t}/{b}")
        else:
            result.append(t or b)
    return result


NOTE_MIN_LENGTH = 20  # a single text this long above a header is a title or instructions


def _is_note_row(sheet: Sheet, r: int, width: int) -> bool:
    """Whether row r is a title or instruction line, not (part of) a header: one text only, merged
    across most of the table or long ("填写说明：第2行为表头……" above the template's header)."""
    row = sheet.rows[r] if r < len(sheet.rows) else []
    cells = [(c, v) for c, v in enumerate(row) if not _is_blank(v)]
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return False
    c, text = cells[0]
    wide = any(
        r0 == r and c0 <= c <= c1 and (c1 - c0 + 1) * 2 > max(width, 2)
        for (r0, c0), (_r1, c1) in sheet.merged
    )
    return wide or len(text.strip()) >= NOTE_MIN_LENGTH


def _subheader(sheet: Sheet, r: int) -> bool:
    """Whether row r + 1 continues the header of row r: only texts, and under a merged or blank cell
    of row r (援疆资金 over 计划 / 已拨付; 开工时间 over 计划 / 实际). A title or instruction row
    (`_is_note_row`) is never the top of a header."""
    width = max((len(row) for row in sheet.rows[: r + 2]), default=0)
    if _is_note_row(sheet, r, width):
        return False
    top = sheet.rows[r] if r < len(sheet.rows) else []
    below = sheet.rows[r + 1] if r + 1 < len(sheet.rows) else []
    cells = [(c, v) for c, v in enumerate(below) if not _is_blank(v)]
    if not cells or any(not isinstance(v, str) or _looks_numeric(v) for _c, v in cells):
        return False
    spans = [(c0, c1) for (r0, c0), (r1, c1) in sheet.merged if r0 == r and c1 > c0]
    for c, _v in cells:
        if c >= len(top) or _is_blank(top[c]) or any(c0 <= c <= c1 for c0, c1 in spans):
            return True
    return False


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s,.，．０-９%％/\-年月日]+", text.strip()))


def _match_header(names: _Names, header: str) -> Column | None:
    """A header, or a two-row header "援疆资金（万元）/计划", to a column."""
    if "/" not in header or names.match(header):
        return names.match(header)
    top, bottom = header.split("/", 1)
    tb, tbr = split_header(top)
    bb, bbr = split_header(bottom)
    bracket = bbr or tbr
    for candidate in (tb + bb, bb + tb):
        found = names.match(f"{candidate}({bracket})" if bracket else candidate)
        if found:
            return found
    return names.match(bottom) or None


def _score(names: _Names, headers: list[str]) -> int:
    seen = set()
    for h in headers:
        col = _match_header(names, h)
        if col is not None:
            seen.add(col.field)
    return len(seen)


def locate(sheet: Sheet, ledger: Ledger) -> Table:
    """The sheet's header and data rows, its columns mapped to the ledger's."""
    names = _Names(ledger)
    rows = _fill_merged(sheet)
    width = max((len(r) for r in sheet.rows), default=0)
    if not sheet.rows or all(all(_is_blank(v) for v in r) for r in sheet.rows):
        raise ReadError(f"工作表“{sheet.name}”是空的，没有可导入的内容。")
    best = (0, -1, False)
    for r in range(min(HEADER_SEARCH_ROWS, len(rows))):
        single = _score(names, _headers_for(rows, r, False, width))
        if single > best[0]:
            best = (single, r, False)
        if r + 1 < len(rows) and _subheader(sheet, r):
            two = _score(names, _headers_for(rows, r, True, width))
            if two >= max(single, 1) and two >= best[0]:
                best = (two, r, True)
    need = 2 if len(ledger.columns) > 2 else 1
    if best[0] < need:
        expected = "、".join(c.header for c in ledger.columns[:6])
        raise ReadError(
            f"工作表“{sheet.name}”的前{HEADER_SEARCH_ROWS}行中找不到{ledger.label}的表头"
            f"（应有“{expected}”等列）。请检查是否选错了台账类型，或表头是否写在表格顶部。"
        )
    _score_value, r, two = best
    headers = _headers_for(rows, r, two, width)
    columns: list[MappedColumn] = []
    unmapped: list[str] = []
    warnings: list[tuple[int | None, str | None, str]] = []
    taken: set[str] = set()
    program_column = None
    sheet_unit = _stated_unit(sheet.rows[:r])
    for c, header in enumerate(headers):
        if not header:
            continue
        column = _match_header(names, header)
        shown = header.replace("/", "·")
        if column is None and normalize_header(header) in PROGRAM_HEADERS and program_column is None:
            program_column = MappedColumn(c, shown, None)
            continue
        if column is None:
            if not names.is_ignored(header) and not names.is_ignored(header.split("/")[-1]):
                unmapped.append(shown)
            continue
        if column.field in taken:
            warnings.append((None, shown, f"与前面的列都对应“{column.label}”，只读取前一列，本列未导入。"))
            continue
        taken.add(column.field)
        unit = _unit_of_header(header.replace("/", ""))
        mapped = MappedColumn(c, shown, column, unit=unit)
        if column.kind == "money":
            if unit in MONEY_UNITS:
                mapped.factor = MONEY_UNITS[unit]
            elif sheet_unit:
                mapped.factor = MONEY_UNITS[sheet_unit]
                mapped.unit = sheet_unit
            else:
                mapped.factor = MONEY_UNITS[column.unit]
                mapped.unit = column.unit
                warnings.append((None, shown, f"未注明金额单位，按{column.unit}读取。"))
        columns.append(mapped)
    header_rows = (r + 1, r + 2) if two else (r + 1,)
    # A key field may be left out when another key identifies the rows (项目名称 without 项目编号).
    keyed = set()
    if any(all(f in taken for f in alt) for alt in ledger.keys):
        keyed = {f for alt in ledger.keys for f in alt}
    missing = [
        c.header for c in ledger.columns if c.required and c.field not in taken and c.field not in keyed
    ]
    if missing:
        raise ReadError(
            f"工作表“{sheet.name}”第{'、'.join(map(str, header_rows))}行的表头缺少必填列："
            + "、".join(f"「{m}」" for m in missing)
            + "。"
        )
    data_rows: list[tuple[int, list]] = []
    totals: list[tuple[int, str, list]] = []
    start = r + (2 if two else 1)
    notes = {normalize_header(c.column.note) for c in columns if c.column and c.column.note}
    for i in range(start, len(sheet.rows)):
        cells = sheet.rows[i]
        texts = [_cell_text(v) for v in cells]
        filled = [t for t in texts if t]
        if not filled:
            continue
        first = normalize_header(filled[0])
        if i == start and (
            sum(1 for t in filled if normalize_header(t) in notes or t.startswith(NOTE_PREFIXES)) * 2
            >= len(filled)
        ):
            continue  # the template's notes row under the header
        if first.replace(" ", "") in TOTAL_WORDS or any(
            normalize_header(t) in TOTAL_WORDS for t in texts[:3]
        ):
            word = next(
                normalize_header(t) for t in [*texts[:3], filled[0]] if normalize_header(t) in TOTAL_WORDS
            )
            totals.append((i + 1, "小计" if word == "小计" else "合计", cells))
            continue
        if len(filled) == 1 and filled[0].startswith(FOOTER_PREFIXES):
            continue
        data_rows.append((i + 1, cells))
    return Table(sheet.name, header_rows, columns, data_rows, totals, unmapped, warnings, program_column)


def choose_sheet(sheets: list[Sheet], ledger: Ledger) -> tuple[Table, list[str]]:
    """The first sheet in which the ledger's header is found (other sheets are named in notes)."""
    errors = []
    for sheet in sheets:
        if not sheet.rows or all(all(_is_blank(v) for v in r) for r in sheet.rows):
            errors.append(f"工作表“{sheet.name}”是空的")
            continue
        try:
            table = locate(sheet, ledger)
        except ReadError as exc:
            errors.append(str(exc))
            continue
        others = [s.name for s in sheets if s is not sheet and s.rows]
        return table, others
    if len(sheets) == 1 or not errors:
        raise ReadError(errors[0] if errors else "文件中没有工作表。")
    raise ReadError("；".join(errors))


def cell_repr(value) -> str:
    """A cell as the user sees it, for messages."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    text = _cell_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


_WS = re.compile(r"\s+")
