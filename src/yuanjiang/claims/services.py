"""The claims check: every numeric claim of a text held against the records (docs/claims.md).

``check_text(text, scope, period, date)`` extracts the claims (cnnum), matches each to a metric
(:mod:`.matching`), finds its period (:mod:`.periods`), computes the figures — one ``evaluate`` per
distinct period, over the distinct metrics needed, so the number of queries depends on the metrics
and periods, never on the number of claims — and gives each claim a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from yuanjiang.cnnum import Claim, extract_claims
from yuanjiang.cnnum.extract import json_number
from yuanjiang.common import formatting
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period

from . import matching
from .periods import ClaimPeriod, claim_period

MATCH = "相符"
OVER = "夸大"
UNDER = "少报"
PLANNED = "计划/预期"
NONE = "无对应记录"
UNCLEAR = "口径不明"
REFERENCE = "与参考数据不符"
VERDICTS = (MATCH, OVER, UNDER, PLANNED, REFERENCE, UNCLEAR, NONE)
MODALITY_LABELS = {
    "actual": "实际",
    "planned": "计划",
    "expected": "预期",
    "capacity": "设计能力/容量",
    "target": "目标",
}
# CSS class of each verdict (the page's colours).
VERDICT_CLASS = {
    MATCH: "v-match",
    OVER: "v-over",
    UNDER: "v-under",
    PLANNED: "v-planned",
    REFERENCE: "v-reference",
    UNCLEAR: "v-unclear",
    NONE: "v-none",
}


@dataclass
class CheckResult:
    items: list[dict]
    summary: dict[str, int]
    period: Period
    date: dt.date | None
    scope: Scope
    queries_needed: int = 0  # distinct (metric, period) pairs evaluated
    metrics_needed: int = 0
    periods_needed: int = 0
    warnings: list[str] = field(default_factory=list)


def _records_url(code: str, scope: Scope, period: Period) -> str:
    params = {**scope.query_param, "period": period.token}
    return f"{reverse('metrics:metric_records', args=[code])}?{urlencode(params)}"


def compare(claim: Claim, value: Decimal, metric=None) -> str:
    """相符 when the records' value lies in the claim's interval, 夸大 when the claim lies above it.

    A figure the metric itself rounds (a rate to `places` decimals) matches a claim within half a unit
    of that rounding: 33.54% written, 33.5% computed."""
    if claim.contains(value):
        return MATCH
    places = getattr(metric, "places", None)
    if isinstance(places, int):
        tol = Decimal(5).scaleb(-(places + 1))
        low = claim.low if claim.low is not None else Decimal(0)
        high = claim.high
        if low - tol <= value and (high is None or value <= high + tol):
            return MATCH
    low = claim.low if claim.low is not None else Decimal(0)
    return OVER if low >= value else UNDER


def check_text(
    text: str,
    scope: Scope,
    period: Period,
    date: dt.date | None = None,
    claims: list[Claim] | None = None,
    overrides: dict[int, Period] | None = None,
) -> CheckResult:
    """Check every claim of ``text``; ``overrides`` sets the period of single claims, by their start."""
    claims = extract_claims(text) if claims is None else claims
    metrics = registry.all_metrics()
    by_code = {m.code: m for m in metrics}
    entities = matching.entity_words(metrics)
    program = scope.program

    planned_rows = []
    needed: dict[Period, set[str]] = defaultdict(set)
    for claim in claims:
        ph = matching.phrases_of(text, claim)
        sentence_start = claim.start
        stop = set("。！？!?\n")
        while (
            sentence_start > 0 and text[sentence_start - 1] not in stop and claim.start - sentence_start < 400
        ):
            sentence_start -= 1
        if overrides and claim.start in overrides:
            cp = ClaimPeriod(overrides[claim.start], "用户指定")
        else:
            cp = claim_period(text[sentence_start : claim.start], period, program, date)
        m = matching.match(claim, ph, metrics, by_code, entities)
        for metric in [x for x in (m.metric, *m.candidates, *m.partial) if x is not None]:
            needed[cp.period].add(metric.code)
            if metric.reference_bound:
                needed[cp.period].add(metric.reference_bound)
        planned_rows.append((claim, ph, cp, m))

    values: dict[tuple[Period, str], Decimal | None] = {}
    for p, codes in needed.items():
        figures = registry.evaluate(sorted(codes), scope, p)
        for code, figure in figures.items():
            values[(p, code)] = figure.value

    items = [_item(claim, ph, cp, m, values, scope) for claim, ph, cp, m in planned_rows]
    summary = {v: 0 for v in VERDICTS}
    for it in items:
        summary[it["verdict"]] += 1
    return CheckResult(
        items=items,
        summary=summary,
        period=period,
        date=date,
        scope=scope,
        queries_needed=sum(len(c) for c in needed.values()),
        metrics_needed=len({c for cs in needed.values() for c in cs}),
        periods_needed=len(needed),
    )


def _figure(metric, p: Period, values, scope: Scope) -> dict:
    value = values.get((p, metric.code))
    return {
        "metric": metric.code,
        "label": metric.label,
        "record_value": json_number(value),
        "record_display": formatting.honest(value, metric.unit) if value is not None else "—",
        "record_exact": formatting.exact(value, metric.unit) if value is not None else "—",
        "records_url": _records_url(metric.code, scope, p),
    }


def _item(claim: Claim, ph, cp, m: matching.Match, values, scope: Scope) -> dict:
    item = {
        "fragment": claim.fragment,
        "start": claim.start,
        "end": claim.end,
        "metric_phrase": claim.metric_phrase,
        "value": json_number(claim.value),
        "low": json_number(claim.low),
        "high": json_number(claim.high),
        "interval": claim.quantity.interval_text(),
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "modality": claim.modality,
        "modality_label": MODALITY_LABELS.get(claim.modality, claim.modality),
        "metric": None,
        "metric_label": "",
        "period": {**cp.period.as_dict(), "label": str(cp.period), "cue": cp.cue},
        "record_value": None,
        "record_display": "",
        "record_exact": "",
        "records_url": "",
        "verdict": NONE,
        "comparison": None,
        "note": "",
    }
    notes = [cp.note] if cp.note else []
    planned = claim.modality in matching.PLANNED_MODALITIES
    if m.candidates:
        item["verdict"] = UNCLEAR
        item["alternatives"] = [_figure(x, cp.period, values, scope) for x in m.candidates]
        notes.append("有多个指标都可能对应该数字，请确认口径。")
    elif m.metric is None:
        if m.partial:
            item["verdict"] = UNCLEAR
            item["alternatives"] = [_figure(x, cp.period, values, scope) for x in m.partial]
            notes.append("指标名称只部分吻合（可能是其中一类或另一口径），不作判断。")
        else:
            item["verdict"] = PLANNED if planned else NONE
            notes.append(m.reason)
    else:
        metric = m.metric
        fig = _figure(metric, cp.period, values, scope)
        item.update(fig)
        item["metric_label"] = metric.label
        value = values.get((cp.period, metric.code))
        if value is None:
            item["verdict"] = PLANNED if planned else NONE
            notes.append("记录值为空（如比率的分母为0），无法核对。")
        else:
            verdict = compare(claim, value, metric)
            bound = _reference_check(claim, metric, cp.period, values, verdict)
            if planned:
                item["verdict"] = PLANNED
                item["comparison"] = verdict
                notes.append(f"计划/预期数，与记录的计划数“{metric.label}”比较：{_say(verdict)}。")
            elif bound:
                item["verdict"] = REFERENCE
                item["comparison"] = verdict
                notes.append(bound)
            else:
                item["verdict"] = verdict
    item["note"] = " ".join(n for n in notes if n)
    return item


def _say(verdict: str) -> str:
    return {MATCH: "相符", OVER: "高于记录", UNDER: "低于记录"}[verdict]


def _reference_check(claim: Claim, metric, p: Period, values, verdict: str) -> str:
    """A message when the claim contradicts reference data, naming both numbers; else ''."""
    if verdict == MATCH:
        return ""
    unit = metric.unit
    said = formatting.exact(claim.value, unit)
    if metric.is_reference:
        value = values.get((p, metric.code))
        return f"文中为{said}，参考数据“{metric.label}”为{formatting.exact(value, unit)}。"
    if not metric.reference_bound:
        return ""
    bound_metric = registry.get(metric.reference_bound)
    bound = values.get((p, bound_metric.code))
    if bound is None:
        return ""
    low = claim.low if claim.low is not None else Decimal(0)
    if low > bound or (low == bound and not claim.quantity.low_inclusive):
        recorded = values.get((p, metric.code))
        return (
            f"文中为{said}，但参考数据“{bound_metric.label}”只有{formatting.exact(bound, bound_metric.unit)}；"
            f"记录的“{metric.label}”为{formatting.exact(recorded, unit)}。"
        )
    return ""
