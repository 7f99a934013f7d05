"""The figure scanner: reads one numeric expression at a position of a (normalised) text.

Grammar, in order (each part optional except the numeral)::

    [prefix qualifier] numeral [余|多|几] [multiplier] [余|多] [分之 numeral | 成 | range] [unit] [post qualifier]

* prefix qualifier — 超/超过/逾/突破 (over), 约/大约 (about), 近/将近/接近 (nearly), 不足/不到 (under);
* numeral — Arabic (1,234.5) or Chinese (两千五百, 十一, 亿 with an implicit 一), 数百/几十/上千
  (vague), 两三百 (a range), 百分之三十;
* multiplier — 十 百 千 万 亿 and their products (千万, 万亿);
* unit — see :mod:`.units`; post qualifier — 以上, 以下, 以内, 左右, 上下, 多, 余.

Both :func:`yuanjiang.cnnum.parse` (one expression, whole string) and the extractor (every expression
in a text) use :func:`scan_at`, so what can be written can be read back and vice versa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numerals import (
    CN_DIGITS,
    CN_NUMERAL_CHARS,
    NumeralError,
    arabic_to_decimal,
    cn_to_decimal,
    multiplier_value,
)
from .quantity import Quantity, build
from .units import match_unit

ARABIC_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?")
CN_RE = re.compile(f"[{CN_NUMERAL_CHARS}]+(?:点[{''.join(CN_DIGITS)}]+)?")
MULT_RE = re.compile(r"[十百千万亿]+")
RANGE_SEP_RE = re.compile(r" ?(?:至|到|~|-|—|–) ?")
PAIR_RE = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])([十百千万亿]*)")
SPACE_RE = re.compile(r" {0,2}")

# Prefix qualifiers, longest first: surface → kind.
PREFIXES: dict[str, str] = {
    "不超过": "under_incl",
    "不少于": "over_incl",
    "不低于": "over_incl",
    "超过了": "over",
    "约有": "about",
    "大约有": "about",
    "超过": "over",
    "超出": "over",
    "突破": "over",
    "多于": "over",
    "高于": "over",
    "大于": "over",
    "约为": "about",
    "大约": "about",
    "约合": "about",
    "大概": "about",
    "将近": "nearly",
    "接近": "nearly",
    "近乎": "nearly",
    "几近": "nearly",
    "逼近": "nearly",
    "不足": "under",
    "不到": "under",
    "少于": "under",
    "低于": "under",
    "超": "over",
    "逾": "over",
    "约": "about",
    "近": "nearly",
}
_PREFIX_SORTED = sorted(PREFIXES, key=len, reverse=True)
# A one-character prefix preceded by one of these is part of a word (签约, 最近, 附近 …), not a qualifier.
_NOT_PREFIX_AFTER = {
    "约": set("签节制特相履预违盟条公契合邀集简婉践赴守毁解要隐之"),
    "近": set("最附邻靠亲就远贴走临将接逼几"),
    "超": set("赶高"),
}
POSTFIXES: dict[str, str] = {
    "以上": "over_incl",
    "以下": "under_incl",
    "以内": "under_incl",
    "左右": "about",
    "上下": "about",
    "有余": "more_than_approx",
    "之多": "exact",
}
# 成 directly after a numeral is 成 = 10 % unless it starts one of these words.
_CHENG_WORDS = set("员为立果绩本功就熟型交效都长年品分色套批片为员果人事")
# 多 after a numeral that begins a word (多元化, 多样) is not "more than".
_DUO_WORDS = ("元化", "样", "种多样", "措并举", "方面", "层次", "渠道", "维度", "学科", "部门")


@dataclass(frozen=True)
class Figure:
    """One numeric expression found in a text."""

    start: int  # first character, the prefix qualifier included
    num_start: int  # first character of the numeral
    end: int  # one past the last character (unit and post qualifier included)
    quantity: Quantity
    unit_surface: str  # the unit as written ("名", "万元" is 万 + "元"); "" if none
    claim_unit: bool  # False for 年/月/日/岁 … (dates, durations, ages)
    numeral: str  # the numeral as written ("两", "15", "亿")
    chinese: bool  # written in Chinese numerals
    bare: bool  # a multiplier with no digit (亿, 千万, 百余): an implicit 一
    marked: bool  # carries a qualifier, 余/多, a multiplier, or is vague: clearly a figure
    prefix: str  # the prefix qualifier as written, or ""
    fragment_end_word: str = ""  # the post qualifier as written (以上, 左右 …), or ""


def prefix_before(s: str, i: int) -> tuple[str, str] | None:
    """The prefix qualifier ending just before ``s[i]``: ``(surface, kind)``."""
    for p in _PREFIX_SORTED:
        j = i - len(p)
        if j >= 0 and s.startswith(p, j):
            if len(p) == 1 and j > 0 and s[j - 1] in _NOT_PREFIX_AFTER.get(p, ()):
                continue
            return p, PREFIXES[p]
    return None


def prefix_at(s: str, i: int) -> tuple[str, str] | None:
    """The prefix qualifier starting at ``s[i]`` (for parsing one expression)."""
    for p in _PREFIX_SORTED:
        if s.startswith(p, i):
            return p, PREFIXES[p]
    return None


@dataclass
class _Num:
    written: Decimal
    end: int
    chinese: bool
    bare: bool
    text: str


def _numeral(s: str, i: int) -> _Num | None:
    m = ARABIC_RE.match(s, i)
    if m:
        return _Num(arabic_to_decimal(m.group()), m.end(), False, False, m.group())
    m = CN_RE.match(s, i)
    if m:
        text = m.group()
        try:
            value = cn_to_decimal(text)
        except NumeralError:
            return None
        bare = all(ch in "百佰千仟万亿" for ch in text)
        return _Num(value, m.end(), True, bare, text)
    return None


def _unit_first(s: str, i: int) -> bool:
    """千米, 千克, 千瓦, 百分点 start with a multiplier character but are units."""
    u = match_unit(s, i)
    return u is not None and u[0][0] in "十百千万亿"


def _multiplier(s: str, i: int) -> tuple[Decimal, int]:
    if _unit_first(s, i):
        return Decimal(1), i
    m = MULT_RE.match(s, i)
    if not m:
        return Decimal(1), i
    chars = m.group()
    # A trailing 千/百 that begins a unit (万千瓦) belongs to the unit.
    while len(chars) > 1 and _unit_first(s, i + len(chars) - 1):
        chars = chars[:-1]
    return multiplier_value(chars), i + len(chars)


def chinese_or_arabic_unit_follows(s: str, i: int) -> bool:
    u = match_unit(s, i)
    return u is not None and u[3]


def _approx_at(s: str, i: int, written: Decimal, chinese: bool) -> int:
    """Length of a 余/多/几 marker at ``s[i]`` (0 if none)."""
    if i >= len(s):
        return 0
    ch = s[i]
    if ch == "余" or (ch == "几" and chinese):
        return 1 if written >= 10 else 0
    if ch == "来" and chinese_or_arabic_unit_follows(s, i + 1):
        return 1 if written >= 10 else 0
    if ch == "多":
        if written < 10 or s.startswith(_DUO_WORDS, i + 1):
            return 0
        return 1
    return 0


def scan_at(s: str, i: int) -> Figure | None:
    """Read the figure whose numeral starts at ``s[i]``; ``None`` if there is none.

    The prefix qualifier (超, 近 …) is looked up *before* ``i``.
    """
    pre = prefix_before(s, i)
    return _scan(s, i, pre)


def _scan(s: str, i: int, pre: tuple[str, str] | None) -> Figure | None:
    kind = "exact"
    upper: Decimal | None = None
    scale = Decimal(1)
    marked = pre is not None
    percent_cn = False
    start_num = i

    if s.startswith("百分之", i):
        num = _numeral(s, i + 3)
        if num is None:
            return None
        written, pos, chinese, bare, text = num.written, num.end, True, False, s[i : num.end]
        percent_cn = True
        scale = Decimal(1)
        marked = True
    elif s[i] in "数几" and i + 1 < len(s):
        m = MULT_RE.match(s, i + 1)
        if m:
            mult, pos = _multiplier(s, i + 1)
            written, upper, scale, kind = Decimal(2), Decimal(10), mult, "vague"
        else:
            u = match_unit(s, i + 1)
            if u is None or not u[3]:
                return None
            written, upper, pos, kind = Decimal(2), Decimal(10), i + 1, "vague"
        chinese, bare, text, marked = True, False, s[i:pos], True
    elif s[i] == "上" and i + 1 < len(s) and s[i + 1] in "百千万亿":
        mult, pos = _multiplier(s, i + 1)
        written, upper, scale, kind = Decimal(1), Decimal(10), mult, "vague"
        chinese, bare, text, marked = True, False, s[i:pos], True
    else:
        num = _numeral(s, i)
        if num is None:
            m = CN_RE.match(s, i)
            pm = PAIR_RE.fullmatch(m.group()) if m else None
            if not pm:
                return None
            a, b = CN_DIGITS[pm.group(1)], CN_DIGITS[pm.group(2)]
            if not (b == a + 1 or (a, b) == (3, 5)):
                return None
            pos = m.end()
            scale = multiplier_value(pm.group(3)) if pm.group(3) else Decimal(1)
            mult, pos = _multiplier(s, pos)
            scale *= mult
            written, upper, kind = Decimal(a), Decimal(b), "range"
            chinese, bare, text, marked = True, False, s[i:pos], True
        else:
            written, pos, chinese, bare, text = num.written, num.end, num.chinese, num.bare, num.text
            n = _approx_at(s, pos, written, chinese)
            if n:
                kind = "about" if s[pos] == "来" else "more_than_approx"
                pos, marked = pos + n, True
            mult, pos2 = _multiplier(s, pos)
            if pos2 > pos:
                scale, pos, marked = mult, pos2, True
            if kind == "exact" and pos < len(s) and s[pos] in "余多":
                n = _approx_at(s, pos, written * scale, chinese)
                if n:
                    kind, pos, marked = "more_than_approx", pos + n, True
            # fraction: 五分之一(多)
            if kind == "exact" and scale == 1 and s.startswith("分之", pos):
                numer = _numeral(s, pos + 2)
                if numer is None or written == 0:
                    return None
                denom = written
                written, pos = numer.written, numer.end
                n = _approx_at(s, pos, Decimal(10), True)
                if n:
                    kind, pos = "more_than_approx", pos + n
                scale = Decimal(100) / denom
                percent_cn, marked, text = True, True, s[i:pos]
            # 成: 六成 = 60 %
            elif (
                scale == 1
                and written <= 10
                and pos < len(s)
                and s[pos] == "成"
                and (pos + 1 >= len(s) or s[pos + 1] not in _CHENG_WORDS)
            ):
                pos += 1
                if kind == "exact" and pos < len(s) and s[pos] in "多余":
                    kind, pos = "more_than_approx", pos + 1
                scale, percent_cn, marked = Decimal(10), True, True
            # range: 1至2万, 20-30, 三至五
            elif kind == "exact":
                rm = RANGE_SEP_RE.match(s, pos)
                if rm and rm.end() < len(s):
                    sep = rm.group().strip()
                    second = _numeral(s, rm.end())
                    if (
                        second is not None
                        and (second.chinese == chinese)
                        and (sep not in "-–" or not chinese)
                    ):
                        mult2, end2 = _multiplier(s, second.end)
                        first_scale = scale if scale != 1 else mult2
                        lo = written * first_scale
                        hi = second.written * mult2 if mult2 != 1 or scale == 1 else second.written * scale
                        if hi > lo and not (sep in "-–" and s.startswith("-", end2)):
                            written, upper = lo, hi
                            scale, kind, pos, marked = Decimal(1), "range", end2, True
    # unit
    upos = SPACE_RE.match(s, pos).end() if not chinese else pos
    unit_surface, base, factor, claim_unit = "", "", Decimal(1), True
    u = match_unit(s, upos)
    if u is not None and not percent_cn:
        unit_surface, base, factor, claim_unit = u
        pos = upos + len(unit_surface)
    elif percent_cn:
        base = "%"
    scale *= factor
    if base == "%" and unit_surface in ("%", "‰"):
        marked = True
    # post qualifier
    post = None
    post_word = ""
    for p, k in POSTFIXES.items():
        if s.startswith(p, pos):
            if p == "上下" and pos + 2 < len(s) and "\u4e00" <= s[pos + 2] <= "\u9fff":
                continue
            post, pos, post_word = k, pos + len(p), p
            break
    else:
        if (
            unit_surface
            and pos < len(s)
            and s[pos] in "多余"
            and kind == "exact"
            and (pos + 1 >= len(s) or not ("\u4e00" <= s[pos + 1] <= "\u9fff"))
        ):
            post, pos = "more_than_approx", pos + 1

    qualifier, inclusive = _resolve(kind, pre[1] if pre else None, post)
    if qualifier in ("vague", "range"):
        q = build(written, scale, qualifier, base, upper=upper)
    else:
        q = build(written, scale, qualifier, base, inclusive_bound=inclusive)
    start = i - len(pre[0]) if pre else i
    return Figure(
        start=start,
        num_start=start_num,
        end=pos,
        quantity=q,
        unit_surface=unit_surface,
        claim_unit=claim_unit,
        numeral=text,
        chinese=chinese,
        bare=bare,
        marked=marked or post is not None,
        prefix=pre[0] if pre else "",
        fragment_end_word=post_word,
    )


def _resolve(kind: str, pre: str | None, post: str | None) -> tuple[str, bool]:
    """Combine the numeral's own marker with the prefix and post qualifiers."""
    if kind in ("vague", "range"):
        return kind, False
    if kind == "about":
        return "about", False
    if kind == "more_than_approx" or post == "more_than_approx":
        return "more_than_approx", False
    for k in (pre, post):
        if k in ("over", "over_incl"):
            return "over", k == "over_incl" or post == "over_incl"
    if post == "over_incl":
        return "over", True
    for k in (pre, post):
        if k in ("under", "under_incl"):
            return "under", k == "under_incl"
    if pre == "nearly":
        return "nearly", False
    if pre == "about" or post == "about":
        return "about", False
    return "exact", False


def scan_expression(text: str) -> Figure | None:
    """Read ``text`` as exactly one expression (optional prefix qualifier at its start)."""
    pre = prefix_at(text, 0)
    i = len(pre[0]) if pre else 0
    if i >= len(text):
        return None
    fig = _scan(text, i, pre)
    if fig is None or fig.end != len(text):
        return None
    return fig
