from decimal import Decimal

import pytest

from yuanjiang.cnnum import format_figure, parse


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3_052_000_000, "元", "超30亿元"),
        (2531, "人次", "2500余人次"),
        (195, "人", "近200人"),
        (1_180_000, "元", "118万元"),
        (4_800_000, "元", "480万元"),
        (100, "%", "100%"),
        (52, "家", "50余家"),
        (15, "个", "15个"),
        (12345, "人", "1.2万余人"),
        (Decimal("33.5"), "%", "33.5%"),
        (Decimal("33.54"), "%", "超33.5%"),
        (Decimal("33.46"), "%", "近33.5%"),
        (2500, "人次", "2500人次"),
        (40000, "平方米", "4万平方米"),
        (99_990_000, "元", "近1亿元"),
        (2960, "人", "近3000人"),
        (0, "人", "0人"),
        (7, "", "7"),
    ],
)
def test_honest(value, unit, text):
    assert format_figure(value, unit) == text


def test_qualifier_follows_direction_of_rounding():
    # rounded down → 超/余 (the value is above the figure); rounded up → 近 (below it)
    for value, unit in [(3_052_000_000, "元"), (2531, "人次"), (52, "家"), (1234, "元")]:
        text = format_figure(value, unit)
        assert text.startswith("超") or "余" in text
        assert parse(text).low < value
    text = format_figure(195, "人")
    assert text.startswith("近") and parse(text).value > 195


def test_near_only_within_ten_percent():
    # 160 at precision 1 would round to 200, but 160 is not "近200" (below 180): round down instead
    assert format_figure(160, "人", precision=1) == "100余人"
    assert format_figure(191, "人", precision=1) == "近200人"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (4_800_000, "元", "480万元"),
        (1_234_567, "元", "123.4567万元"),
        (3_052_000_000, "元", "30.52亿元"),
        (2531, "人次", "2531人次"),
        (Decimal("1234.5"), "元", "1234.5元"),
        (12345, "人", "1.2345万人"),
        (Decimal("33.54"), "%", "33.54%"),
    ],
)
def test_exact_mode(value, unit, text):
    assert format_figure(value, unit, mode="exact") == text


def test_plain_digits():
    assert format_figure(3_052_000_000, "元", mode="exact", plain_digits=True) == "3052000000元"
    assert format_figure(3_052_000_000, "元", plain_digits=True) == "超3000000000元"
    assert format_figure(12345, "人", plain_digits=True) == "12000余人"
    assert format_figure(1_180_000, "元", plain_digits=True) == "1180000元"


def test_precision():
    # at precision 3 a mantissa of up to 4 significant digits is already a round figure
    assert format_figure(3_052_000_000, "元", precision=3) == "30.52亿元"
    assert format_figure(3_052_600_000, "元", precision=3) == "超30.5亿元"
    assert format_figure(2531, "人次", precision=3) == "2530余人次"
    assert format_figure(3_052_000_000, "元", precision=1) == "超30亿元"
    assert format_figure(1_234_567, "元", precision=4) == "近123.5万元"


def test_float_is_converted_through_str():
    assert format_figure(0.1, "元", mode="exact") == "0.1元"
    assert format_figure(33.5, "%") == "33.5%"


def test_negative_values_are_written_exactly():
    assert format_figure(Decimal("-3.46"), "%") == "-3.46%"


@pytest.mark.parametrize(
    ("kwargs", "exc"),
    [
        ({"mode": "fancy"}, ValueError),
        ({"precision": 0}, ValueError),
        ({"precision": "2"}, ValueError),
    ],
)
def test_bad_arguments(kwargs, exc):
    with pytest.raises(exc):
        format_figure(10, "人", **kwargs)


def test_bad_values():
    with pytest.raises(ValueError):
        format_figure(float("nan"), "人")
    with pytest.raises(TypeError):
        format_figure(True, "人")
    with pytest.raises(TypeError):
        format_figure([1], "人")
