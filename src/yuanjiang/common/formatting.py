"""Display of figures in the UI and exports: one place, built on cnnum.

- `honest` for prose and the figure cards of overviews (近1.95亿元), with the exact value on hover;
- `exact` where a figure stands alone with its unit (4800000 元 → 480万元; history, detail pages);
- `ledger` for money columns of tables: the column states the unit (援疆资金（万元）) and every cell is
  in that unit with a fixed number of decimals (480.00), as Chinese ledgers are; `full` is the exact
  value in 元 (hover, exports);
- no value (None: a rate whose denominator is 0) is "—", with a note saying why (EMPTY).
"""

from decimal import Decimal

from yuanjiang.cnnum import format_figure


def exact(value, unit: str) -> str:
    """Exact value, with 万/亿 only where they keep it exact: 4800000 元 → 480万元."""
    if value is None or value == "":
        return "—"
    return format_figure(Decimal(str(value)), unit, mode="exact")


def honest(value, unit: str, precision: int = 2) -> str:
    """Rounded the way official texts write it, never claiming more than the value: 3052000000 元 → 超30亿元."""
    if value is None or value == "":
        return "—"
    return format_figure(Decimal(str(value)), unit, mode="honest", precision=precision)


def money(value) -> str:
    return exact(value, "元")


EMPTY = "—"
# Money columns of tables and exports: the unit stated in the header, cells with fixed decimals.
LEDGER_UNIT = "万元"
LEDGER_PLACES = 2
_LEDGER_SCALE = Decimal(10000)


def ledger(value, places: int = LEDGER_PLACES) -> str:
    """An amount in 元 written in 万元 with fixed decimals, for a column headed （万元）: 4800000 → 480.00."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(str(value)) / _LEDGER_SCALE
    return f"{amount:,.{places}f}"


def ledger_header(label) -> str:
    """The header of a money column: 援疆资金（元） → 援疆资金（万元）."""
    text = str(label)
    for suffix in ("（元）", "（万元）", "(元)"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return f"{text}（{LEDGER_UNIT}）"


def full(value, unit: str) -> str:
    """The exact value in the base unit, all digits: 194550623 元 → 194,550,623.00元 (hover, exports)."""
    if value is None or value == "":
        return EMPTY
    d = Decimal(str(value))
    if unit == "元":
        return f"{d:,.2f}元"
    d = d.normalize() + 0
    return f"{d:,f}{unit}" if abs(d) >= 10000 else f"{d:f}{unit}"


def date(value) -> str:
    """A date as Chinese official texts write it: 2024年6月30日 (no leading zeros)."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"
