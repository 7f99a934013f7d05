"""Numerals: Arabic and Chinese digits, multipliers, and the text normalisation the scanner relies on.

Everything here works on plain strings and returns :class:`~decimal.Decimal`; nothing knows about
units or qualifiers.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# One-to-one character replacements (the text keeps its length, so offsets stay valid).
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update(
    {
        ord("％"): ord("%"),
        ord("．"): ord("."),
        ord("＋"): ord("+"),
        ord("－"): ord("-"),
        ord("～"): ord("~"),
        ord("\u3000"): ord(" "),
        ord("\xa0"): ord(" "),
    }
)


def normalize(text: str) -> str:
    """Map full-width digits and signs to ASCII, character for character (same length)."""
    return text.translate(_FULLWIDTH)


CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "亿": 10**8}
MULTIPLIERS: dict[str, int] = {**CN_SMALL_UNITS, **CN_BIG_UNITS}

CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)


class NumeralError(ValueError):
    """A run of numeral characters that is not a well-formed number (三八, 五一, 十十)."""


def multiplier_value(chars: str) -> Decimal:
    """千万 → 10^7, 万亿 → 10^12, 百万 → 10^6: the product of the multiplier characters."""
    value = Decimal(1)
    for ch in chars:
        value *= MULTIPLIERS[ch]
    return value


def _parse_below_wan(s: str) -> int:
    """A section below 万: 两千五百, 三百零五, 十一, 两千五 (= 2500), 五."""
    if not s:
        return 0
    total = 0
    digit: int | None = None
    last_unit = None
    zero_seen = False
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and not (digit == 0):
                raise NumeralError(s)
            d = CN_DIGITS[ch]
            if d == 0:
                zero_seen = True
                digit = 0
                continue
            digit = d
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                raise NumeralError(s)
            if digit is None or digit == 0:
                if unit == 10 and total == 0 and not zero_seen:
                    digit = 1  # 十一 = 11: implicit 一 before a leading 十
                elif total == 0 and not zero_seen:
                    digit = 1  # 百余, 千万: a bare leading multiplier means one of it
                elif unit == 10 and zero_seen:
                    digit = 1  # 一百零十 is odd but 一百一十 / 一百零十 both mean 110
                else:
                    raise NumeralError(s)
            total += digit * unit
            last_unit = unit
            digit = None
            zero_seen = False
        else:
            raise NumeralError(s)
    if digit:
        if last_unit is not None and not zero_seen and last_unit >= 100:
            total += digit * last_unit // 10  # 两千五 = 2500, 三百五 = 350
        else:
            total += digit
    return total


def _parse_below_yi(s: str, whole: str) -> int:
    if "万" in s:
        hi, _, lo = s.partition("万")
        if "万" in lo:
            raise NumeralError(whole)
        hi_v = _parse_below_wan(hi) if hi else 1
        if hi and hi_v == 0:
            raise NumeralError(whole)
        lo_v = _abbrev(lo, hi, 1000)
        return hi_v * 10**4 + lo_v
    return _parse_below_wan(s)


def _abbrev(lo: str, hi: str, scale: int) -> int:
    """一万二 = 12000: a single trailing digit after 万/亿 counts in the next place down."""
    if len(lo) == 1 and lo in CN_DIGITS and hi:
        return CN_DIGITS[lo] * scale
    return _parse_below_wan(lo) if "万" not in lo else _parse_below_yi(lo, lo)


def cn_to_int(s: str) -> int:
    """Parse a Chinese integer numeral: 两千五百 → 2500, 十一 → 11, 三万五千 → 35000, 亿 → 10^8.

    Digit-by-digit writing (二〇二四) is accepted only when it contains 〇/零, so that 五一 or 三八
    (festival names) are rejected rather than read as 51 or 38.
    """
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        raise NumeralError(s)
    if not any(ch in MULTIPLIERS for ch in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        if any(CN_DIGITS[ch] == 0 for ch in s):
            return int("".join(str(CN_DIGITS[ch]) for ch in s))
        raise NumeralError(s)
    if "亿" in s:
        hi, _, lo = s.partition("亿")
        if "亿" in lo:
            raise NumeralError(s)
        hi_v = _parse_below_yi(hi, s) if hi else 1
        if len(lo) == 1 and lo in CN_DIGITS and hi:
            lo_v = CN_DIGITS[lo] * 10**7
        else:
            lo_v = _parse_below_yi(lo, s)
        return hi_v * 10**8 + lo_v
    return _parse_below_yi(s, s)


def cn_to_decimal(s: str) -> Decimal:
    """A Chinese numeral with an optional decimal part: 三点五 → 3.5, 二十 → 20."""
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(ch not in CN_DIGITS for ch in frac):
            raise NumeralError(s)
        w = cn_to_int(whole) if whole else 0
        return Decimal(f"{w}.{''.join(str(CN_DIGITS[ch]) for ch in frac)}")
    return Decimal(cn_to_int(s))


def arabic_to_decimal(s: str) -> Decimal:
    """1,234.5 → Decimal('1234.5')."""
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the scanner only passes well-formed digits
        raise NumeralError(s) from exc


def last_significant_place(d: Decimal) -> Decimal:
    """The place of the last non-zero digit: 2500 → 100, 1.2 → 0.1, 50 → 10, 3 → 1."""
    if d == 0:
        return Decimal(1)
    exp = d.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    return Decimal(1).scaleb(exp)


def significant_digits(d: Decimal) -> int:
    """Number of significant digits: 118 → 3, 4.8 → 2, 30.52 → 4, 0 → 1."""
    if d == 0:
        return 1
    return len(d.normalize().as_tuple().digits)


def plain(d: Decimal) -> str:
    """Decimal → digits without exponent or trailing zeros: 3E+9 → '3000000000', 1.50 → '1.5'."""
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


_WRITE_DIGITS = "零一二三四五六七八九"


def _write_below_wan(n: int, leading: bool) -> str:
    """0 < n < 10000 in Chinese numerals; `leading` means nothing stands before it (十一, not 一十一)."""
    out = []
    zero = False
    for unit, char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, unit)
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if not (unit == 10 and digit == 1 and leading and not out):
            out.append(_WRITE_DIGITS[digit])
        out.append(char)
    return "".join(out)


def int_to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals, as ordinals are: 11 → 十一 (第十一批),
    2 → 二, 105 → 一百零五, 10010 → 一万零一十. The inverse of `cn_to_int` for n < 10^12."""
    if n < 0:
        raise ValueError("负数不能写成中文序数。")
    if n == 0:
        return "零"
    parts = []
    groups = []
    while n:
        n, group = divmod(n, 10000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if parts and parts[-1] != "零":
                parts.append("零")
            continue
        if parts and group < 1000 and parts[-1] != "零":
            parts.append("零")
        parts.append(_write_below_wan(group, leading=not parts))
        parts.append(("", "万", "亿", "万亿")[index])
    return "".join(parts).rstrip("零")
