"""Matching a claim of a text to the metrics that could measure it — declaratively.

Nothing here knows any metric: a claim is matched by the metrics' own declarations (label, aliases,
unit, claim_modalities, planned_counterpart, entities, cues, reference_bound; docs/metrics.md,
"Matching claims"). The rules, in order:

1. **Unit**: the claim's base unit must be the metric's (人次 is not 人, 元 is not 个); 个 and 项 are
   the same generic count, 场 / 场次 the same count of events as 次; a metric may declare
   ``claim_units`` texts also use for it (学位 in 个, written 3000名学生).
2. **Modality**: an actual claim matches metrics measuring actuals; a planned / expected / capacity /
   target claim matches metrics declaring that modality, or the ``planned_counterpart`` of an actual
   metric it matches.
3. **Entity**: a sentence naming an entity some metric declares (青创园) matches only metrics declaring
   it; a metric declaring entities matches only sentences naming one of them; a metric declaring
   ``requires`` matches only sentences containing one of those words (义诊).
4. **Phrase**: a term (label or alias) matches *fully* when it covers the claim's metric phrase and is
   what the text writes just before the figure (受益群众, 全县|乡镇, 投入|援疆资金), or the phrase with
   the verb that follows the figure (3个项目|现场签约 → 现场签约项目 ends with 签约项目). A term found only
   inside a longer phrase (援疆项目 in 产业援疆项目) is *partial*: a sub-category or another figure may
   be meant, so it never gives a verdict, only 口径不明 with the candidate shown.
5. **Choice**: the longest full term wins; on a tie, the metrics whose ``cues`` occur in the sentence;
   a metric that is the ``reference_bound`` of another candidate gives way to it (the bound is still
   used for the check). Several left → 口径不明 with all of them, never a guess.

A figure followed by 的 (总投资超30亿元的…项目, 总建筑面积4万平方米的…学校) describes one named thing,
not a total, and is not matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yuanjiang.cnnum import Claim
from yuanjiang.cnnum.extract import ACTION_VERBS

ACTUAL = "actual"
PLANNED_MODALITIES = frozenset({"planned", "expected", "capacity", "target"})

# Units that are the same count for matching purposes.
_UNIT_CLASS = {"项": "个", "场": "次", "场次": "次"}

_CLAUSE_END = set("。！？!?\n；;，,：:")
_TRAILING_NEUTRAL = re.compile(
    r"(?:共计|总计|合计|累计|共有|共|达到|达|为|是|有|已|超过|超|逾|近|约|分别|计|仅|均|都|也|已经|突破|高达|多达)+$"
)
_LEADING_ADVERBS = re.compile(
    r"^(?:先后|相继|陆续|全部|均|都|已|已经|实现|正式|顺利|成功|共|累计|分别|一并|集中)+"
)
_GENERIC_VERBS = re.compile(r"^(?:开展|组织|举办|完成|实现|累计|共计|共|先后|全年|其中)+")
_MIN_PARTIAL = 3
_VERB_START = re.compile(
    "(?:赴|到|在|对|为|向|" + "|".join(sorted(ACTION_VERBS, key=len, reverse=True)) + ")"
)


def _clean(s: str) -> str:
    return "".join(ch for ch in s if "\u4e00" <= ch <= "\u9fff" or ch.isalnum())


def unit_class(unit: str) -> str:
    return _UNIT_CLASS.get(unit, unit)


@dataclass
class Phrases:
    """What the text says around one claim, cleaned for matching."""

    key: str  # the claim's metric phrase
    left: str  # the clause up to the figure, ending with the metric phrase
    variants: list[str]  # left, and the phrase with the verb that follows (现场签约项目)
    sentence: str
    attribute: bool  # the figure qualifies one named thing (…的…)


def phrases_of(text: str, claim: Claim) -> Phrases:
    a = claim.start
    while a > 0 and text[a - 1] not in _CLAUSE_END and claim.start - a < 200:
        a -= 1
    b = claim.end
    while b < len(text) and text[b] not in _CLAUSE_END and b - claim.end < 200:
        b += 1
    lead = text[a : claim.start]
    tail = text[claim.end : b]
    key = _clean(claim.metric_phrase)
    bare = _GENERIC_VERBS.sub("", key)
    if len(bare) >= 2:
        key = bare  # 开展培训 → 培训: a generic verb is not part of what is counted
    tail_clean = _clean(tail)
    attribute = tail.startswith("的")
    if key and tail_clean.startswith(key):
        left = _TRAILING_NEUTRAL.sub("", _clean(lead)) + key
        rest = tail_clean[len(key) :]
    else:
        left = _TRAILING_NEUTRAL.sub("", _clean(lead))
        rest = tail_clean
        if key and not left.endswith(key):
            left = left + key if key not in left else left[: left.rfind(key) + len(key)]
    variants = [left]
    verb = _LEADING_ADVERBS.sub("", rest)[:4]
    if verb and key and not verb.startswith("的"):
        variants.append(verb + key)
    sentence = claim.sentence or text[a:b]
    return Phrases(key=key, left=left, variants=variants, sentence=sentence, attribute=attribute)


@dataclass
class Match:
    """The outcome of matching one claim: the chosen metric, or candidates (口径不明), or nothing."""

    metric: object | None = None  # the metric to check against (a planned counterpart for planned claims)
    candidates: list = field(default_factory=list)  # several full matches (口径不明)
    partial: list = field(default_factory=list)  # metrics matched only inside a longer phrase
    term: str = ""
    reason: str = ""  # why nothing matched (shown to the user)


def _terms(metric) -> list[str]:
    return [t for t in (metric.label, *metric.aliases) if t]


def entity_words(metrics) -> set[str]:
    return {e for m in metrics for e in m.entities}


def match(claim: Claim, ph: Phrases, metrics: list, by_code: dict, all_entities: set[str]) -> Match:
    if ph.attribute:
        return Match(reason="该数字描述单个对象（“…的…”），不是汇总数，不核对。")
    if not ph.key:
        return Match(reason="未识别出数字所指的指标。")
    named = {e for e in all_entities if e in ph.sentence}
    planned = claim.modality in PLANNED_MODALITIES
    unit = unit_class(claim.unit)
    full: list[tuple[int, object, str]] = []
    partial: list = []
    for m in metrics:
        if unit_class(m.unit) != unit and claim.unit not in m.claim_units:
            continue
        if named:
            if not named.intersection(m.entities):
                continue
        elif m.entities:
            continue
        if m.requires and not any(w in ph.sentence for w in m.requires):
            continue
        if planned:
            usable = claim.modality in m.claim_modalities or (
                m.planned_counterpart and ACTUAL in m.claim_modalities
            )
        else:
            usable = ACTUAL in m.claim_modalities
        if not usable:
            continue
        best = 0
        best_term = ""
        is_partial = False
        for t in _terms(m):
            tc = _clean(t)
            if not tc:
                continue
            covers = len(tc) >= len(ph.key) and any(v.endswith(tc) for v in ph.variants)
            # a term that starts with a verb and ends the phrase leaves only the actor uncovered
            # (专业技术人才|赴内地或就地培训): the same figure, not a sub-category
            acts = len(tc) >= 2 and ph.key.endswith(tc) and _VERB_START.match(tc) is not None
            if covers or acts:
                if len(tc) > best:
                    best, best_term = len(tc), tc
            elif len(tc) >= _MIN_PARTIAL and tc in ph.key:
                is_partial = True
        if best:
            full.append((best, m, best_term))
        elif is_partial:
            partial.append(m)
    if not full:
        reason = "没有声明的指标对应该数字的口径。"
        if planned:
            reason = "计划/预期数：没有声明对应的计划指标，不能以实际数核对。"
        return Match(partial=partial, reason=reason)
    top = max(n for n, _, _ in full)
    chosen = [(m, t) for n, m, t in full if n == top]
    if len(chosen) > 1:
        cued = [(m, t) for m, t in chosen if any(c in ph.sentence for c in m.cues)]
        if cued:
            chosen = cued
    if len(chosen) > 1:
        codes = {m.code for m, _ in chosen}
        bounds = {m.reference_bound for m, _ in chosen if m.reference_bound in codes}
        chosen = [(m, t) for m, t in chosen if m.code not in bounds]
    # a reference metric matched along with the metric it bounds gives way to it, whatever the length
    codes = {m.code for _, m, _ in full}
    if len(chosen) == 1 and chosen[0][0].is_reference:
        bounded = [(m, t) for _, m, t in full if m.reference_bound == chosen[0][0].code and m.code in codes]
        if len(bounded) == 1:
            chosen = bounded
    if len(chosen) > 1:
        return Match(candidates=[_for_modality(m, claim, by_code) for m, _ in chosen], term=chosen[0][1])
    metric, term = chosen[0]
    return Match(metric=_for_modality(metric, claim, by_code), term=term)


def _for_modality(metric, claim: Claim, by_code: dict):
    """The metric a claim of this modality is checked against: its planned counterpart if needed."""
    if claim.modality in PLANNED_MODALITIES and claim.modality not in metric.claim_modalities:
        return by_code.get(metric.planned_counterpart, metric)
    return metric
