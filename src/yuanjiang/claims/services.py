"""The claims check: every numeric claim of a text held against the records (docs/claims.md).

``check_text(text, scope, period, date)`` extracts the claims (cnnum), matches each to a metric
(:mod:`.matching`), finds its period (:mod:`.periods`), computes the figures — one ``evaluate`` per
distinct period, over the distinct metrics needed, so the number of queries depends on the metrics
and periods, never on the number of claims — and gives each claim a verdict.
"""

from __future__ import annotations

import datetime as dt
import re
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

from . import matching, subjects
from .markup import strip_markup
from .periods import ClaimPeriod, claim_period, document_period, inferred_date, text_date

MATCH = "相符"
OVER = "夸大"
UNDER = "少报"
PLANNED = "计划/预期"
NONE = "无对应记录"
UNCLEAR = "口径不明"
REFERENCE = "与参考数据不符"
OTHERS = "他方数据"
VERDICTS = (MATCH, OVER, UNDER, PLANNED, REFERENCE, UNCLEAR, OTHERS, NONE)
FLAGS = (OVER, UNDER, REFERENCE)
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
    OTHERS: "v-none v-others",
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
    text: str = ""  # the text checked (markup removed); items' start / end point into it
    detected_period: Period | None = None  # the text's own period, when it differs from the chosen one
    date_inferred: bool = False


def _records_url(code: str, scope: Scope, period: Period) -> str:
    params = {**scope.query_param, "period": period.token}
    return f"{reverse('metrics:metric_records', args=[code])}?{urlencode(params)}"


_WRITTEN = re.compile(r"(\d+)(?:\.(\d+))?\s*(十万|百万|千万|万亿|万|亿|千|百)?")
_MULTIPLIER = {
    "百": 100,
    "千": 1000,
    "万": 10**4,
    "十万": 10**5,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "万亿": 10**12,
}


def rounding_unit(claim: Claim) -> Decimal | None:
    """Half a unit of the last digit written, for a figure without a qualifier written with decimals
    or a multiplier (1.57亿元 → 0.005亿 = 50万元; 9033万元 → 0.5万元; 82.9% → 0.05); None for whole
    numbers without a multiplier (15个, 3000人次 are exact counts)."""
    if claim.qualifier != "exact":
        return None
    m = _WRITTEN.search(claim.fragment.replace(",", ""))
    if not m or not (m.group(2) or m.group(3)):
        return None
    mult = Decimal(_MULTIPLIER.get(m.group(3) or "", 1))
    return mult.scaleb(-len(m.group(2) or "")) / 2


def compare(claim: Claim, value: Decimal, metric=None) -> str:
    """相符 when the records' value lies in the claim's interval, 夸大 when the claim lies above it.

    A figure the metric itself rounds (a rate to `places` decimals) matches a claim within half a unit
    of that rounding: 33.54% written, 33.5% computed. A figure written with decimals and no qualifier
    matches within half a unit of its last digit: 1.57亿元 for 1.5747亿 (docs/claims.md, "Rounding")."""
    if claim.contains(value):
        return MATCH
    places = getattr(metric, "places", None)
    low = claim.low if claim.low is not None else Decimal(0)
    high = claim.high
    tols = []
    if isinstance(places, int):
        tols.append(Decimal(5).scaleb(-(places + 1)))
    written = rounding_unit(claim)
    if written is not None:
        tols.append(written)
    for tol in tols:
        if low - tol <= value and (high is None or value <= high + tol):
            return MATCH
    return OVER if low >= value else UNDER


def check_text(
    text: str,
    scope: Scope,
    period: Period,
    date: dt.date | None = None,
    claims: list[Claim] | None = None,
    overrides: dict[int, Period] | None = None,
) -> CheckResult:
    """Check every claim of ``text``; ``overrides`` sets the period of single claims, by their start.

    Markup is removed first (the items' positions point into ``result.text``). Without a date, one
    is inferred from the term (自去年4月进疆 → the year after the term's start); the text's own period
    (its title, or its opening sentence) is the default of figures without a time cue, and a warning
    says so when it differs from the chosen one."""
    if claims is None:
        text = strip_markup(text)
        claims = extract_claims(text)
    date = date or text_date(text)
    metrics = registry.all_metrics()
    by_code = {m.code: m for m in metrics}
    entities = matching.entity_words(metrics)
    program = scope.program
    notes = text_notes(text, program, period, date)
    date, doc, warnings = notes.date, notes.doc, notes.warnings
    names = subjects.names_for(program)
    named = subjects.mentions(names, text)

    planned_rows = []
    needed: dict[Period, set[str]] = defaultdict(set)
    stop = set("。！？!?\n")
    previous = None
    for claim in claims:
        ph = matching.phrases_of(text, claim, entities)
        sentence_start = claim.start
        while (
            sentence_start > 0 and text[sentence_start - 1] not in stop and claim.start - sentence_start < 400
        ):
            sentence_start -= 1
        before = text[sentence_start : claim.start]
        if overrides and claim.start in overrides:
            cp = ClaimPeriod(overrides[claim.start], "用户指定")
        else:
            cp = claim_period(before, period, program, date, default=doc)
        subject = subjects.subject_of(names, before, named, sentence_start)
        if subject is not None and subject.kind == subjects.OTHER:
            planned_rows.append((claim, ph, cp, None, subject))
            continue
        m = matching.match(claim, ph, metrics, by_code, entities)
        whole = _whole_of(text, claim, previous)
        if whole is not None:
            # 新落户产业援疆项目3个，其中已开工2个: a part is counted among the whole's kind of records
            same = [x for x in metrics if x.code.split(".")[0] == whole.code.split(".")[0]]
            part = matching.match(claim, ph, same, by_code, entities)
            if part.metric is not None or part.candidates:
                m = part
        previous = (claim, m.metric, sentence_start)
        if (
            subject is not None
            and subject.kind == subjects.COUNTY
            and (
                subject.name in subjects.COUNTY_WIDE
                or subjects.is_statistic(subject.name)
                or (m.metric is None and not m.candidates)
            )
        ):
            planned_rows.append((claim, ph, cp, None, subject))
            continue
        for metric in [x for x in (m.metric, *m.candidates, *m.partial) if x is not None]:
            for p in (cp.period, cp.alt):
                if p is None:
                    continue
                needed[p].add(metric.code)
                if metric.reference_bound:
                    needed[p].add(metric.reference_bound)
        planned_rows.append((claim, ph, cp, m, None))

    values: dict[tuple[Period, str], Decimal | None] = {}
    for p, codes in needed.items():
        figures = registry.evaluate(sorted(codes), scope, p)
        for code, figure in figures.items():
            values[(p, code)] = figure.value

    items = [
        _others_item(claim, cp, subject) if m is None else _item(claim, ph, cp, m, values, scope)
        for claim, ph, cp, m, subject in planned_rows
    ]
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
        warnings=warnings,
        text=text,
        detected_period=notes.detected,
        date_inferred=notes.inferred,
    )


def _whole_of(text: str, claim: Claim, previous):
    """The metric of the whole a 其中 clause takes a part of: the previous figure of the sentence."""
    if previous is None:
        return None
    prev_claim, prev_metric, _ = previous
    if prev_metric is None or prev_claim.end > claim.start or text.count("。", prev_claim.end, claim.start):
        return None
    between = text[prev_claim.end : claim.start]
    if "其中" not in between or len(between) > 40:
        return None
    return prev_metric


@dataclass
class TextNotes:
    date: dt.date | None
    inferred: bool
    doc: ClaimPeriod | None  # the text's own period
    detected: Period | None  # the same, when it differs from the chosen period
    warnings: list[str]


def text_notes(text: str, program, period: Period, date: dt.date | None) -> TextNotes:
    """What the whole text says about its date and period (no database query): shown above the
    results. Without a date, one is inferred from the term (自去年4月进疆 → the year after the term's
    start); the text's own period (its title, or its opening cue) is the default of figures without
    a time cue, and a warning says so when it differs from the chosen one."""
    warnings: list[str] = []
    inferred = False
    if date is None and program is not None:
        found = inferred_date(text, program, period)
        if found is not None:
            date, words = found
            inferred = True
            warnings.append(
                f"未给出文本日期：据文中“{words}”与任期开始（{program.term_start.year}年{program.term_start.month}月）"
                f"推断文本写于{date.year}年，相对时间（今年、去年…）据此换算。"
            )
    doc = document_period(text, program, date, period)
    detected = None
    if doc is not None and (doc.period.start, doc.period.end) != (period.start, period.end):
        detected = doc.period
        warnings.append(
            f"文中所述时间段为“{doc.cue}”（{formatting.date(doc.period.start)}至{formatting.date(doc.period.end)}），"
            f"与所选统计期（{period}）不同；未标明时间的数字已按文中时间段核对。"
        )
    return TextNotes(date, inferred, doc, detected, warnings)


def _base_item(claim: Claim, cp: ClaimPeriod) -> dict:
    return {
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


def _others_item(claim: Claim, cp: ClaimPeriod, subject) -> dict:
    item = _base_item(claim, cp)
    item["verdict"] = OTHERS
    item["subject"] = subject.name
    body = subjects.KIND_LABELS.get(subject.body, "")
    item["note"] = (
        f"该数字属于“{subject.name}”{f'（{body}）' if body else ''}，不是本工作组的数字，不以本工作组的记录核对。"
    )
    return item


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


def _verdict_over(claim: Claim, metric, cp: ClaimPeriod, values) -> tuple[str | None, Period]:
    """The verdict against one metric: 相符 if the claim's period, or its other reading (cp.alt),
    supports it; else the verdict of the first reading with something recorded. None when the
    records' value is empty."""
    found = []
    for p in (cp.period, cp.alt):
        if p is None:
            continue
        value = values.get((p, metric.code))
        if value is None:
            continue
        v = compare(claim, value, metric)
        if v == MATCH:
            return MATCH, p
        found.append((v, p, value))
    if not found:
        return None, cp.period
    v, p, _ = next((f for f in found if f[2] != 0), found[0])
    return v, p


def _agreed(claim: Claim, metrics: list, cp: ClaimPeriod, values, partial: bool) -> str | None:
    """The verdict all candidate metrics give, when they agree (口径不明 only when they disagree).

    Candidates of a part (a sub-category matched only inside a longer phrase) agree only on 相符, or on
    夸大: a part cannot exceed its whole; a part below the whole says nothing."""
    verdicts = {_verdict_over(claim, x, cp, values)[0] for x in metrics}
    if len(verdicts) != 1:
        return None
    (v,) = verdicts
    if v is None or (partial and v not in (MATCH, OVER)):
        return None
    return v


def _item(claim: Claim, ph, cp, m: matching.Match, values, scope: Scope) -> dict:
    item = _base_item(claim, cp)
    notes = [cp.note] if cp.note else []
    planned = claim.modality in matching.PLANNED_MODALITIES
    if m.candidates or (m.metric is None and m.partial):
        cands = m.candidates or m.partial
        item["alternatives"] = [_figure(x, cp.period, values, scope) for x in cands]
        agreed = None if planned else _agreed(claim, cands, cp, values, partial=not m.candidates)
        if planned:
            item["verdict"] = PLANNED
            item["comparison"] = UNCLEAR
            notes.append("计划/预期数；可能对应多个计划指标（口径不明），不作比较。")
        elif agreed is not None:
            item["verdict"] = agreed
            if len(cands) == 1:
                item.update(_figure(cands[0], cp.period, values, scope))
                item["metric_label"] = cands[0].label
                notes.append(f"指标名称只部分吻合，按最接近的“{cands[0].label}”核对。")
            else:
                notes.append("有多个指标可能对应该数字，各口径的记录结论一致。")
        elif m.candidates:
            item["verdict"] = UNCLEAR
            notes.append("有多个指标都可能对应该数字，且各口径的记录不一致，请确认口径。")
        else:
            item["verdict"] = UNCLEAR
            notes.append("指标名称只部分吻合（可能是其中一类或另一口径），不作判断。")
    elif m.metric is None:
        item["verdict"] = PLANNED if planned else NONE
        notes.append(m.reason)
    else:
        metric = m.metric
        verdict, used = _verdict_over(claim, metric, cp, values)
        fig = _figure(metric, used, values, scope)
        item.update(fig)
        item["metric_label"] = metric.label
        value = values.get((used, metric.code))
        if used != cp.period:
            item["period"] = {**used.as_dict(), "label": str(used), "cue": cp.cue}
        if verdict is None:
            item["verdict"] = PLANNED if planned else NONE
            notes.append("记录值为空（如比率的分母为0），无法核对。")
        elif value == 0 and verdict == OVER and not planned and not metric.is_reference:
            item["verdict"] = NONE
            notes.append(f"该统计期内没有“{metric.label}”的记录（记录值为0），无法核对；如属实，请补录记录。")
        else:
            bound = _reference_check(claim, metric, used, values, verdict)
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
                if verdict == MATCH and not claim.contains(value):
                    notes.append(f"文中数字为记录值{formatting.exact(value, metric.unit)}的四舍五入。")
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
