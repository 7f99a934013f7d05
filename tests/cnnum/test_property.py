"""parse(format(x)) contains x — for every unit, magnitude, mode, precision and digit style."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from yuanjiang.cnnum import format_figure, parse

UNITS = [
    "元",
    "人",
    "人次",
    "个",
    "家",
    "次",
    "%",
    "平方米",
    "亩",
    "吨",
    "所",
    "条",
    "项",
    "户",
    "批",
    "倍",
    "",
]

magnitudes = st.one_of(
    st.integers(min_value=0, max_value=10**13).map(Decimal),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=15).map(lambda e: Decimal(10) ** e),
    st.integers(min_value=1, max_value=99).flatmap(
        lambda m: st.integers(min_value=0, max_value=11).map(lambda e: Decimal(m) * Decimal(10) ** e - 1)
    ),
)


@settings(max_examples=600, deadline=None)
@given(
    x=magnitudes,
    unit=st.sampled_from(UNITS),
    mode=st.sampled_from(["honest", "exact"]),
    precision=st.integers(min_value=1, max_value=4),
    plain=st.booleans(),
)
def test_parse_of_format_contains_value(x, unit, mode, precision, plain):
    text = format_figure(x, unit, mode=mode, precision=precision, plain_digits=plain)
    q = parse(text)
    assert q.contains(x), (x, text, q)
    assert q.unit == unit
    if mode == "exact":
        assert q.qualifier == "exact" and q.value == x


@settings(max_examples=200, deadline=None)
@given(x=st.integers(min_value=20, max_value=10**12), unit=st.sampled_from(["元", "人", "家"]))
def test_honest_never_claims_more_than_the_value(x, unit):
    """The figure may be above the value only behind 近 (and then by less than 10 %)."""
    text = format_figure(x, unit)
    q = parse(text)
    if q.value > x:
        assert text.startswith("近") and x >= q.value * Decimal("0.9")
    else:
        assert q.qualifier in ("exact", "over", "more_than_approx")
