"""Periods: explicit date ranges, calendar years, quarters and months, and a program's own years.

A Period is inclusive at both ends. Every figure is computed for a scope and a Period.

`parse()` is the one reader of what people type, for the web and the command line alike
(docs/metrics.md, "Writing a period"): `2024`, `2024年`, `2024Q2`, `2024年第二季度`, `2024-05`,
`2024年5月`, `2024-01-01:2024-12-31`, `2024/01/01-2024/12/31`, full-width colons and dashes, 至 / 到 / ~,
and, for a program, 首年 / 第二年 / 进疆以来. Anything else is a PeriodError with a Chinese message.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone

from yuanjiang.cnnum.numerals import cn_to_int, int_to_chinese
from yuanjiang.common import formatting
from yuanjiang.common.validators import AID_START

# Years a period may name: from the year aid to Xinjiang began (the one earliest date, also the plan-year
# limit of AidProject).
MIN_YEAR = AID_START.year
MAX_YEAR = 2100

PERIOD_HELP = (
    "可写作 2024、2024年、2024Q2、2024年第二季度、2024-05、2024年5月、"
    "2024-01-01:2024-12-31（或用“至”“-”“~”连接两个日期），以及首年、第二年、进疆以来。"
)
SINCE_TERM_START = "进疆以来"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str = field(default="", compare=False)

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(
                f"时间段的结束日期（{formatting.date(self.end)}）不能早于开始日期"
                f"（{formatting.date(self.start)}）。"
            )

    def __str__(self):
        return self.label or f"{formatting.date(self.start)}至{formatting.date(self.end)}"

    @property
    def token(self) -> str:
        """The URL / command-line form, START:END."""
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def parse(cls, text: str, program=None, since: "Period | None" = None) -> "Period":
        return parse(text, program=program, since=since)


def _check_year(year: int, text: str):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"时间段“{text}”中的年份{year}超出范围：应在{MIN_YEAR}年至{MAX_YEAR}年之间。")


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise PeriodError(f"时间段“{text}”中的日期无效：月份应为1至12，而不是{month}。")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PeriodError(f"时间段“{text}”中的日期无效：{year}年{month}月没有{day}日。") from None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def quarter(year: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise PeriodError(f"季度应为1至4，而不是{q}。")
    start = dt.date(year, 3 * q - 2, 1)
    return Period(start, _month_end(year, 3 * q), f"{year}年第{int_to_chinese(q)}季度")


def half_year(year: int, half: int) -> Period:
    start = dt.date(year, 1 if half == 1 else 7, 1)
    return Period(
        start, _month_end(year, 6 if half == 1 else 12), f"{year}年{'上' if half == 1 else '下'}半年"
    )


def month(year: int, m: int) -> Period:
    return Period(dt.date(year, m, 1), _month_end(year, m), f"{year}年{m}月")


_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4}
_YEAR = re.compile(r"(\d{4})年?(?:度)?")
_QUARTER = re.compile(r"(\d{4})(?:年|-)?(?:[Qq]|第?)([0-9一二三四五六七八九])(?:季度|季)?")
_HALF = re.compile(r"(\d{4})年?([上下])半年")
_MONTH = re.compile(r"(\d{4})(?:[-/.]|年)(\d{1,2})月?")
_DAY = re.compile(r"(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
_PROGRAM_YEAR = re.compile(r"第([0-9一二三四五六七八九十]+)年(?:度)?")
_RANGE_SEPARATORS = re.compile(r"\s*(?::|~|〜|至|到|—|–|―|－)\s*")


def _unit(part: str, text: str) -> Period | None:
    """One side of a range, or a whole period: a year, half year, quarter, month or day; None if it
    is none of these."""
    if m := _YEAR.fullmatch(part):
        year = int(m.group(1))
        _check_year(year, text)
        return calendar_year(year)
    if (m := _QUARTER.fullmatch(part)) and ("Q" in part.upper() or "季" in part):
        year, q = int(m.group(1)), m.group(2)
        _check_year(year, text)
        number = _CN_Q.get(q) or (int(q) if q.isdigit() else 0)
        if number not in (1, 2, 3, 4):
            raise PeriodError(f"时间段“{text}”中的季度无效：季度应为1至4。")
        return quarter(year, number)
    if m := _HALF.fullmatch(part):
        year = int(m.group(1))
        _check_year(year, text)
        return half_year(year, 1 if m.group(2) == "上" else 2)
    if m := _MONTH.fullmatch(part):
        year, mo = int(m.group(1)), int(m.group(2))
        _day(year, mo, 1, text)
        return month(year, mo)
    if m := _DAY.fullmatch(part):
        groups = m.groups()
        y, mo, d = (groups[0], groups[1], groups[2]) if groups[0] else (groups[3], groups[4], groups[5])
        day = _day(int(y), int(mo), int(d), text)
        return Period(day, day, formatting.date(day))
    return None


def _labelled(start: dt.date, end: dt.date) -> Period:
    """A range, named when it is exactly a calendar year, quarter or month."""
    if start.day == 1 and end == _month_end(end.year, end.month) and start.year == end.year:
        if (start.month, end.month) == (1, 12):
            return calendar_year(start.year)
        if start.month == end.month:
            return month(start.year, start.month)
        if start.month % 3 == 1 and end.month == start.month + 2:
            return quarter(start.year, end.month // 3)
    return Period(start, end)


def _relative(text: str, program, since: Period | None, today: dt.date | None) -> Period | None:
    """首年 / 第N年 / 进疆以来: relative to a program's term (进疆以来 also for an organization)."""
    if text in (SINCE_TERM_START, "进疆至今", "任期以来", "本批以来"):
        if program is not None:
            return since_term_start(program, today)
        if since is not None:
            return since
        raise PeriodError(f"“{text}”是相对于援疆项目组任期的时间段，须指定援疆项目组。")
    n = None
    if text in ("首年", "第一年", "第1年"):
        n = 1
    elif m := _PROGRAM_YEAR.fullmatch(text):
        digits = m.group(1)
        try:
            n = int(digits) if digits.isdigit() else cn_to_int(digits)
        except ValueError:
            return None
    if n is None:
        return None
    if program is None:
        raise PeriodError(f"“{text}”是相对于援疆项目组任期的时间段，须指定援疆项目组。")
    return program_year(program, n)


def parse(text: str, program=None, since: Period | None = None, today: dt.date | None = None) -> Period:
    """Read a period as people write it (see the module docstring). `program` resolves 首年 / 第二年 /
    进疆以来; `since` is what 进疆以来 means when there is no single program (an organization)."""
    raw = (text or "").strip()
    if not raw:
        raise PeriodError(f"请填写时间段。{PERIOD_HELP}")
    if len(raw) > 60:
        raise PeriodError(f"时间段过长，无法识别。{PERIOD_HELP}")
    norm = unicodedata.normalize("NFKC", raw)
    norm = re.sub(r"\s+", " ", norm).strip()
    compact = norm.replace(" ", "")
    relative = _relative(compact, program, since, today)
    if relative is not None:
        return relative
    whole = _unit(compact, raw)
    if whole is not None:
        return whole
    sides = _RANGE_SEPARATORS.split(norm)
    candidates: list[tuple[str, str]] = []
    if len(sides) == 2:
        candidates.append((sides[0].replace(" ", ""), sides[1].replace(" ", "")))
    elif len(sides) == 1:
        # START-END with hyphens inside the dates too: try every hyphen as the separator.
        for i, ch in enumerate(compact):
            if ch == "-":
                candidates.append((compact[:i], compact[i + 1 :]))
    for left, right in candidates:
        a = _unit(left, raw) if left else None
        b = _unit(right, raw) if right else None
        if a is not None and b is not None:
            if b.end < a.start:
                raise PeriodError(
                    f"时间段“{raw}”的结束日期（{formatting.date(b.end)}）不能早于开始日期"
                    f"（{formatting.date(a.start)}）：请把较早的日期写在前面。"
                )
            return _labelled(a.start, b.end)
    raise PeriodError(f"无法识别的时间段“{raw}”。{PERIOD_HELP}")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def since_term_start(program, today: dt.date | None = None) -> Period:
    """进疆以来: from the program's term start to today (or the term end, if earlier)."""
    today = today or timezone.localdate()
    end = min(today, program.term_end)
    if end < program.term_start:
        end = program.term_start
    return Period(program.term_start, end, SINCE_TERM_START)


def since_terms_start(programs, today: dt.date | None = None) -> Period:
    """进疆以来 of several programs (an organization's): from the earliest term start to today, or to
    the latest term end if that is earlier. One aggregate query; a calendar year when there are none."""
    from django.db.models import Max, Min

    today = today or timezone.localdate()
    span = programs.order_by().aggregate(start=Min("term_start"), end=Max("term_end"))
    if span["start"] is None:
        return calendar_year(today.year)
    end = max(min(today, span["end"]), span["start"])
    return Period(span["start"], end, SINCE_TERM_START)


def program_year(program, n: int) -> Period:
    """The program's n-th year counted from its term start (首年 is n = 1)."""
    if n < 1:
        raise PeriodError("任期年度从1开始。")
    if n > 50:
        raise PeriodError(f"任期内没有第{int_to_chinese(n)}年。")
    start = _add_years(program.term_start, n - 1)
    end = min(_add_years(program.term_start, n) - dt.timedelta(days=1), program.term_end)
    label = "首年" if n == 1 else f"第{int_to_chinese(n)}年"
    if start > program.term_end:
        raise PeriodError(
            f"任期内没有{label}：{program}的任期为{formatting.date(program.term_start)}至"
            f"{formatting.date(program.term_end)}。"
        )
    return Period(start, end, label)


def presets(program, today: dt.date | None = None) -> list[Period]:
    """The periods offered in the UI for a program: 进疆以来, each program year, each calendar year."""
    today = today or timezone.localdate()
    result = [since_term_start(program, today)]
    n = 1
    while True:
        try:
            p = program_year(program, n)
        except PeriodError:
            break
        if p.start > today:
            break
        result.append(p)
        n += 1
    for year in range(program.term_start.year, min(today.year, program.term_end.year) + 1):
        result.append(calendar_year(year))
    return result


def organization_presets(since: Period, today: dt.date | None = None) -> list[Period]:
    """The periods offered for an organization: 进疆以来 (its programs' terms so far), each calendar year."""
    today = today or timezone.localdate()
    last = min(max(today.year, since.start.year), since.end.year)
    return [since, *[calendar_year(y) for y in range(since.start.year, last + 1)]]


def named(period: Period, offered: list[Period]) -> Period:
    """The offered period with the same dates (to keep its name, 第二年), or the period itself."""
    for p in offered:
        if p == period:
            return p
    return period
