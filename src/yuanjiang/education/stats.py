"""Pilot-versus-control statistics from class summaries (n, mean, standard deviation) only.

- Several classes on one side are pooled into one group: N = Σn, mean = Σn·m / N, and the pooled
  sample variance from the within-class and between-class sums of squares.
- The difference of means (pilot − control) gets a two-sided confidence interval by Welch's t:
  SE = √(s₁²/n₁ + s₂²/n₂), df by Welch–Satterthwaite, CI = d ± t(1 − α/2, df)·SE.
- The t quantile is computed here exactly (the regularized incomplete beta function by its continued
  fraction, inverted by bisection), so no numerical library is needed; tests compare it with
  published table values.
"""

import math
from dataclasses import dataclass

METHOD = (
    "差值 = 南通班（试点班）平均分 − 同校同届同年级对照班平均分；95%置信区间按 Welch t 检验由各班人数、平均分和标准差计算："
    "标准误 SE = √(s₁²/n₁ + s₂²/n₂)，自由度按 Welch–Satterthwaite 公式 "
    "df = (s₁²/n₁ + s₂²/n₂)² ÷ [(s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)]，区间 = 差值 ± t₀.₉₇₅(df) × SE。"
    "同一类型有多个班级时先合并为一组（合并人数、加权平均分与合并标准差）。"
    "区间包含0的写作“无显著差异”；成绩为班级汇总数据，不含学生个人信息；差异反映的是两组班级的成绩差别，"
    "不能单独据此认定为试点的成效。"
)


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    sd: float


@dataclass(frozen=True)
class Comparison:
    difference: float
    se: float
    df: float
    t: float  # the critical value t(1 − α/2, df)
    low: float
    high: float
    pilot: Summary
    control: Summary

    @property
    def interval_text(self) -> str:
        """[low, high] to 2 decimals — with more digits where rounding would hide which side of 0 a
        bound lies (0.004 is not written 0.00 next to 差异显著)."""
        return f"[{bound(self.low)}, {bound(self.high)}]"

    @property
    def significant(self) -> bool:
        """The interval excludes 0."""
        return self.low > 0 or self.high < 0

    @property
    def verdict(self) -> str:
        """How the page writes the result: never 提升, and 无显著差异 when the interval contains 0."""
        if not self.significant:
            return "无显著差异"
        return "南通班高于对照班（差异显著）" if self.difference > 0 else "南通班低于对照班（差异显著）"


def bound(value: float) -> str:
    text = f"{value:.2f}"
    if value != 0 and text in ("0.00", "-0.00"):
        text = f"{value:.2g}"
    return text


def pool(groups: list[Summary]) -> Summary:
    """Several classes' summaries as one group (exact pooled mean and sample standard deviation)."""
    total = sum(g.n for g in groups)
    if total < 2:
        raise ValueError("pooled group needs at least 2 observations")
    mean = sum(g.n * g.mean for g in groups) / total
    ss = sum((g.n - 1) * g.sd**2 + g.n * (g.mean - mean) ** 2 for g in groups)
    return Summary(total, mean, math.sqrt(ss / (total - 1)))


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_ppf(p: float, df: float) -> float:
    """The p-quantile of Student's t (bisection on t_cdf to 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
        if high > 1e12:
            return math.inf
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def welch(pilot: Summary, control: Summary, level: float = 0.95) -> Comparison:
    """pilot.mean − control.mean with its Welch confidence interval at `level`."""
    if pilot.n < 2 or control.n < 2:
        raise ValueError("each group needs n ≥ 2")
    v1, v2 = pilot.sd**2 / pilot.n, control.sd**2 / control.n
    se = math.sqrt(v1 + v2)
    difference = pilot.mean - control.mean
    if se == 0.0:
        # Both groups without spread: the difference is exact.
        df = float(pilot.n + control.n - 2)
        return Comparison(
            difference, 0.0, df, t_ppf(0.5 + level / 2, df), difference, difference, pilot, control
        )
    df = (v1 + v2) ** 2 / (v1**2 / (pilot.n - 1) + v2**2 / (control.n - 1))
    t = t_ppf(0.5 + level / 2.0, df)
    return Comparison(difference, se, df, t, difference - t * se, difference + t * se, pilot, control)
