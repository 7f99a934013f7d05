"""A cell's value as the field's value: the inverse of `Column.to_cell`.

Numbers: full-width digits, thousands separators, units in the cell (120万元, 1.2亿元, 350人次) read
with `yuanjiang.cnnum`; money converted to 元 from the header's unit (万元 unless it says otherwise).
Dates: Excel dates and serial numbers, 2023-04-15, 2023/4/15, 2023.4.15, 2023年4月15日, 20230415,
and months (2023年4月, 2023/04, 2023.4 → the 1st of the month). Choices by label or stored value.
Foreign keys are resolved by the importer (it holds the program's records).

`CellError` carries the message without its place; the importer adds 第N行「列」.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from yuanjiang.cnnum import ParseError, parse
from yuanjiang.cnnum.numerals import normalize
from yuanjiang.interop.mapping import FALSE_WORDS, MONEY_UNITS, TRUE_WORDS, Column, normalize_header
from yuanjiang.interop.reading import cell_repr

EMPTY_MARKS = ("", "-", "—", "——", "/", "／", "无", "暂无", "空", "n/a", "na")
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SEPARATORS = re.compile(r"[,，、'\s_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*(?:[月./\-]\s*(?:(\d{1,2})\s*[日号]?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class CellError(ValueError):
    """The cell's value does not fit its column (a Chinese message, without the row and column)."""


def is_empty(value, kind: str = "text") -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return True
        if kind != "text" and normalize_header(s) in EMPTY_MARKS:
            return True
    return False


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if value.time() != dt.time() else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return _CONTROL.sub("", str(value)).strip()


def _plain_number(s: str) -> Decimal | None:
    s = _SEPARATORS.sub("", normalize(unicodedata.normalize("NFKC", s)))
    if _NUMBER.match(s):
        return Decimal(s)
    return None


def _number(value) -> tuple[Decimal, str]:
    """(value, unit stated in the cell) of a numeric cell; the unit is "元" for an amount written with
    its unit or scaled by 万/亿 (120万元, 12万 → 1200000 元 / 120000), "" for a plain number."""
    if isinstance(value, bool):
        raise CellError(f"{cell_repr(value)} 不是数字")
    if isinstance(value, int):
        return Decimal(value), ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("不是有效数字")
        return Decimal(repr(value)), ""
    if isinstance(value, Decimal):
        return value, ""
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError(f"{cell_repr(value)} 是日期，不是数字")
    s = text(value)
    plain = _plain_number(s)
    if plain is not None:
        return plain, ""
    stripped = s.rstrip("%％")
    if stripped != s:
        plain = _plain_number(stripped)
        if plain is not None:
            return plain, "%"
    try:
        q = parse(_SEPARATORS.sub("", s))
    except ParseError as exc:
        raise CellError(f"{cell_repr(value)} 不是数字") from exc
    if q.qualifier != "exact":
        raise CellError(f"{cell_repr(value)} 不是确切的数字（请填写具体数值）")
    return q.value, q.unit or "×"


def money(value, factor: Decimal) -> Decimal:
    """An amount in 元 from a cell in the header's unit (`factor` 元 per unit), or with its own unit."""
    number, unit = _number(value)
    if unit in ("元", "×"):
        # cnnum reads 120万元 as 1200000 元 (万 is a multiplier), 120元 as 120, 12万 as 120000.
        amount = number
    elif unit:
        raise CellError(f"{cell_repr(value)} 的单位“{unit}”不是金额单位")
    else:
        amount = number * factor
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"{cell_repr(value)} 换算为元后超过2位小数（精确到分）")
    return amount.quantize(Decimal("0.01"))


def integer(value, column: Column) -> int:
    number, unit = _number(value)
    if unit and unit != "×" and column.unit and unit not in (column.unit, "人", "人次", "个", "%"):
        raise CellError(f"{cell_repr(value)} 的单位“{unit}”与本列的单位“{column.unit}”不符")
    if number != number.to_integral_value():
        raise CellError(f"{cell_repr(value)} 不是整数")
    return int(number)


def decimal(value, column: Column) -> Decimal:
    number, _unit = _number(value)
    places = Decimal(1).scaleb(-column.decimal_places)
    if number != number.quantize(places):
        raise CellError(f"{cell_repr(value)} 最多保留{column.decimal_places}位小数")
    return number


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer() or not 1 <= value <= 2958465:
            raise CellError(f"{cell_repr(value)} 不是有效日期")
        if 1900 <= value <= 2100:
            raise CellError(f"{cell_repr(value)} 只有年份，请填写到月或日（如 {int(value)}年4月）")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    s = normalize(unicodedata.normalize("NFKC", text(value)))
    m = _DATE.match(s) or _COMPACT_DATE.match(s)
    if not m:
        if re.fullmatch(r"\d{5}", s):  # an Excel serial written as text
            return date(int(s))
        raise CellError(f"{cell_repr(value)} 不是有效日期（应如 2023-04-15、2023年4月15日 或 2023年4月）")
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.group(3) else 1
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{s} 不是有效日期") from exc


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    s = normalize_header(text(value))
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise CellError(f"{cell_repr(value)} 不是“是”或“否”")


def choice(value, column: Column) -> str:
    found = column.choice_value(text(value))
    if found is None:
        labels = "、".join(label for _v, label in column.choices)
        raise CellError(f"{cell_repr(value)} 不是可选的值（可选：{labels}）")
    return found


def plain_text(value, column: Column) -> str:
    s = text(value)
    if column.max_length and len(s) > column.max_length:
        raise CellError(f"内容有{len(s)}个字，超过{column.max_length}个字的上限")
    return s


def convert(column: Column, value, factor: Decimal | None = None):
    """The field value of a non-FK cell (None for an empty cell). Raises CellError."""
    if is_empty(value, column.kind):
        return "" if column.kind == "text" else None
    if column.kind == "money":
        return money(value, factor or MONEY_UNITS[column.unit or "万元"])
    if column.kind == "int":
        return integer(value, column)
    if column.kind == "decimal":
        return decimal(value, column)
    if column.kind == "date":
        return date(value)
    if column.kind == "bool":
        return boolean(value)
    if column.kind == "choice":
        return choice(value, column)
    return plain_text(value, column)


def number_or_none(value, factor: Decimal | None, column: Column):
    """A 合计 cell's value, or None when it is not a number (a 合计 row may carry text)."""
    try:
        return convert(column, value, factor)
    except (CellError, InvalidOperation):
        return None
