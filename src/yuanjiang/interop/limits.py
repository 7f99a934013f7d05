"""Limits a ledger file is checked against before anything parses it, and the memory ceiling the
parse runs under.

A workbook's size on disk says little about what parsing it costs: a 1.5 KB .xlsx with one cell in
A2 and one in XFD1048576 makes the reader allocate 2^20 x 2^14 cells (550 GB), a 400 KB zip inflates
to gigabytes. So, before python-calamine sees an .xlsx:

- the zip directory: at most `MAX_MEMBERS` members, their declared uncompressed sizes add up to at
  most `IMPORT_MAX_UNCOMPRESSED_MB`, no large member compressed more than `IMPORT_MAX_ZIP_RATIO`
  times (zipfile then never inflates a member past its declared size: it stops and fails the CRC);
- every XML member, streamed: no DTD (Excel writes none; a DTD is how billion laughs and XXE come
  in); each sheet's `<dimension>` (its first bytes) and then every row and cell reference: the
  sheet's extent, rows x columns, is what the reader allocates, and it must stay within
  `IMPORT_MAX_ROWS`, `IMPORT_MAX_COLUMNS` and `IMPORT_MAX_CELLS`.

Then the parse itself (.xlsx and .xls) runs in a child process under an address-space limit of
`IMPORT_MEMORY_MB` and a time limit of `IMPORT_TIMEOUT_SECONDS` (`parse_child.py`): whatever a file
gets past the checks, it cannot take the server's worker with it. Every refusal is a `ReadError`
with a Chinese message (400 on the web, exit 2 on the command line).

No Django import here at module level: `parse_child` runs without Django.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_MEMBERS = 10_000
_RATIO_MIN_SIZE = 1024 * 1024  # small members may compress as well as they like
_CHUNK = 1024 * 1024

DEFAULTS = {
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 100_000,
    "IMPORT_MAX_COLUMNS": 200,
    "IMPORT_MAX_CELLS": 3_000_000,
    "IMPORT_MAX_UNCOMPRESSED_MB": 100,
    "IMPORT_MAX_ZIP_RATIO": 200,
    "IMPORT_MEMORY_MB": 1024,
    "IMPORT_TIMEOUT_SECONDS": 120,
}


class LimitError(Exception):
    """Past a limit (the message is Chinese and says which, and where)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_uncompressed: int  # bytes
    max_ratio: int
    memory: int  # bytes of address space for the parse
    timeout: int  # seconds

    def as_args(self) -> list[str]:
        return [
            str(v)
            for v in (
                self.max_bytes,
                self.max_rows,
                self.max_columns,
                self.max_cells,
                self.max_uncompressed,
                self.max_ratio,
                self.memory,
                self.timeout,
            )
        ]

    @classmethod
    def from_args(cls, args: list[str]) -> Limits:
        return cls(*(int(a) for a in args))


def current() -> Limits:
    """The limits of the settings (`config/settings.py`, YJ_IMPORT_* variables)."""
    from django.conf import settings

    def get(name):
        return int(getattr(settings, name, DEFAULTS[name]))

    return Limits(
        max_bytes=get("IMPORT_MAX_BYTES"),
        max_rows=get("IMPORT_MAX_ROWS"),
        max_columns=get("IMPORT_MAX_COLUMNS"),
        max_cells=get("IMPORT_MAX_CELLS"),
        max_uncompressed=get("IMPORT_MAX_UNCOMPRESSED_MB") * 1024 * 1024,
        max_ratio=get("IMPORT_MAX_ZIP_RATIO"),
        memory=get("IMPORT_MEMORY_MB") * 1024 * 1024,
        timeout=get("IMPORT_TIMEOUT_SECONDS"),
    )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}MB" if n >= 1024 * 1024 else f"{n / 1024:.0f}KB"


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_extent(where: str, rows: int, columns: int, limits: Limits, dense: bool = True) -> None:
    """Rows and columns within the limits; for a dense extent (what a workbook reader allocates)
    their product too."""
    if columns > limits.max_columns:
        raise LimitError(
            f"{where}有{columns}列，超过{limits.max_columns}列的上限，不像是一张台账"
            "（可能在很远的单元格里有内容或格式）。请删去多余的列后另存再导入。"
        )
    if rows > limits.max_rows + 1:
        raise LimitError(
            f"{where}有{rows}行，超过{limits.max_rows}行的上限（可能在很远的单元格里有内容或格式）。"
            "请拆分后分别导入。"
        )
    if dense and rows * columns > limits.max_cells:
        raise LimitError(
            f"{where}的范围是{rows}行×{columns}列，共{rows * columns}个单元格，超过{limits.max_cells}个的上限。"
            "请删去空白的行和列，或拆分后分别导入。"
        )


# A row or cell start tag (any namespace prefix), not <col>, <cols>, <cfRule> …
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,4})?([0-9]{1,9})["']""")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*[\s/>]")


class _Patterns:
    """The row and cell tags of one XML part, for its namespace prefix (most often none): a pattern
    that starts with a literal is searched for fast."""

    def __init__(self, prefix: bytes):
        p = b"<" + re.escape(prefix)
        self.cell_tag = re.compile(p + rb"c[\s/>]")
        self.row_tag = re.compile(p + rb"row[\s/>]")
        self.cell_ref = re.compile(p + rb"""c\s[^>]*?\br\s*=\s*["']([A-Z]{1,4})([0-9]{1,9})["']""")
        self.row_ref = re.compile(p + rb"""row\s[^>]*?\br\s*=\s*["']([0-9]{1,9})["']""")


_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*ref\s*=\s*["']([^"']*)["']""")
_RANGE_END = re.compile(r"([A-Z]{1,4})([0-9]{1,9})$")
_DOCTYPE = b"<!DOCTYPE"


class _SheetScan:
    """Follows row and cell start tags through a sheet's XML, as the reader places them: a row
    without r= is the next row, a cell without r= the next column."""

    def __init__(self, where: str, limits: Limits):
        self.where = where
        self.limits = limits
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.checked_dimension = False
        self.patterns = _Patterns(b"")

    def dimension(self, head: bytes) -> None:
        """From the part's first bytes: its root's namespace prefix, and the sheet's <dimension>."""
        self.checked_dimension = True
        root = _ROOT.search(head)
        self.patterns = _Patterns(root.group(1) or b"" if root else b"")
        m = _DIMENSION.search(head)
        if not m:
            return
        end = _RANGE_END.search(m.group(1).decode("ascii", "replace").upper())
        if end:
            check_extent(self.where, int(end.group(2)), column_number(end.group(1)), self.limits)

    def feed(self, text: bytes) -> None:
        """The tags of `text` (whole tags only). Where every row and cell carries its reference, as
        spreadsheet programs write them, the extent comes from the references (regular expressions
        over the chunk, no Python step per cell); otherwise tag by tag."""
        pat = self.patterns
        cells = pat.cell_ref.findall(text)
        rows = pat.row_ref.findall(text)
        if len(cells) == len(pat.cell_tag.findall(text)) and len(rows) == len(pat.row_tag.findall(text)):
            numbers = set(rows)
            if cells:
                letters, cell_rows = zip(*cells, strict=True)
                widest = max(set(letters), key=lambda b: (len(b), b))
                self.max_col = max(self.max_col, column_number(widest.decode()))
                numbers.update(cell_rows)
            if numbers:
                self.max_row = max(self.max_row, *map(int, numbers))
            if rows:
                self.row, self.col = int(rows[-1]), 0
            check_extent(self.where, self.max_row, self.max_col, self.limits)
            return
        self._feed_tags(text)

    def _feed_tags(self, text: bytes) -> None:
        for m in _TAG.finditer(text):
            ref = _REF_ATTR.search(m.group(2))
            if m.group(1) == b"row":
                self.row = int(ref.group(2)) if ref else self.row + 1
                self.col = 0
            else:
                if ref and ref.group(1):
                    self.col = column_number(ref.group(1).decode())
                    self.row = max(int(ref.group(2)), self.row)
                else:
                    self.col += 1
            if self.row > self.max_row or self.col > self.max_col:
                self.max_row = max(self.max_row, self.row)
                self.max_col = max(self.max_col, self.col)
                check_extent(self.where, self.max_row, self.max_col, self.limits)


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*["']([^"']*)["']""")


def _sheet_names(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Member path -> sheet name, from workbook.xml and its relationships (best effort)."""
    try:
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return {}
        if zf.getinfo("xl/workbook.xml").file_size > 10 * _CHUNK:
            return {}
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"").decode()] = target
    found = {}
    for tag in _SHEET_ENTRY.findall(book):
        attrs = {k.split(b":")[-1] if k != b"name" else k: v for k, v in _ATTR.findall(tag)}
        rid = attrs.get(b"id", b"").decode()
        if rid in targets:
            import html

            found[targets[rid]] = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
    return found


def check_xlsx(data: bytes, limits: Limits, filename: str = "") -> None:
    """Refuses a zip-based workbook past the limits, reading its directory, then streaming every
    member (never more than its declared size, never more than the limit in all)."""
    name = filename or "文件"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise LimitError(
            f"“{name}”不是有效的Excel文件（文件可能已损坏或不完整），请在Excel中打开后另存为.xlsx再导入。"
        ) from exc
    if len(infos) > MAX_MEMBERS:
        raise LimitError(f"“{name}”包含{len(infos)}个部件，超过{MAX_MEMBERS}个的上限，不像是一个Excel台账。")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise LimitError(
            f"“{name}”解压后有{_mb(total)}，超过{_mb(limits.max_uncompressed)}的上限。请拆分后分别导入。"
        )
    for info in infos:
        if info.file_size > _RATIO_MIN_SIZE and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise LimitError(
                f"“{name}”中的“{info.filename}”压缩比异常（{_mb(info.compress_size)}解压后为{_mb(info.file_size)}），"
                "不像是正常的Excel文件，未导入。"
            )
    names = {i.filename for i in infos}
    sheets = _sheet_names(zf, names)
    for info in infos:
        if info.is_dir():
            continue
        sheet = sheets.get(info.filename)
        where = f"工作表“{sheet}”" if sheet else f"“{name}”中的“{info.filename}”"
        scan = _SheetScan(where, limits)
        _stream(zf, info, scan, name)


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _SheetScan, name: str) -> None:
    tail = b""
    try:
        with zf.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                buf = tail + chunk
                if _DOCTYPE in buf:
                    raise LimitError(
                        f"“{name}”中的“{info.filename}”含有DTD声明（<!DOCTYPE），Excel不会写入这种内容，"
                        "可能是恶意文件，未导入。"
                    )
                if not scan.checked_dimension:
                    scan.dimension(buf[:65536])
                cut = buf.rfind(b"<")
                if cut < 0 or len(buf) - cut > 65536:
                    cut = len(buf)
                scan.feed(buf[:cut])
                tail = buf[cut:]
            scan.feed(tail)
    except LimitError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise LimitError(
            f"“{name}”不是有效的Excel文件（“{info.filename}”无法解压，文件可能已损坏或不完整），"
            "请在Excel中打开后另存为.xlsx再导入。"
        ) from exc
