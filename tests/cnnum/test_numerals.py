from decimal import Decimal

import pytest

from yuanjiang.cnnum.numerals import (
    NumeralError,
    cn_to_decimal,
    cn_to_int,
    last_significant_place,
    normalize,
    significant_digits,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两千五百", 2500),
        ("两千五", 2500),
        ("三百五", 350),
        ("十一", 11),
        ("二十", 20),
        ("一百一十", 110),
        ("三百零五", 305),
        ("一千零一", 1001),
        ("三万五千", 35000),
        ("一万二", 12000),
        ("一亿二千万", 120_000_000),
        ("亿", 100_000_000),
        ("千万", 10_000_000),
        ("万", 10_000),
        ("十万", 100_000),
        ("一万亿", 10**12),
        ("二〇二四", 2024),
        ("叁佰", 300),
        ("五", 5),
    ],
)
def test_chinese_integers(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["三八", "五一", "十十", "一二", "千百", "", "万万"])
def test_malformed_numerals_are_rejected(text):
    with pytest.raises(NumeralError):
        cn_to_int(text)


def test_chinese_decimal():
    assert cn_to_decimal("三点五") == Decimal("3.5")


def test_normalize_keeps_length():
    s = "１２３％，　人"
    assert normalize(s) == "123%， 人"
    assert len(normalize(s)) == len(s)


def test_places_and_significant_digits():
    assert last_significant_place(Decimal(2500)) == 100
    assert last_significant_place(Decimal("1.2")) == Decimal("0.1")
    assert last_significant_place(Decimal(50)) == 10
    assert significant_digits(Decimal(118)) == 3
    assert significant_digits(Decimal("30.52")) == 4
