from decimal import Decimal

import pytest

from yuanjiang.cnnum import ParseError, Quantity, parse

INF = None


def iv(q: Quantity):
    return (q.low, q.high, q.low_inclusive, q.high_inclusive)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "low", "high", "lo_inc", "hi_inc"),
    [
        ("2500余人次", 2500, "人次", "more_than_approx", 2500, 2600, False, False),
        ("50余家", 50, "家", "more_than_approx", 50, 60, False, False),
        ("3100余人次", 3100, "人次", "more_than_approx", 3100, 3200, False, False),
        ("超30亿元", 3_000_000_000, "元", "over", 3_000_000_000, INF, False, False),
        ("超亿元", 100_000_000, "元", "over", 100_000_000, INF, False, False),
        ("近200人", 200, "人", "nearly", 180, 200, True, False),
        ("将近200人", 200, "人", "nearly", 180, 200, True, False),
        ("约2000万元", 20_000_000, "元", "about", 18_000_000, 22_000_000, True, True),
        ("2000万元左右", 20_000_000, "元", "about", 18_000_000, 22_000_000, True, True),
        ("15个", 15, "个", "exact", 15, 15, True, True),
        ("118万元", 1_180_000, "元", "exact", 1_180_000, 1_180_000, True, True),
        ("100%", 100, "%", "exact", 100, 100, True, True),
        ("33.5%", Decimal("33.5"), "%", "exact", Decimal("33.5"), Decimal("33.5"), True, True),
        ("六成", 60, "%", "exact", 60, 60, True, True),
        ("超六成", 60, "%", "over", 60, INF, False, False),
        ("六成多", 60, "%", "more_than_approx", 60, 70, False, False),
        ("八成以上", 80, "%", "over", 80, INF, True, False),
        ("五分之一多", 20, "%", "more_than_approx", 20, 40, False, False),
        ("百分之三十", 30, "%", "exact", 30, 30, True, True),
        ("1至2万名", 10000, "人", "vague", 10000, 20000, True, True),
        ("20-30人", 20, "人", "vague", 20, 30, True, True),
        ("三至五个", 3, "个", "vague", 3, 5, True, True),
        ("两三百人", 200, "人", "vague", 200, 300, True, True),
        ("数百个", 200, "个", "vague", 200, 1000, True, False),
        ("几十人", 20, "人", "vague", 20, 100, True, False),
        ("数批", 2, "批", "vague", 2, 10, True, False),
        ("数百万元", 2_000_000, "元", "vague", 2_000_000, 10_000_000, True, False),
        ("上千人", 1000, "人", "vague", 1000, 10000, True, False),
        ("万余名", 10000, "人", "more_than_approx", 10000, 20000, False, False),
        ("1.2万余人", 12000, "人", "more_than_approx", 12000, 13000, False, False),
        ("2500余万元", 25_000_000, "元", "more_than_approx", 25_000_000, 26_000_000, False, False),
        ("30多亿元", 3_000_000_000, "元", "more_than_approx", 3_000_000_000, 4_000_000_000, False, False),
        ("十余万", 100_000, "", "more_than_approx", 100_000, 200_000, False, False),
        ("十几万", 100_000, "", "more_than_approx", 100_000, 200_000, False, False),
        ("百余人", 100, "人", "more_than_approx", 100, 200, False, False),
        ("突破千万", 10_000_000, "", "over", 10_000_000, INF, False, False),
        ("逾千人", 1000, "人", "over", 1000, INF, False, False),
        ("200人以上", 200, "人", "over", 200, INF, True, False),
        ("不足200人", 200, "人", "nearly", 0, 200, True, False),
        ("两千五百", 2500, "", "exact", 2500, 2500, True, True),
        ("1.5万", 15000, "", "exact", 15000, 15000, True, True),
        ("30亿", 3_000_000_000, "", "exact", 3_000_000_000, 3_000_000_000, True, True),
        ("十一", 11, "", "exact", 11, 11, True, True),
        ("3000名", 3000, "人", "exact", 3000, 3000, True, True),
        ("4万平方米", 40000, "平方米", "exact", 40000, 40000, True, True),
        ("1,234,567元", 1_234_567, "元", "exact", 1_234_567, 1_234_567, True, True),
        ("１２０人", 120, "人", "exact", 120, 120, True, True),
        ("3公里多", 3, "公里", "more_than_approx", 3, 4, False, False),
        ("5千米", 5, "公里", "exact", 5, 5, True, True),
        ("10万亩", 100_000, "亩", "exact", 100_000, 100_000, True, True),
    ],
)
def test_parse(text, value, unit, qualifier, low, high, lo_inc, hi_inc):
    q = parse(text)
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.qualifier == qualifier
    assert iv(q) == (
        None if low is None else Decimal(low),
        None if high is None else Decimal(high),
        lo_inc,
        hi_inc,
    )


def test_contains_respects_open_and_closed_ends():
    q = parse("2500余人次")
    assert not q.contains(2500) and q.contains(2501) and q.contains(2599.5) and not q.contains(2600)
    q = parse("近200人")
    assert q.contains(180) and q.contains(199) and not q.contains(200) and not q.contains(179)
    q = parse("超30亿元")
    assert q.contains(3_052_000_000) and not q.contains(3_000_000_000)
    assert parse("15个").contains(Decimal(15)) and not parse("15个").contains(14)


def test_quantity_is_frozen_and_decimal():
    q = parse("1.5万人")
    assert isinstance(q.value, Decimal) and q.value == 15000
    with pytest.raises(AttributeError):
        q.value = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "同比增长",
        "abc",
        "第十一批",
        "2024年",
        "9月1日",
        "60岁",
        "2500余人次的",
        "1+3",
        "千方百计x",
        "万元",
        "亿",
    ],
)
def test_not_a_figure(text):
    with pytest.raises(ParseError) as exc:
        parse(text)
    assert isinstance(exc.value, ValueError)
    assert exc.value.args[0]  # a message


def test_parse_error_message_quotes_the_text():
    with pytest.raises(ParseError, match="同比增长"):
        parse("同比增长")
