"""The period of each claim, from the time cues of its sentence (docs/claims.md, "Periods").

The last cue before the figure in its sentence decides; without one, the period the user chose:

- 进疆以来 / 援疆以来 / 入疆以来 → from the program's term start to the text's date (or the chosen
  period's end);
- 首年 / 第一年 → the program's first year; a first-year report published in the second year (the
  text's date, or the chosen period's end, falls in it) counts up to that date;
- 今年 / 去年 / 前年 (+ N月) and 2024年 (+ N月) → the calendar year, or from that month to the text's
  date (a month names when something started, figures run on from it); both end at the text's date
  (or the chosen period's end) when that falls inside them; relative years need the text's date —
  without one the cue is shown but the chosen period is used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from yuanjiang.org.periods import Period, PeriodError, calendar_year, program_year

_SINCE = r"(?:进疆|入疆|援疆|来疆|到任|履职|援伊|进藏|援藏)以来"
_FIRST = r"首年|第一年"
_YEAR_WORD = r"(?:(?P<py>20\d\d)年|(?P<pr>今年|去年|前年|本年|上年))?"
# a part of a year: 上半年, 一季度, 前三季度, 1—6月 / 1至5月 (the months a figure covers)
_PART = (
    r"(?P<part>上半年|下半年|(?:第?[一二三四1-4])季度|前三季度|"
    r"(?P<m1>\d{1,2})\s*(?:—|－|-|–|~|至|到)\s*(?P<m2>\d{1,2})\s*月(?:份)?)"
)
_REL = r"(?P<rel>(?P<ry>今年|去年|前年|本年|上年)(?:(?P<rm>\d{1,2})月)?)"
_ABS = r"(?P<abs>(?P<ay>20\d\d)年(?:(?P<am>\d{1,2})月)?)"
_WHOLE_YEAR = r"(?P<whole>全年|当年|本年度)"
_PAST_YEAR = r"(?P<past>过去一年|上一年|上年度|去年一年)"
_CUE_RE = re.compile(
    f"(?P<since>{_SINCE})|(?P<first>{_FIRST})|(?P<ypart>{_YEAR_WORD}{_PART})|{_PAST_YEAR}|{_REL}|{_ABS}"
    f"|{_WHOLE_YEAR}"
)
_DATE_RE = re.compile(r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# the term's start month named relatively (自去年4月进疆): the text's year follows from the term
_ANCHOR_RE = re.compile(r"(?P<ry>今年|去年|前年)(?P<rm>\d{1,2})月")
# a title that announces a plan or a report on the year before (政府工作报告 reviews the past year):
# its own year is not the period of its figures
_TITLE_NOT_PERIOD = re.compile(r"工作报告|计划|打算|要点|安排|思路|展望")
_BYLINE = re.compile(
    r"^(?:本报讯|本报[^\s，。]{0,12}电|新华社[^\s，。]{0,12}电|[（(]记者[^）)]{0,20}[）)])\s*"
)
_TITLE_REVIEW = re.compile(r"回顾|情况|总结|成效|成绩|完成|进展")
# a line that only dates the text (2024年7月5日　星期五): not its title
_DATELINE = re.compile(
    r"^(?:20\d\d\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?)[\s　]*(?:星期.|周.)?[\s　]*\S{0,8}$"
)


@dataclass(frozen=True)
class ClaimPeriod:
    period: Period
    cue: str  # the words of the text that set it ("" = the chosen period)
    note: str = ""
    # another reading of the same words (首年 as the first year, or up to the text's date): a claim
    # either supports is supported
    alt: Period | None = None


def text_date(text: str) -> dt.date | None:
    """A full date (2024年6月21日, 2024-06-21) in the text's first or last 200 characters: the date a
    report was published, as its header or footer gives it."""
    for part in (text[:200], text[-200:]):
        for m in _DATE_RE.finditer(part):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def inferred_year(text: str, program) -> tuple[int, str] | None:
    """The year a text was written, from a relative mention of the term's start (自去年4月接过接力棒,
    the program's term starting in April 2023 → 2024); None without one."""
    if program is None:
        return None
    start = program.term_start
    for m in _ANCHOR_RE.finditer(text[:3000]):
        if int(m.group("rm")) == start.month:
            offset = {"今年": 0, "去年": 1, "前年": 2}[m.group("ry")]
            return start.year + offset, m.group()
    return None


def inferred_date(text: str, program, chosen: Period | None = None) -> tuple[dt.date, str] | None:
    """An as-of date for a text without one: the end of the year it was written in (:func:`inferred_year`),
    or the chosen period's end when that falls in the same year; never after the term's end."""
    found = inferred_year(text, program)
    if found is None:
        return None
    year, words = found
    date = chosen.end if chosen is not None and chosen.end.year == year else dt.date(year, 12, 31)
    date = max(min(date, program.term_end), program.term_start)
    return date, words


def _resolve_year(m: re.Match, date: dt.date | None, default_year: int | None) -> int | None:
    if m.group("py"):
        return int(m.group("py"))
    rel = m.group("pr")
    if rel:
        base = date.year if date is not None else default_year
        if base is None:
            return None
        return base - {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}[rel]
    if default_year is not None:
        return default_year
    return date.year if date is not None else None


def _part_period(m: re.Match, year: int, upto: dt.date) -> Period:
    part = m.group("part")
    if m.group("m1"):
        a, b = int(m.group("m1")), int(m.group("m2"))
        if not (1 <= a <= b <= 12):
            raise ValueError(part)
        p = Period(dt.date(year, a, 1), _month_end(year, b), f"{year}年{a}至{b}月")
    elif part == "上半年":
        p = Period(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}年上半年")
    elif part == "下半年":
        p = Period(dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}年下半年")
    elif part == "前三季度":
        p = Period(dt.date(year, 1, 1), dt.date(year, 9, 30), f"{year}年前三季度")
    else:
        q = _CN_Q[part.strip("第季度")[-1]]
        p = Period(
            dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"{year}年第{part.strip('第季度')}季度"
        )
    return p


def document_period(
    text: str, program=None, date: dt.date | None = None, chosen: Period | None = None
) -> ClaimPeriod | None:
    """The period a whole text reports on, from its title (南通工作组2024年上半年工作总结, 援疆首年工作总结,
    2023年工作总结) or, when the title names none (or announces a plan or a report on the past year),
    from the first time cue of its opening paragraph (过去一年，… in a report dated 2024-01-15).

    Sentence cues still decide their own figures; this is the default for the others."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not _DATELINE.match(ln.strip())]
    if not lines:
        return None
    title = lines[0] if len(lines[0]) <= 60 else ""
    candidates = []
    plan_only = _TITLE_NOT_PERIOD.search(title) and ("工作报告" in title or not _TITLE_REVIEW.search(title))
    if title and not plan_only:
        candidates.append(title)
    body = [ln for ln in lines[1 if title else 0 :] if len(ln) > 20 and ln[0] not in "（("][:1]
    if body:
        candidates.append(body[0][:60])
    for part in candidates:
        if part is not title:
            part = _BYLINE.sub("", part)  # 本报讯 今年以来，…
        m = _first_cue(part)
        if m is None or m.group("whole") or (m.group("rel") and not m.group("rm") and part is title):
            continue
        if part is not title and m.start() > 2:
            continue  # the opening paragraph's period is the cue it opens with (过去一年，…)
        cp = _period_of(m, chosen, program, date, None)
        if cp is not None and not cp.note:
            return _within_term(ClaimPeriod(cp.period, m.group(), "", cp.alt), program)
    return None


def _first_cue(part: str) -> re.Match | None:
    for m in _CUE_RE.finditer(part):
        if m.group("abs") and not m.group("am") and _is_date_or_heading_year(part, m):
            continue
        return m
    return None


def _is_date_or_heading_year(part: str, m: re.Match) -> bool:
    """A bare year that dates a meeting or a document (2024年1月15日, 2024年政府工作报告) is not a period."""
    rest = part[m.end() : m.end() + 8]
    return bool(re.match(r"\d{1,2}月\d{1,2}日|政府工作报告|工作报告", rest))


def claim_period(
    sentence_before: str,
    chosen: Period,
    program=None,
    date: dt.date | None = None,
    default: ClaimPeriod | None = None,
) -> ClaimPeriod:
    """The period for a claim whose sentence, up to the figure, is ``sentence_before``; without a cue
    there, ``default`` (the text's own period, :func:`document_period`) or else the chosen period."""
    cue = None
    for m in _CUE_RE.finditer(sentence_before):
        cue = m
    if cue is None:
        return default or ClaimPeriod(chosen, "")
    cp = _period_of(cue, chosen, program, date, default)
    if cp is None:
        return default or ClaimPeriod(chosen, "")
    return _within_term(cp, program)


def _within_term(cp: ClaimPeriod, program) -> ClaimPeriod:
    """A calendar period cut to the program's term: a work group that arrived in April reports its
    2023 from April (records of the year before it came are not its work)."""
    if program is None or cp.cue in ("",) or cp.period.end < program.term_start:
        return cp
    p = cp.period
    if p.start < program.term_start <= p.end:
        p = Period(program.term_start, p.end, p.label)
        return ClaimPeriod(p, cp.cue, cp.note, cp.alt)
    return cp


def _period_of(
    cue: re.Match, chosen: Period | None, program, date: dt.date | None, default: ClaimPeriod | None
) -> ClaimPeriod | None:
    words = cue.group()
    fallback = chosen if chosen is not None else None
    upto = date or (chosen.end if chosen is not None else None)
    default_year = None
    if default is not None and default.period.start.year == default.period.end.year:
        default_year = default.period.start.year
    try:
        if cue.group("whole"):
            # 全年 / 当年: the text's own year, when the text reports on one
            if default is not None and default_year is not None:
                return ClaimPeriod(default.period, words)
            return None
        if cue.group("since"):
            if program is None:
                return _unusable(fallback, words, "汇总范围没有单一任期，按所选时间段。")
            end = max(min(upto or program.term_end, program.term_end), program.term_start)
            return ClaimPeriod(Period(program.term_start, end, "进疆以来"), words)
        if cue.group("first"):
            if program is None:
                return _unusable(fallback, words, "汇总范围没有单一任期，按所选时间段。")
            first = program_year(program, 1)
            try:
                second = program_year(program, 2)
            except PeriodError:
                second = None
            if upto and second and second.start <= upto <= second.end:
                return ClaimPeriod(Period(first.start, upto, "首年（截至文本日期）"), words, alt=first)
            return ClaimPeriod(first, words)
        # without the text's date, relative years count from the year the text reports on
        base = date.year if date is not None else default_year
        if cue.group("past"):
            if base is None:
                return _unusable(fallback, words, "未给出文本日期，相对时间无法换算，按所选时间段。")
            return ClaimPeriod(calendar_year(base - 1), words)
        if cue.group("ypart"):
            year = _resolve_year(cue, date, default_year)
            if year is None:
                return _unusable(fallback, words, "未给出文本日期，相对时间无法换算，按所选时间段。")
            return ClaimPeriod(_part_period(cue, year, upto), words)
        if cue.group("rel"):
            if base is None:
                return _unusable(fallback, words, "未给出文本日期，相对时间无法换算，按所选时间段。")
            offset = {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}[cue.group("ry")]
            year = base - offset
            month = cue.group("rm")
        else:
            year = int(cue.group("ay"))
            month = cue.group("am")
        if upto is None:
            upto = dt.date(year, 12, 31)
        if month:
            mon = int(month)
            if not 1 <= mon <= 12:
                return _unusable(fallback, words, "")
            start = dt.date(year, mon, 1)
            end = upto if upto >= start else _month_end(year, mon)
            return ClaimPeriod(Period(start, end, f"{year}年{mon}月以来"), words)
        period = calendar_year(year)
        if period.start <= upto < period.end:
            period = Period(period.start, upto, f"{year}年（截至{'文本日期' if date else '所选时间段末'}）")
        return ClaimPeriod(period, words)
    except (PeriodError, ValueError, KeyError):
        return _unusable(fallback, words, "")


def _unusable(chosen: Period | None, words: str, note: str) -> ClaimPeriod | None:
    if chosen is None:
        return None
    return ClaimPeriod(chosen, words, note)
