"""Matching is declarative: with the declarations docs/claims.md asks of the other apps' metrics, every
claim of the seed finds its metric, and nothing is guessed. No database: metrics are plain declarations."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanjiang.claims import matching
from yuanjiang.claims.periods import claim_period
from yuanjiang.cnnum import extract_claims
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import Metric

SEED = Path(__file__).parent / "cnnum" / "data" / "seed" / "000_33cfab6a1a367774.txt"


def M(code, label, unit, aliases=(), **kw):
    return Metric(code=code, label=label, unit=unit, aliases=tuple(aliases), **kw)


# What issues 8–10 are asked to declare (docs/claims.md, "What the seed needs").
PROPOSED = [
    M("investment.projects_signed", "签约项目数", "个", ("签约项目", "现场签约项目"), cues=("签约",)),
    M(
        "investment.signed_planned_investment",
        "签约项目计划总投资",
        "元",
        ("计划总投资",),
        claim_modalities=("planned",),
        cues=("签约",),
    ),
    M(
        "investment.signed_expected_jobs",
        "签约项目预计带动就业",
        "人",
        ("受援地就业", "带动受援地就业", "带动就业"),
        claim_modalities=("expected",),
        cues=("签约",),
    ),
    M("investment.promotion_events", "专题招商活动", "次", ("专题招商活动", "招商活动")),
    M("investment.leading_enterprises_contacted", "对接龙头企业", "家", ("龙头企业", "对接龙头企业")),
    M("investment.institutions_visited", "拜访高校科研院所", "家", ("高校科研院所", "拜访高校科研院所")),
    M("investment.projects_landed", "落户产业援疆项目", "个", ("产业援疆项目", "落户项目"), cues=("落户",)),
    M(
        "investment.landed_planned_investment",
        "落户项目计划总投资",
        "元",
        ("计划总投资",),
        claim_modalities=("planned",),
        cues=("落户",),
    ),
    M("investment.park_projects", "青创园落户项目", "个", ("特色项目", "落户项目"), entities=("青创园",)),
    M(
        "investment.park_planned_investment",
        "青创园项目计划总投资",
        "元",
        ("计划总投资",),
        claim_modalities=("planned",),
        entities=("青创园",),
    ),
    M("investment.park_jobs", "青创园项目拉动就业", "人", ("拉动就业", "带动就业"), entities=("青创园",)),
    M("education.fund_donations", "教育基金捐赠", "元", ("启动资金", "捐赠启动资金")),
    M(
        "education.school_places",
        "援建学校学位",
        "个",
        ("学生", "学位"),
        claim_modalities=("capacity",),
        claim_units=("人",),
    ),
    M("talent.shortage_visit_person_times", "紧缺领域人才进疆", "人次", ("紧缺领域人才进疆开展工作",)),
    M("training.aid_funds", "培训投入援疆资金", "元", ("投入援疆资金",)),
    M("training.person_times", "培训人次", "人次", ("专业技术人才赴内地或就地培训", "培训人次")),
]

EXPECTED = {
    "15个": "projects.count",
    "100%": "projects.started_rate",
    "3个": "investment.projects_signed",
    "2亿元": "investment.signed_planned_investment",
    "近200人": "investment.signed_expected_jobs",
    "13次": "investment.promotion_events",
    "50余家": "investment.leading_enterprises_contacted",
    "9家": "investment.institutions_visited",
    "10个": "investment.projects_landed",
    "11个": "investment.park_projects",
    "超3亿元": "investment.park_planned_investment",
    "400余人": "investment.park_jobs",
    "118万元": "education.fund_founding_donations",  # 启动资金: the founding donation (issue 21)
    "3000名": "education.school_places",
    "20个": "health.free_clinic_townships",
    "2500余人次": "health.free_clinic_beneficiaries",
    "86人次": "talent.shortage_visit_person_times",
    "480万元": "training.aid_funds",
    "3100余人次": "training.person_times",
    "近300万元": "investment.park_upgrade_funds",  # 投入 | 改造电力、燃气等基础设施: its purpose names it
}
# Claims that must stay unmatched: one named thing (…的…), a company's own figures, a per-teacher load.
UNMATCHED = {
    "超30亿元",
    "超亿元",
    "数批",
    "1500平方米",
    "3条",
    "500万元",
    "约2000万元",
    "两个",
    "4万平方米",
}


@pytest.fixture
def metrics():
    """The registered metrics; a proposed declaration stands in for a metric not registered (yet).
    Once the other apps are merged, their real declarations are the ones tested here."""
    real = {m.code: m for m in registry.all_metrics()}
    return list(real.values()) + [m for m in PROPOSED if m.code not in real]


def matched(metrics):
    text = SEED.read_text(encoding="utf-8")
    by_code = {m.code: m for m in metrics}
    entities = matching.entity_words(metrics)
    out = []
    for claim in extract_claims(text):
        m = matching.match(claim, matching.phrases_of(text, claim), metrics, by_code, entities)
        out.append((claim, m))
    return out


def test_every_seed_claim_finds_its_declared_metric(metrics):
    for claim, m in matched(metrics):
        if claim.fragment in EXPECTED:
            assert not m.candidates, (claim.fragment, [c.code for c in m.candidates])
            assert m.metric is not None, claim.fragment
            assert m.metric.code == EXPECTED[claim.fragment], claim.fragment
        else:
            assert claim.fragment in UNMATCHED, claim.fragment
            assert m.metric is None and not m.candidates, (claim.fragment, m.metric)


def test_without_the_declarations_nothing_is_guessed():
    own = [m for m in registry.all_metrics() if m.code.split(".")[0] in ("projects", "health")]
    for claim, m in matched(own):
        if claim.fragment in ("15个", "100%", "20个", "2500余人次"):
            assert m.metric is not None
        else:
            assert m.metric is None, (claim.fragment, m.metric.code)


def test_units_must_agree():
    metrics = [
        M("a.people", "受益群众", "人", ("受益群众",)),
        M("a.times", "受益群众", "人次", ("受益群众",)),
    ]
    text = "受益群众2500余人次，受益群众300人。"
    claims = extract_claims(text)
    codes = [matching.match(c, matching.phrases_of(text, c), metrics, {}, set()).metric.code for c in claims]
    assert codes == ["a.times", "a.people"]


def test_equal_matches_are_unclear_not_guessed():
    metrics = [M("a.x", "培训", "人次", ("培训",)), M("b.y", "培训人次", "人次", ("培训",))]
    text = "开展培训300人次。"
    claim = extract_claims(text)[0]
    m = matching.match(claim, matching.phrases_of(text, claim), metrics, {}, set())
    assert m.metric is None and {c.code for c in m.candidates} == {"a.x", "b.y"}


def test_cues_break_a_tie_and_entities_restrict():
    metrics = [
        M("a.signed", "计划总投资", "元", ("计划总投资",), claim_modalities=("planned",), cues=("签约",)),
        M("a.landed", "计划总投资", "元", ("计划总投资",), claim_modalities=("planned",), cues=("落户",)),
        M("a.park", "计划总投资", "元", ("计划总投资",), claim_modalities=("planned",), entities=("青创园",)),
    ]
    by_code = {m.code: m for m in metrics}
    for text, code in [
        ("3个项目现场签约，计划总投资2亿元。", "a.signed"),
        ("10个项目先后落户，计划总投资5亿元。", "a.landed"),
        ("青创园11个项目落户，计划总投资超3亿元。", "a.park"),
    ]:
        claim = next(c for c in extract_claims(text) if c.unit == "元")
        m = matching.match(claim, matching.phrases_of(text, claim), metrics, by_code, {"青创园"})
        assert m.metric.code == code, text


def test_planned_claim_uses_the_declared_counterpart():
    actual = M("a.jobs", "带动就业", "人", ("带动就业",), planned_counterpart="a.jobs_expected")
    expected = M("a.jobs_expected", "预计带动就业", "人", ("预计带动就业",), claim_modalities=("expected",))
    by_code = {"a.jobs": actual, "a.jobs_expected": expected}
    text = "项目建成后预计带动就业500人。"
    claim = extract_claims(text)[0]
    assert claim.modality == "expected"
    m = matching.match(claim, matching.phrases_of(text, claim), [actual], by_code, set())
    assert m.metric.code == "a.jobs_expected"
    # an actual metric without a counterpart never checks a planned claim
    lone = M("a.jobs", "带动就业", "人", ("带动就业",))
    assert matching.match(claim, matching.phrases_of(text, claim), [lone], {}, set()).metric is None


class _Program:
    import datetime as _dt

    term_start = _dt.date(2023, 4, 1)
    term_end = _dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("before", "date", "start", "end", "cue"),
    [
        ("进疆以来，工作组开展", None, "2023-04-01", "2024-06-30", "进疆以来"),
        ("翻开“首年答卷”：", None, "2023-04-01", "2024-06-30", "首年"),
        ("翻开“首年答卷”：", "2025-06-01", "2023-04-01", "2024-03-31", "首年"),
        ("去年8月，工作组捐赠", "2024-06-21", "2023-08-01", "2024-06-21", "去年8月"),
        ("去年8月，工作组捐赠", None, "2023-04-01", "2024-06-30", "去年8月"),
        ("今年以来，", "2024-06-21", "2024-01-01", "2024-06-21", "今年"),
        ("在2024年招商项目签约仪式上", None, "2024-01-01", "2024-06-30", "2024年"),
        # a calendar year is cut to the term: the group that came in April reports its 2023 from April
        ("2023年，工作组", None, "2023-04-01", "2023-12-31", "2023年"),
        ("上半年，工作组", "2024-07-02", "2024-01-01", "2024-06-30", "上半年"),
        ("2024年上半年，工作组", None, "2024-01-01", "2024-06-30", "2024年上半年"),
        ("今年1至5月全州接待游客", "2024-06-28", "2024-01-01", "2024-05-31", "今年1至5月"),
        ("一季度，工作组", "2024-04-10", "2024-01-01", "2024-03-31", "一季度"),
        ("过去一年，全县", "2024-01-15", "2023-04-01", "2023-12-31", "过去一年"),
        ("工作组开展", None, "2023-04-01", "2024-06-30", ""),
    ],
)
def test_period_cues(before, date, start, end, cue):
    import datetime as dt

    from yuanjiang.org.periods import Period

    chosen = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
    cp = claim_period(before, chosen, _Program(), dt.date.fromisoformat(date) if date else None)
    assert (cp.period.start.isoformat(), cp.period.end.isoformat(), cp.cue) == (start, end, cue)


def test_a_rounded_rate_matches_the_more_precise_claim():
    from decimal import Decimal

    from yuanjiang.claims.services import MATCH, OVER, UNDER, compare
    from yuanjiang.metrics.registry import RateMetric

    rate = RateMetric(code="a.rate", label="开工率", unit="%", numerator="a", denominator="b", places=1)
    claim = extract_claims("开工率33.54%。")[0]
    assert compare(claim, Decimal("33.5"), rate) == MATCH
    assert compare(claim, Decimal("33.6"), rate) == UNDER  # 33.54 computes as 33.5, never 33.6
    assert compare(claim, Decimal("33.7"), rate) == UNDER
    assert compare(claim, Decimal("33.4"), rate) == OVER
    assert compare(claim, Decimal("33.5")) == OVER  # a count or sum is not rounded: no tolerance


_ALPHABET = "0123456789.,，。、的等个人次余超近约万亿元名家项所计划预计可容纳进疆以来首年今年去年8月青创园签约落户全县乡镇受益群众“”\n "


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_matching_never_fails_on_odd_text(text):
    import datetime as dt

    from yuanjiang.org.periods import Period

    metrics = registry.all_metrics() + PROPOSED
    by_code = {m.code: m for m in metrics}
    entities = matching.entity_words(metrics)
    chosen = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
    for claim in extract_claims(text):
        ph = matching.phrases_of(text, claim)
        m = matching.match(claim, ph, metrics, by_code, entities)
        assert m.metric is None or not m.candidates
        cp = claim_period(text[: claim.start], chosen, _Program(), dt.date(2024, 6, 21))
        assert cp.period.start <= cp.period.end


def test_a_generic_alias_needs_its_activity_in_the_sentence():
    metrics = [m for m in registry.all_metrics() if m.code.startswith("health.")]
    by_code = {m.code: m for m in metrics}
    for text, code in [
        ("巡回义诊实现全县20个乡镇全覆盖，受益群众2500余人次。", "health.free_clinic_beneficiaries"),
        ("资助困难学生，受益群众2500余人次。", None),
        ("全县12个乡镇通了公交。", None),
        # 受益 / 惠及 / 服务群众 say the same: 义诊 in the sentence picks the free clinics' figure,
        # without it the figure of all medical aid
        ("开展义诊活动惠及群众2500余人次。", "health.free_clinic_beneficiaries"),
        ("开展远程会诊惠及群众300人次。", "health.beneficiaries"),
    ]:
        claim = extract_claims(text)[-1]
        m = matching.match(claim, matching.phrases_of(text, claim), metrics, by_code, set())
        assert (m.metric.code if m.metric else None) == code, text


# Spending figures whose phrase is only a verb: the purpose after the figure names them. A made-up
# park (科创园) and made-up declarations, so that nothing here leans on the seed's words.
SPENDING = [
    M(
        "a.upgrade",
        "园区基础设施改造资金",
        "元",
        ("园区改造", "改造基础设施", "基础设施改造"),
        entities=("科创园",),
    ),
    M("a.schools", "援建学校资金", "元", ("建设学校", "学校建设")),
    M("a.disbursed", "拨付援疆资金", "元", ("拨付资金",)),
    M("a.training", "培训投入援疆资金", "元", ("投入援疆资金", "培训资金")),
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # another verb, the purpose in the next clause opened by 用于, examples (…等) before the term
        ("工作组安排资金120万元，用于科创园道路、管网等基础设施改造。", "a.upgrade"),
        # examples between the term's verb and its object
        ("今年累计拨付80万元改造科创园供水、排污等基础设施。", "a.upgrade"),
        # a program-side actor and a light verb (实施) before the purpose; 工程 after it
        ("工作队投入90万元实施科创园基础设施改造工程。", "a.upgrade"),
        # the money named after the figure, the purpose in the next clause
        ("工作队筹集200万元帮扶资金，专项用于科创园基础设施改造。", "a.upgrade"),
        # another purpose, no entity
        ("落实资金500万元建设学校，新增学位1200个。", "a.schools"),
        # the purpose outranks a term that only repeats the verb (投入援疆资金)
        ("投入援疆资金150万元，用于科创园基础设施改造。", "a.upgrade"),
        # without a purpose the phrase before the figure decides, as before
        ("投入援疆资金150万元，组织干部赴内地培训300人次。", "a.training"),
        ("拨付资金80万元。", "a.disbursed"),
        # must stay unmatched: a purpose no metric declares, or one narrowed to another thing
        ("投入60万元改造科创园职工食堂。", None),
        ("投入200万元改造乡村学校基础设施，科创园也受益。", None),
        # …and then a term that only repeats the verb does not decide either (a part of all disbursed funds)
        ("拨付资金80万元用于改造学校食堂。", None),
        # the park's figure needs the park named (entity rule)
        ("投入200万元改造供水、排污等基础设施。", None),
        # a third party's money is not a bare verb: its phrase names who spent it
        ("企业投入500万元改造科创园基础设施。", None),
        # one named thing (…的…)
        ("投入300万元的科创园基础设施改造项目已完工。", None),
        # the purpose of another clause is not this figure's
        ("投入300万元，科创园基础设施改造同步推进。", None),
    ],
)
def test_a_bare_spending_figure_is_named_by_its_purpose(text, code):
    by_code = {m.code: m for m in SPENDING}
    claim = next(c for c in extract_claims(text) if c.unit == "元")
    m = matching.match(claim, matching.phrases_of(text, claim), SPENDING, by_code, {"科创园"})
    assert not m.candidates, (text, [c.code for c in m.candidates])
    assert (m.metric.code if m.metric else None) == code, text


def test_a_planned_spending_figure_keeps_the_modality_rule():
    by_code = {m.code: m for m in SPENDING}
    text = "计划投入500万元改造科创园电力、燃气等基础设施。"
    claim = extract_claims(text)[0]
    assert claim.modality == "planned"
    m = matching.match(claim, matching.phrases_of(text, claim), SPENDING, by_code, {"科创园"})
    assert m.metric is None and "计划" in m.reason
    planned = M(
        "a.upgrade_plan",
        "园区改造计划资金",
        "元",
        ("改造基础设施",),
        claim_modalities=("planned",),
        entities=("科创园",),
    )
    m = matching.match(claim, matching.phrases_of(text, claim), [*SPENDING, planned], by_code, {"科创园"})
    assert m.metric.code == "a.upgrade_plan"


def test_the_registry_names_a_park_upgrade_by_its_purpose(metrics):
    by_code = {m.code: m for m in metrics}
    entities = matching.entity_words(metrics)
    text = "青创园建设加快推进，工作组拨付资金120万元，主要用于园区道路、管网等基础设施改造。"
    claim = next(c for c in extract_claims(text) if c.unit == "元")
    m = matching.match(claim, matching.phrases_of(text, claim), metrics, by_code, entities)
    assert m.metric.code == "investment.park_upgrade_funds"
