"""Writing figures the way Chinese official texts do, and honestly.

``format_figure(3052000000, "元")`` → ``"超30亿元"``: the figure is rounded for prose and the qualifier
follows the direction of rounding, so the text never claims more than the value holds:

* rounded **down** → 超 (money, rates) or 余 (counts, measures): 超30亿元, 2500余人次, 1.2万余人;
* rounded **up** → 近, only if the value is within 10 % below the figure (近200人 for 195);
* a value the rounding would not change stays **exact**: 15个, 100%, 2500人次, 118万元.

Rules of ``mode="honest"`` (``precision`` = significant digits, default 2):

1. values below 20 (and 0) are written exactly — "10余个" for 15 would lose a third;
2. rates (%, 百分点) are rounded to one decimal (values below 1 to ``precision`` significant digits);
3. values of 10 000 and more are written in 万/亿/万亿 (money in 万元/亿元); a value whose mantissa in that
   unit has at most ``precision + 1`` significant digits is already a round figure and stays exact
   (118万元, 480万元, 1.18万人), otherwise the mantissa is rounded to ``precision`` significant digits;
4. values from 20 to 9 999 are rounded to ``precision`` significant digits, but at least to the tens
   (Chinese reports do not write a units digit with 余/近: 50余家, 近200人);
5. the nearer of the two roundings is chosen; when both are about as near (within a tenth of the
   rounding step) the rounder one (fewer significant digits) wins, then the lower one;
6. negative values are written exactly.

``mode="exact"`` never rounds and never adds a qualifier; it uses 万/亿 only when that keeps the value
exact. ``plain_digits=True`` writes 3052000000元 instead of 30.52亿元 (in either mode).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from .numerals import significant_digits
from .quantity import canonical, to_decimal
from .units import MONEY_UNITS, RATE_UNITS, UNSCALED_UNITS, base_unit

MODES = ("honest", "exact")
_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_SMALL_EXACT = Decimal(20)


def _digits(d: Decimal) -> str:
    d = canonical(d)
    return str(d) if d == d.to_integral_value() else format(d, "f")


def _scale_of(v: Decimal, unit: str, plain_digits: bool) -> tuple[Decimal, str]:
    if plain_digits or base_unit(unit) in UNSCALED_UNITS:
        return Decimal(1), ""
    for size, name in _SCALES:
        if abs(v) >= size:
            return size, name
    return Decimal(1), ""


def _write(v: Decimal, unit: str, plain_digits: bool) -> tuple[str, str]:
    """(number with its 万/亿, unit) — exact."""
    size, name = _scale_of(v, unit, plain_digits)
    mantissa = v / size
    if mantissa * size != v:  # beyond Decimal precision: stay in plain digits
        return _digits(v), unit
    return _digits(mantissa) + name, unit


def _int_digits(d: Decimal) -> int:
    return len(str(int(abs(d)))) if abs(d) >= 1 else 0


def _floor_to(v: Decimal, place: Decimal) -> Decimal:
    return (v / place).to_integral_value(rounding=ROUND_FLOOR) * place


def _rounding_place(v: Decimal, unit: str, precision: int) -> Decimal | None:
    """The place to round ``v`` to, or None if ``v`` is written exactly."""
    base = base_unit(unit)
    if base in RATE_UNITS:
        if v >= 1:
            place = Decimal("0.1")
        else:
            exp = v.adjusted()  # 0.0123 → -2
            place = Decimal(1).scaleb(exp - precision + 1)
        return None if v % place == 0 else place
    if v < _SMALL_EXACT:
        return None
    size, _ = _scale_of(v, unit, plain_digits=False)
    if size > 1:
        mantissa = v / size
        if significant_digits(mantissa) <= precision + 1:
            return None
        return Decimal(1).scaleb(_int_digits(mantissa) - precision) * size
    place = Decimal(1).scaleb(max(1, _int_digits(v) - precision))
    return None if v % place == 0 else place


def format_figure(
    value: object,
    unit: str,
    *,
    mode: str = "honest",
    precision: int = 2,
    plain_digits: bool = False,
) -> str:
    """Write ``value`` (in the base ``unit``: 元, 人, %, 个 …) as Chinese official texts do.

    >>> format_figure(3052000000, "元")
    '超30亿元'
    >>> format_figure(2531, "人次")
    '2500余人次'
    >>> format_figure(195, "人")
    '近200人'
    >>> format_figure(1180000, "元")
    '118万元'
    >>> format_figure(1234567, "元", mode="exact")
    '123.4567万元'
    """
    if mode not in MODES:
        raise ValueError(f"mode 必须是 {' / '.join(MODES)} 之一，得到 {mode!r}")
    if not isinstance(precision, int) or isinstance(precision, bool) or precision < 1:
        raise ValueError(f"precision 必须是不小于 1 的整数，得到 {precision!r}")
    if not isinstance(unit, str):
        raise TypeError("unit 必须是字符串")
    v = canonical(to_decimal(value))
    if mode == "exact" or v < 0:
        number, u = _write(v, unit, plain_digits)
        return number + u
    place = _rounding_place(v, unit, precision)
    if place is None:
        number, u = _write(v, unit, plain_digits)
        return number + u
    down = _floor_to(v, place)
    up = down + place
    d_down, d_up = v - down, up - v
    if abs(d_down - d_up) <= place / 10:
        sd, su = significant_digits(down), significant_digits(up)
        choose_up = su < sd or (down == 0)
    else:
        choose_up = d_up < d_down
    if choose_up and v < up * Decimal("0.9"):
        choose_up = False  # 近 only within 10 % below the figure
    if choose_up:
        number, u = _write(canonical(up), unit, plain_digits)
        return "近" + number + u
    number, u = _write(canonical(down), unit, plain_digits)
    base = base_unit(unit)
    if base in MONEY_UNITS or base in RATE_UNITS or base in UNSCALED_UNITS:
        return "超" + number + u
    return number + "余" + u
