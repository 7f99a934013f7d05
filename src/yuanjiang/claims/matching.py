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

**Purpose**: when the phrase before a figure is only a verb of spending (投入 / 投资 / 安排 / 拨付 / 落实 /
完成投资 …, possibly with 资金 or a program-side actor such as 工作组), it says nothing of what was
counted; the words after the figure up to the clause end say it (投入近300万元|改造电力、燃气等基础设施;
拨付资金80万元，|用于园区改造 — a next clause opened by 用于 counts). Such a *purpose* takes part in
rule 4: a term matches it fully when it spans the whole purpose, from its start (or after its leading
verb) to its end (trailing 工程 / 建设 / 项目 / 提升 … ignored), where the term may skip only an
enumeration (电力、燃气等) or a declared entity (青创园) — 改造基础设施 covers 改造电力、燃气等基础设施
and 改造青创园基础设施, 基础设施改造 covers 青创园基础设施改造, but 改造学校基础设施 (a restriction)
is covered by nothing. Purposes never give partial matches; unit, modality and the entity rules apply
as for any claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yuanjiang.cnnum import Claim
from yuanjiang.cnnum.extract import ACTION_VERBS, label_phrase

ACTUAL = "actual"
PLANNED_MODALITIES = frozenset({"planned", "expected", "capacity", "target"})

# Units that are the same count for matching purposes.
_UNIT_CLASS = {"项": "个", "场": "次", "场次": "次"}

_CLAUSE_END = set("。！？!?\n；;，,：:")
_TRAILING_NEUTRAL = re.compile(
    r"(?:共计|总计|合计|累计|共有|共|达到|达|为|是|有|已|超过|超|逾|近|(?<![签合预节制公条邀履])约|分别|计|仅|均|都|也|已经|突破|高达|多达)+$"
)
_LEADING_ADVERBS = re.compile(
    r"^(?:先后|相继|陆续|全部|均|都|已|已经|实现|正式|顺利|成功|共|累计|分别|一并|集中)+"
)
_GENERIC_VERBS = re.compile(r"^(?:开展|组织|举办|完成|实现|累计|共计|共|先后|全年|其中)+")
_MIN_PARTIAL = 3
# A phrase that is only a verb of spending (and maybe 资金 or a program-side actor) says nothing of what
# was counted: the figure's purpose, after it, does. (Donating has metrics of its own: 捐赠 is not here.)
_SPEND_VERBS = (
    "投入 投资 安排 拨付 划拨 落实 完成 使用 筹集 募集 筹措 争取 下达 支出 整合 统筹 注入 出资 提供"
).split()
_FUNDS = r"(?:援疆|援藏|援青|帮扶|援助|协作|专项|财政|配套)?(?:资金|经费|款项)"
_BARE_SPENDING = re.compile(
    r"^(?:工作组|工作队|指挥部|前方指挥部|援疆指挥部|援疆工作组|援疆干部|援疆团队|我们)?"
    r"(?:决定|先后|相继|陆续|累计|共计|总计|合计|共|已|已经|直接|再|又|还|另|另外|今年|去年|全年|当年|首年|"
    r"计划|拟|预计|将|争取|专门|专项|一次性|分别)*"
    r"(?:(?:" + "|".join(sorted(_SPEND_VERBS, key=len, reverse=True)) + r")+(?:" + _FUNDS + r"|金额)?"
    r"|" + _FUNDS + r")$"
)
_PURPOSE_LEAD = re.compile(
    r"^(?:并|其中|主要|全部|专项|专门|重点|集中|统筹|全额|分别)*(?:用于|用来|用作|用在|于)?"
)
_PURPOSE_NEXT_CLAUSE = re.compile(
    r"^(?:并|其中)?(?:主要|全部|专项|专门|重点|集中|统筹|全额|分别)*(?:用于|用来|用作|支持)"
)
_LIGHT_VERBS = re.compile(r"^(?:实施|推进|开展|支持|加快|推动|进行|加强|完成|大力推进|全力推进|保障)")
_PURPOSE_TAIL = re.compile(r"(?:工程|建设|项目|工作|任务|提升|升级|完善|等)+$")
_MAX_PURPOSE = 40
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
    purposes: list[str] = field(default_factory=list)  # what a bare spending figure was used for
    # other readings of the phrase, tried in order when it matches nothing (docs/claims.md, "Head noun")
    fallbacks: list[Phrases] = field(default_factory=list)
    strict: bool = False  # another reading: a term must cover it whole


def phrases_of(text: str, claim: Claim, entities: set[str] | frozenset = frozenset()) -> Phrases:
    a = claim.start
    while a > 0 and text[a - 1] not in _CLAUSE_END and claim.start - a < 200:
        a -= 1
    b = claim.end
    while b < len(text) and text[b] not in _CLAUSE_END and b - claim.end < 200:
        b += 1
    lead = text[a : claim.start]
    if not _clean(lead):
        lead = label_phrase(text, claim.start) or lead  # 拨付援疆资金：6714万元
    tail = text[claim.end : b]
    key = _clean(claim.metric_phrase)
    bare = _GENERIC_VERBS.sub("", key)
    if len(bare) >= 2:
        key = bare  # 开展培训 → 培训: a generic verb is not part of what is counted
    for e in entities:
        # 青创园投入近300万元…: the entity spends, the figure is still a bare spending one
        if key.startswith(e) and _BARE_SPENDING.match(key[len(e) :]):
            key = key[len(e) :]
            break
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
    key, left = _synonyms(key), _synonyms(left)
    variants = [left]
    verb = _LEADING_ADVERBS.sub("", rest)[:4]
    if verb and key and not verb.startswith("的"):
        variants.append(verb + key)
    sentence = claim.sentence or text[a:b]
    purposes = _purposes(text, b, tail) if _BARE_SPENDING.match(key) and not attribute else []
    ph = Phrases(
        key=key, left=left, variants=variants, sentence=sentence, attribute=attribute, purposes=purposes
    )
    if key and not attribute and not purposes:
        ph.fallbacks = [
            Phrases(key=k, left=k, variants=[k], sentence=sentence, attribute=False, strict=True)
            for k in _other_readings(key, left, claim, text[max(0, a - 200) : claim.start])
        ]
        if tail_clean.startswith(key):
            # the noun after the figure (3个|项目) with the verb before it (签约|3个项目 → 签约项目), or
            # the phrase before it alone (援疆干部人才|17人|踏上…: what follows is no noun)
            lead_clean = _TRAILING_NEUTRAL.sub("", _clean(lead))
            if len(lead_clean) >= 2:
                joined = lead_clean[-2:] + key
                ph.fallbacks.append(
                    Phrases(
                        key=joined,
                        left=joined,
                        variants=[joined],
                        sentence=sentence,
                        attribute=False,
                        strict=True,
                    )
                )
                ph.fallbacks.append(
                    Phrases(
                        key=lead_clean[-2:],
                        left=lead_clean,
                        variants=[lead_clean],
                        sentence=sentence,
                        attribute=False,
                        strict=True,
                    )
                )
        trimmed = _TRAILING_VERB.sub("", left)
        if trimmed != left and len(trimmed) >= 2:
            # 义诊活动开展21次: what was held, not the holding
            k = _TRAILING_VERB.sub("", key) or trimmed
            ph.fallbacks.insert(
                0, Phrases(key=k, left=trimmed, variants=[trimmed], sentence=sentence, attribute=False)
            )
    return ph


# Words texts use for the same act (到位资金 is money paid in: 拨付).
_SYNONYMS = (("到位", "拨付"),)
_PERSON_OBJECT = re.compile(
    r"(?P<verb>(?:培训|培养|轮训|带教|选派|引进|招收|招聘|救治|诊疗|慰问|接诊|服务))"
    r"(?:各类|各级|各族)?.{0,14}?(?:人才|干部|群众|人员|学员|医生|教师|医护人员|骨干|农民|青年|职工|患者)$"
)
_PERSON_COUNT_SUFFIXES = ("人次", "受益群众", "参与人次")
_PART_VERB = re.compile(
    r"^(?:已|已经|全部|均|共|累计)?(?P<verb>开工|完工|竣工|投产|落户|签约|建成|开业|运营|交付)$"
)
_NOUN_VERB = re.compile(
    r"^(?P<noun>项目|企业)(?:已|已经|全部|均|共|累计)?(?P<verb>开工|完工|竣工|投产|落户|签约|建成|开业|运营|交付)$"
)


_TRAILING_VERB = re.compile(r"(?:开展|举办|进行|组织|实施|召开)$")
_MONEY_OF = re.compile(r"^(?:发放|拨付|投入|安排)?(.{2,6}?)(?:资金|金|款|经费)$")


def _synonyms(s: str) -> str:
    for a, b in _SYNONYMS:
        s = s.replace(a, b)
    return s


def _other_readings(key: str, left: str, claim: Claim, before: str) -> list[str]:
    """Other phrases the figure may be counted by, when its own matches nothing:

    - a person count whose phrase is an act and its object (培训各类人才, 组织专业技术人才赴内地培训 …人次)
      counts the act (培训);
    - a count after only an activity (义诊 | 2500余人次) counts its people (义诊受益群众, 义诊人次);
    - a part of a whole (15个项目，已开工14个，完工5个; 项目完工7个) counts the things of the whole by the
      verb (完工项目)."""
    out = []
    if claim.unit in ("人次", "人"):
        m = _PERSON_OBJECT.search(left[-24:])
        if m:
            out.append(m.group("verb"))
        elif 2 <= len(key) <= 6 and not re.search(r"人|群众|学生|患者|人员|干部", key):
            out.extend(key + suffix for suffix in _PERSON_COUNT_SUFFIXES)
    if claim.unit == "元":
        m = _MONEY_OF.match(key)
        if m:
            out.append(m.group(1))  # 发放资助金 → 资助: the money of an act is counted by the act
    if unit_class(claim.unit) == "个":
        m = _PART_VERB.match(key)
        if m and "项目" in before:
            out.append(m.group("verb") + "项目")
        m = _NOUN_VERB.match(key)
        if m:
            out.append(m.group("verb") + m.group("noun"))
    return out


def _purposes(text: str, b: int, tail: str) -> list[str]:
    """The purpose of a bare spending figure: the rest of its clause, or a next clause opened by 用于.

    Kept raw enough to see enumerations (``、…等``); the variants are the purpose and, when it opens with
    a verb, the purpose without it (改造|园区基础设施)."""
    p = re.sub("^" + _FUNDS, "", _clean(tail), count=1)  # 300万元(援疆)资金|用于…
    if not p and b < len(text) and text[b] in "，,；;":
        e = b + 1
        while e < len(text) and text[e] not in _CLAUSE_END and e - b < 200:
            e += 1
        if _PURPOSE_NEXT_CLAUSE.match(text[b + 1 : e].strip()):
            p = _clean(text[b + 1 : e])
    p = _PURPOSE_LEAD.sub("", p, count=1)
    p = _LIGHT_VERBS.sub("", p, count=1)
    bare = _PURPOSE_TAIL.sub("", p)
    if len(bare) >= 2:
        p = bare
    if len(p) < 2 or len(p) > _MAX_PURPOSE:
        return []
    out = [p]
    verb = _VERB_START.match(p)
    if verb and len(p) - verb.end() >= 2:
        out.append(p[verb.end() :])
    return out


def _covers_purpose(term: str, purposes: list[str], entities: set[str]) -> bool:
    """Whether ``term`` spans a whole purpose, skipping at most an enumeration (…等) or an entity."""
    if len(term) < 4:
        return False
    for p in purposes:
        if p == term:
            return True
        # the term ends the purpose and only an entity (伊宁县青创园) or an enumeration (道路、管网等)
        # stands before it
        if p.endswith(term) and _skippable(p[: -len(term)], entities):
            return True
        # the term's start opens the purpose, its end closes it, and between them stands an
        # enumeration (电力、燃气等) or an entity (青创园)
        for i in range(2, len(term) - 1):
            head, rest = term[:i], term[i:]
            if p.startswith(head) and p.endswith(rest) and len(head) + len(rest) < len(p):
                if _skippable(p[len(head) : len(p) - len(rest)], entities):
                    return True
    return False


def _skippable(words: str, entities: set[str]) -> bool:
    """``words`` only give examples (…等) or name a declared entity, perhaps after its place
    (伊宁县青创园): they do not narrow what the term names."""
    if words.endswith("等"):
        return True
    return any(words.endswith(e) and len(words) - len(e) <= 4 for e in entities)


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


_CLEAN_TERMS: dict[tuple, tuple[str, ...]] = {}


def _clean_terms(metric) -> tuple[str, ...]:
    """The metric's terms, cleaned (cached: the declarations do not change while the process runs)."""
    key = (metric.code, metric.label, metric.aliases)
    found = _CLEAN_TERMS.get(key)
    if found is None:
        found = tuple(tc for tc in (_clean(t) for t in _terms(metric)) if tc)
        _CLEAN_TERMS[key] = found
    return found


def entity_words(metrics) -> set[str]:
    return {e for m in metrics for e in m.entities}


def match(claim: Claim, ph: Phrases, metrics: list, by_code: dict, all_entities: set[str]) -> Match:
    found = _match(claim, ph, metrics, by_code, all_entities)
    if found.metric is None and not found.candidates:
        for other in ph.fallbacks:
            again = _match(claim, other, metrics, by_code, all_entities)
            if again.metric is not None or again.candidates:
                return again
    return found


def _match(claim: Claim, ph: Phrases, metrics: list, by_code: dict, all_entities: set[str]) -> Match:
    if ph.attribute:
        return Match(reason="该数字描述单个对象（“…的…”），不是汇总数，不核对。")
    if not ph.key:
        return Match(reason="未识别出数字所指的指标。")
    named = {e for e in all_entities if e in ph.sentence}
    planned = claim.modality in PLANNED_MODALITIES
    unit = unit_class(claim.unit)
    full: list[tuple[int, object, str]] = []
    by_purpose: list[tuple[int, object, str]] = []
    partial: list = []
    usable_metrics: list = []
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
        usable_metrics.append(m)
        best = purpose_best = 0
        best_term = purpose_term = ""
        is_partial = False
        for tc in _clean_terms(m):
            # a bare spending figure (投入近300万元) is named by what it was used for
            if len(tc) > purpose_best and ph.purposes and _covers_purpose(tc, ph.purposes, all_entities):
                purpose_best, purpose_term = len(tc), tc
            if ph.purposes and _BARE_SPENDING.match(tc):
                continue  # 投入援疆资金 says no more than the figure's own verb: its purpose decides
            covers = len(tc) >= len(ph.key) and any(v.endswith(tc) for v in ph.variants)
            # a term that starts with a verb and ends the phrase leaves only the actor uncovered
            # (专业技术人才|赴内地或就地培训): the same figure, not a sub-category
            acts = (
                not ph.strict and len(tc) >= 2 and ph.key.endswith(tc) and _VERB_START.match(tc) is not None
            )
            if covers or acts:
                if len(tc) > best:
                    best, best_term = len(tc), tc
            elif len(tc) >= _MIN_PARTIAL and tc in ph.key:
                is_partial = True
        if purpose_best:
            by_purpose.append((purpose_best, m, purpose_term))
        if best:
            full.append((best, m, best_term))
        elif is_partial:
            partial.append(m)
    if by_purpose:
        # what the money was used for names the figure better than the verb before it did
        full = by_purpose
    if not full and not partial and len(ph.key) >= 4 and not ph.purposes and not _BARE_SPENDING.match(ph.key):
        full = _near_terms(ph.key, usable_metrics)
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


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _near_terms(key: str, metrics: list) -> list[tuple[int, object, str]]:
    """Terms that name the same thing as the phrase with a qualifier more or less (文化交流活动 for
    文化活动, 会诊疑难病例 for 会诊病例, 文旅交流活动 for 文旅与交流活动): same first character, same
    head noun (last two characters), one a subsequence of the other, at most 3 characters apart."""
    out = []
    for m in metrics:
        for t in _terms(m):
            tc = _clean(t)
            if len(tc) < 4 or tc[0] != key[0] or tc[-2:] != key[-2:] or abs(len(tc) - len(key)) > 3:
                continue
            short, long = (tc, key) if len(tc) <= len(key) else (key, tc)
            if _subsequence(short, long):
                out.append((len(tc), m, tc))
                break
    return out


def _for_modality(metric, claim: Claim, by_code: dict):
    """The metric a claim of this modality is checked against: its planned counterpart if needed."""
    if claim.modality in PLANNED_MODALITIES and claim.modality not in metric.claim_modalities:
        return by_code.get(metric.planned_counterpart, metric)
    return metric
