"""The comparison's statistics: the exact t quantile against published table values, pooling, and
Welch's interval on a hand-computed case."""

import math

import pytest

from yuanjiang.education.stats import Summary, betainc, pool, t_cdf, t_ppf, welch

# Two-sided 95 % critical values t(0.975, df) and one-sided 95 % t(0.95, df) from standard tables.
TABLE_975 = {1: 12.706, 2: 4.303, 3: 3.182, 5: 2.571, 10: 2.228, 20: 2.086, 30: 2.042, 60: 2.000, 120: 1.980}
TABLE_95 = {1: 6.314, 4: 2.132, 10: 1.812, 30: 1.697}


@pytest.mark.parametrize(("df", "expected"), TABLE_975.items())
def test_t_quantile_matches_the_table_975(df, expected):
    assert t_ppf(0.975, df) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(("df", "expected"), TABLE_95.items())
def test_t_quantile_matches_the_table_95(df, expected):
    assert t_ppf(0.95, df) == pytest.approx(expected, abs=5e-4)


def test_t_quantile_tends_to_the_normal_and_is_symmetric():
    assert t_ppf(0.975, 1e7) == pytest.approx(1.95996, abs=1e-4)
    assert t_ppf(0.025, 7.3) == pytest.approx(-t_ppf(0.975, 7.3))
    assert t_cdf(0.0, 3.5) == pytest.approx(0.5)
    assert t_cdf(t_ppf(0.9, 12.4), 12.4) == pytest.approx(0.9, abs=1e-10)
    # df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    assert t_cdf(2.0, 1) == pytest.approx(0.5 + math.atan(2.0) / math.pi, abs=1e-12)
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-4)


def test_pooling_two_classes_is_the_sample_sd_of_their_union():
    # {1, 1} and {3, 3}: union mean 2, sample variance 4/3.
    pooled = pool([Summary(2, 1.0, 0.0), Summary(2, 3.0, 0.0)])
    assert (pooled.n, pooled.mean) == (4, 2.0)
    assert pooled.sd == pytest.approx(math.sqrt(4 / 3))
    assert pool([Summary(40, 85.0, 10.0)]) == Summary(40, 85.0, 10.0)


def test_welch_hand_computed_case():
    # Pilot n=40, mean 85, sd 10; control n=40, mean 80, sd 12.
    # SE = √(100/40 + 144/40) = √6.1 = 2.46982; df = 6.1² / ((2.5² + 3.6²)/39) = 75.543;
    # t(0.975, 75.54) = 1.99187; CI = 5 ± 4.9195 = [0.0805, 9.9195].
    c = welch(Summary(40, 85.0, 10.0), Summary(40, 80.0, 12.0))
    assert c.difference == 5.0
    assert c.se == pytest.approx(2.46982, abs=1e-5)
    assert c.df == pytest.approx(75.5435, abs=1e-3)
    assert c.t == pytest.approx(1.99187, abs=1e-4)
    assert (c.low, c.high) == (pytest.approx(0.0805, abs=1e-3), pytest.approx(9.9195, abs=1e-3))
    assert c.significant and c.verdict == "南通班高于对照班（差异显著）"


def test_overlapping_interval_is_no_significant_difference_never_improvement():
    c = welch(Summary(30, 78.0, 15.0), Summary(30, 76.0, 14.0))
    assert c.low < 0 < c.high
    assert not c.significant
    assert c.verdict == "无显著差异"
    below = welch(Summary(40, 70.0, 10.0), Summary(40, 80.0, 10.0))
    assert below.verdict == "南通班低于对照班（差异显著）"
    for verdict in (
        c.verdict,
        below.verdict,
        welch(Summary(40, 85.0, 10.0), Summary(40, 80.0, 12.0)).verdict,
    ):
        assert "提升" not in verdict


def test_groups_without_spread_and_too_small_groups():
    c = welch(Summary(5, 80.0, 0.0), Summary(5, 80.0, 0.0))
    assert (c.low, c.high, c.verdict) == (0.0, 0.0, "无显著差异")
    with pytest.raises(ValueError):
        welch(Summary(1, 80.0, 0.0), Summary(5, 80.0, 3.0))


def test_interval_bounds_near_zero_keep_their_sign():
    from yuanjiang.education.stats import bound

    assert bound(0.0044) == "0.0044" and bound(-0.0031) == "-0.0031"
    assert bound(0.0) == "0.00" and bound(1.234) == "1.23" and bound(-5.499) == "-5.50"
