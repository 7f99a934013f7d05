"""Periods: explicit date ranges, calendar years and quarters, and a program's own years.

A Period is inclusive at both ends. Every figure is computed for a scope and a Period.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yuanjiang.cnnum.numerals import int_to_chinese
from yuanjiang.common import formatting


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(f"时间段的结束日期（{self.end}）不能早于开始日期（{self.start}）。")

    def __str__(self):
        return self.label or f"{formatting.date(self.start)}至{formatting.date(self.end)}"

    @property
    def token(self) -> str:
        """The URL / command-line form, START:END."""
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse 'YYYY-MM-DD:YYYY-MM-DD', 'YYYY' (calendar year) or 'YYYYQn' (quarter)."""
        text = (text or "").strip()
        try:
            if ":" in text:
                a, b = text.split(":", 1)
                return cls(dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip()))
            if len(text) == 4 and text.isdigit():
                return calendar_year(int(text))
            if len(text) == 6 and text[:4].isdigit() and text[4] in "Qq" and text[5] in "1234":
                return quarter(int(text[:4]), int(text[5]))
        except ValueError as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(
                f"无法识别的时间段“{text}”：{exc}。格式应为 开始日期:结束日期，如 2023-04-01:2024-06-30。"
            ) from exc
        raise PeriodError(
            f"无法识别的时间段“{text}”。格式应为 开始日期:结束日期（如 2023-04-01:2024-06-30）、年份（2024）或季度（2024Q2）。"
        )


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def quarter(year: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise PeriodError(f"季度应为1至4，而不是{q}。")
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(start, end, f"{year}年第{int_to_chinese(q)}季度")


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
    return Period(program.term_start, end, "进疆以来")


def program_year(program, n: int) -> Period:
    """The program's n-th year counted from its term start (首年 is n = 1)."""
    if n < 1:
        raise PeriodError("任期年度从1开始。")
    start = _add_years(program.term_start, n - 1)
    end = min(_add_years(program.term_start, n) - dt.timedelta(days=1), program.term_end)
    if start > program.term_end:
        raise PeriodError(f"任期内没有第{n}年。")
    label = "首年" if n == 1 else f"第{int_to_chinese(n)}年"
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
