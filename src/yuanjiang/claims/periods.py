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
_REL = r"(?P<ry>今年|去年|前年|本年|上年)(?:(?P<rm>\d{1,2})月)?"
_ABS = r"(?P<ay>20\d\d)年(?:(?P<am>\d{1,2})月)?"
_CUE_RE = re.compile(f"(?P<since>{_SINCE})|(?P<first>{_FIRST})|(?P<rel>{_REL})|(?P<abs>{_ABS})")
_DATE_RE = re.compile(r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class ClaimPeriod:
    period: Period
    cue: str  # the words of the text that set it ("" = the chosen period)
    note: str = ""


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


def claim_period(
    sentence_before: str, chosen: Period, program=None, date: dt.date | None = None
) -> ClaimPeriod:
    """The period for a claim whose sentence, up to the figure, is ``sentence_before``."""
    cue = None
    for m in _CUE_RE.finditer(sentence_before):
        cue = m
    if cue is None:
        return ClaimPeriod(chosen, "")
    words = cue.group()
    upto = date or chosen.end
    try:
        if cue.group("since"):
            if program is None:
                return ClaimPeriod(chosen, words, "汇总范围没有单一任期，按所选时间段。")
            end = max(min(upto, program.term_end), program.term_start)
            return ClaimPeriod(Period(program.term_start, end, "进疆以来"), words)
        if cue.group("first"):
            if program is None:
                return ClaimPeriod(chosen, words, "汇总范围没有单一任期，按所选时间段。")
            first = program_year(program, 1)
            try:
                second = program_year(program, 2)
            except PeriodError:
                second = None
            if second and second.start <= upto <= second.end:
                return ClaimPeriod(Period(first.start, upto, "首年（截至文本日期）"), words)
            return ClaimPeriod(first, words)
        if cue.group("rel"):
            if date is None:
                return ClaimPeriod(chosen, words, "未给出文本日期，相对时间无法换算，按所选时间段。")
            offset = {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}[cue.group("ry")]
            year = date.year - offset
            month = cue.group("rm")
        else:
            year = int(cue.group("ay"))
            month = cue.group("am")
        if month:
            mon = int(month)
            if not 1 <= mon <= 12:
                return ClaimPeriod(chosen, words)
            start = dt.date(year, mon, 1)
            end = upto if upto >= start else _month_end(year, mon)
            return ClaimPeriod(Period(start, end, f"{year}年{mon}月以来"), words)
        period = calendar_year(year)
        if period.start <= upto < period.end:
            period = Period(period.start, upto, f"{year}年（截至{'文本日期' if date else '所选时间段末'}）")
        return ClaimPeriod(period, words)
    except (PeriodError, ValueError):
        return ClaimPeriod(chosen, words)
