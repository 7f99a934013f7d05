import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuanjiang.cnnum.numerals import cn_to_int, int_to_chinese


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (2, "二"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (10010, "一万零一十"),
        (305000, "三十万五千"),
        (100000000, "一亿"),
    ],
)
def test_writes_ordinals_as_official_texts_do(n, text):
    assert int_to_chinese(n) == text


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_round_trip(n):
    assert cn_to_int(int_to_chinese(n)) == n


def test_negative_is_refused():
    with pytest.raises(ValueError):
        int_to_chinese(-1)
