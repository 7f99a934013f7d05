import datetime as dt

import pytest

from yuanjiang.org import periods
from yuanjiang.org.periods import Period, PeriodError


def test_parse_forms():
    assert Period.parse("2023-04-01:2024-06-30") == Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
    assert Period.parse("2024").start == dt.date(2024, 1, 1)
    q2 = Period.parse("2024Q2")
    assert (q2.start, q2.end) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    q4 = periods.quarter(2024, 4)
    assert q4.end == dt.date(2024, 12, 31)


@pytest.mark.parametrize("text", ["2024-06-30:2023-04-01", "2024-13-01:2024-12-31", "去年", "2024Q5", ""])
def test_bad_periods_get_a_clear_message(text):
    with pytest.raises(PeriodError) as exc:
        Period.parse(text)
    assert "时间段" in str(exc.value) or "日期" in str(exc.value)


def test_program_years_and_since_term_start(program):
    first = periods.program_year(program, 1)
    assert (first.start, first.end, first.label) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31), "首年")
    third = periods.program_year(program, 3)
    assert third.end == dt.date(2026, 3, 31)
    with pytest.raises(PeriodError):
        periods.program_year(program, 4)
    since = periods.since_term_start(program, today=dt.date(2024, 6, 30))
    assert (since.start, since.end) == (dt.date(2023, 4, 1), dt.date(2024, 6, 30))
    assert periods.since_term_start(program, today=dt.date(2030, 1, 1)).end == program.term_end


def test_labels_in_chinese(program):
    assert periods.program_year(program, 2).label == "第二年"
    assert periods.quarter(2024, 3).label == "2024年第三季度"
    assert program.batch_label == "第十一批"
