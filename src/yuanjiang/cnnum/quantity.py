"""The value of one figure: a number in a base unit, an interval, and the qualifier that made it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

QUALIFIERS = ("exact", "over", "about", "nearly", "more_than_approx", "vague")

#: 约/左右: the interval is value ± 10 % (both ends included).
ABOUT_TOLERANCE = Decimal("0.1")
#: 近/将近: the value is below the figure by at most 10 % — 近200 → [180, 200).
NEARLY_TOLERANCE = Decimal("0.1")


class ParseError(ValueError):
    """The text is not a figure (the message is in Chinese and quotes the text)."""


def to_decimal(x: object) -> Decimal:
    """Decimal, int or str as Decimal; a float only through its shortest decimal representation."""
    if isinstance(x, bool):
        raise TypeError("布尔值不是数值")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(repr(x))
    elif isinstance(x, str):
        d = Decimal(x)
    else:
        raise TypeError(f"不支持的数值类型：{type(x).__name__}")
    if not d.is_finite():
        raise ValueError(f"数值必须是有限数：{x!r}")
    return d


@dataclass(frozen=True)
class Quantity:
    """A figure read from text.

    ``value`` is the figure as stated, in the base unit (超30亿元 → 3000000000, 数百 → 200);
    ``low``/``high`` bound what the text claims (``None`` = unbounded), with their inclusiveness.
    """

    value: Decimal
    low: Decimal | None
    high: Decimal | None
    low_inclusive: bool
    high_inclusive: bool
    unit: str
    qualifier: str

    def contains(self, x: object) -> bool:
        """Whether ``x`` (Decimal, int, float or str) lies in the interval the text claims."""
        d = to_decimal(x)
        if self.low is not None and (d < self.low or (d == self.low and not self.low_inclusive)):
            return False
        return not (self.high is not None and (d > self.high or (d == self.high and not self.high_inclusive)))

    def interval_text(self) -> str:
        """The interval in mathematical notation, e.g. ``(2500, 2600)`` or ``[180, 200)``."""
        lo = "-∞" if self.low is None else _num(self.low)
        hi = "∞" if self.high is None else _num(self.high)
        left = "[" if self.low is not None and self.low_inclusive else "("
        right = "]" if self.high is not None and self.high_inclusive else ")"
        return f"{left}{lo}, {hi}{right}"


def canonical(d: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation: 15000.0 → 15000, 2.50 → 2.5."""
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize()


def _num(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def build(
    written: Decimal,
    scale: Decimal,
    qualifier: str,
    unit: str,
    *,
    inclusive_bound: bool = False,
    upper: Decimal | None = None,
) -> Quantity:
    """Make the Quantity for a numeral ``written`` times ``scale`` (multiplier × unit factor).

    The interval of 余/多 is taken at the last significant place of the *written* numeral, so
    2500余 → (2500, 2600), 50余 → (50, 60), 1.2万余 → (12000, 13000), 六成多 → (60 %, 70 %).
    ``upper`` is the upper written numeral of a range or vague expression; ``inclusive_bound`` marks
    以上 (≥) and 以下/以内 (≤).
    """
    from .numerals import last_significant_place

    value = canonical(written * scale)
    if qualifier == "exact":
        return Quantity(value, value, value, True, True, unit, qualifier)
    if qualifier == "over":
        return Quantity(value, value, None, inclusive_bound, False, unit, qualifier)
    if qualifier == "under":
        # 不足/不到/以下: reported as "nearly", but only the upper bound is known.
        return Quantity(value, Decimal(0), value, True, inclusive_bound, unit, "nearly")
    if qualifier == "about":
        lo = canonical(value * (1 - ABOUT_TOLERANCE))
        hi = canonical(value * (1 + ABOUT_TOLERANCE))
        return Quantity(value, min(lo, hi), max(lo, hi), True, True, unit, qualifier)
    if qualifier == "nearly":
        return Quantity(value, canonical(value * (1 - NEARLY_TOLERANCE)), value, True, False, unit, qualifier)
    if qualifier == "more_than_approx":
        step = last_significant_place(written) * scale
        return Quantity(value, value, canonical(value + step), False, False, unit, qualifier)
    if qualifier == "range":
        assert upper is not None
        return Quantity(value, value, canonical(upper * scale), True, True, unit, "vague")
    if qualifier == "vague":
        assert upper is not None
        return Quantity(value, value, canonical(upper * scale), True, False, unit, qualifier)
    raise ValueError(qualifier)  # pragma: no cover
