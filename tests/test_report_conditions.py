"""Report cards that read right for any period and scope (issue 21): a sentence is shown only with
positive figures (else its declared alternative, else it is left out), optional clauses, `when`
conditions, a roll-up definition for an organization, and the load-time checks; stocks and flows
kept apart (the park upgrade in its period, 启动资金 its own figure, 框架协议 only)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.factories import make_project, make_transaction
from yuanjiang.core.context import acting_as
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services

pytestmark = pytest.mark.django_db

CODES = {"projects.count", "projects.started_rate", "projects.completed", "talent.agreements"}


def parse(lines: str, extra: str = ""):
    raw = f'title = "{{scope}}成绩单"\n{extra}\n[[section]]\ntitle = "总体情况"\nlines = [\n{lines}\n]\n'
    return defs.parse(raw, name="t", source="t.toml", known_codes=CODES)


def texts(report) -> list[str]:
    return [line.text for s in report.sections for line in s.lines]


# ---- the definition layer ------------------------------------------------------------------------


def test_a_sentence_is_shown_only_when_its_figures_are_positive_else_its_alternative():
    d = parse(
        '  { text = "{projects.count}项目实现{projects.started_rate}开工[，已完工{projects.completed}]。",'
        ' else = ["实施{projects.count}项目。", "{projects.completed}项目完工。"] },'
    )
    line = d.sections[0].lines[0]
    assert d.codes == ("projects.count", "projects.started_rate", "projects.completed")
    assert defs.choose(line, {"projects.count": 3, "projects.started_rate": 50, "projects.completed": 0}) == (
        line.sentence
    )
    alt = defs.choose(line, {"projects.count": 3, "projects.started_rate": None, "projects.completed": 1})
    assert alt.text == "实施{projects.count}项目。"
    alt = defs.choose(line, {"projects.count": 0, "projects.started_rate": None, "projects.completed": 1})
    assert alt.text == "{projects.completed}项目完工。"
    assert defs.choose(line, dict.fromkeys(d.codes, 0)) is None


def test_when_makes_wording_conditional_on_a_figure_not_shown():
    d = parse('  { text = "签订框架协议，{projects.count}项目。", when = ["talent.agreements"] },')
    line = d.sections[0].lines[0]
    assert "talent.agreements" in d.codes
    assert defs.choose(line, {"projects.count": 2, "talent.agreements": 0}) is None
    assert defs.choose(line, {"projects.count": 2, "talent.agreements": 1}) is not None


@pytest.mark.parametrize(
    "lines,message",
    [
        ('  "成立教育基金。",', "没有任何指标"),
        ('  "成立教育基金[，共{projects.count}]。",', "没有任何指标"),
        ('  { text = "{projects.count}项目", else = "成立教育基金。" },', "替代句"),
        ('  "{projects.count}项目[，已完工]。",', "可选分句“[…]”中没有指标"),
        ('  "{projects.count}项目[，已完工{projects.completed}。",', "没有对应的“]”"),
        ('  "{projects.count}项目]。",', "多余的“]”"),
        ('  "{projects.count}项目[a[{projects.completed}] ]。",', "不能嵌套"),
        ('  { text = "{projects.count}项目", when = ["nope.code"] },', "when 中的未知指标"),
        ('  { text = "{projects.count}项目", otherwise = "x" },', "未知的键 otherwise"),
        ('  { text = "{projects.count}项目", else = 3 },', "else 须为"),
        ('  { text = "{projects.count}项目", else = "{nope.code}" },', "未知指标“nope.code”"),
    ],
)
def test_load_time_checks_reject_a_sentence_that_would_print_regardless_of_records(lines, message):
    with pytest.raises(defs.DefinitionError) as exc:
        parse(lines)
    assert message in str(exc.value)
    assert "t.toml" in str(exc.value) and "第1句" in str(exc.value)


def test_literal_brackets_and_the_rollup_key():
    d = parse('  "[[注]]{projects.count}项目",', extra='rollup = "default-rollup"')
    assert d.rollup == "default-rollup"
    assert d.sections[0].lines[0].parts[0] == "[注]"
    with pytest.raises(defs.DefinitionError, match="rollup 须为另一个"):
        parse('  "{projects.count}",', extra='rollup = "t"')


def test_every_shipped_definition_loads_and_its_rollup_exists():
    for name in defs.file_names():
        d = defs.load_file(name)
        if d.rollup:
            assert d.rollup in defs.file_names(), (name, d.rollup)


# ---- an empty period, and zero figures -----------------------------------------------------------


def test_a_period_with_no_records_prints_no_dash_and_no_zero(program):
    report = services.report_build(
        defs.load(), Scope(program=program), Period(dt.date(2030, 1, 1), dt.date(2030, 12, 31))
    )
    assert report.sections == []
    # Every figure is still computed (the roll-up table and a publication's snapshot keep them).
    assert set(report.figures_by_code) == set(report.definition.codes)
    for fmt in render.FORMATS:
        assert render.render(report, fmt)


def test_a_project_card_without_plan_projects_says_how_many_without_a_dash(program):
    # A project planned in 2023, still under way in 2024: 2024 has no 新建 project, so no 开工率.
    p = make_project(program, 1, plan_year=2023, actual_start=dt.date(2023, 6, 1))
    make_transaction(p, "disbursement", "1000000", dt.date(2024, 3, 1))
    report = services.report_build(defs.load(), Scope(program=program), periods.calendar_year(2024))
    first = texts(report)[0]
    assert first == "实施1个援疆项目。"


# ---- the demo over every period and the 前方指挥部 roll-up -----------------------------------------

PROGRAM_PERIODS = ("首年", "第二年", "2024", "2024年上半年", "进疆以来")
ORG_PERIODS = ("2024", "2024年上半年", "进疆以来")
BRANDS = ("通伊", "通医在伊", "全县")


def _cards():
    program = Program.objects.get(slug="nantong-yining-11")
    org = Organization.objects.get(slug="jiangsu-yili-front")
    for text in PROGRAM_PERIODS:
        yield (
            text,
            services.report_build(defs.load(), Scope(program=program), periods.parse(text, program=program)),
        )
    scope = Scope(organization=org)
    since = periods.since_terms_start(scope.programs())
    for text in ORG_PERIODS:
        yield (
            f"前方指挥部 {text}",
            services.report_build(defs.load(), scope, periods.parse(text, since=since)),
        )


def test_demo_cards_of_every_period_and_the_rollup_show_no_dash_no_zero_nothing_outside(demo, tmp_path):
    seen = {}
    for label, report in _cards():
        payload = json.loads(render.render(report, "json"))
        lines = [line for s in payload["sections"] for line in s["lines"]]
        assert lines, label
        for line in lines:
            assert "—" not in line["text"], (label, line["text"])
            for fig in line["figures"]:
                assert fig["value"] not in (None, 0), (label, line["text"], fig)
        seen[label] = "\n".join(line["text"] for line in lines)
    # The park upgrade (works began 2023-08-10) is claimed in its period only.
    for label in ("首年", "进疆以来"):
        assert "近300万元改造园区" in seen[label], label
    for label in ("第二年", "2024", "2024年上半年", "前方指挥部 2024"):
        assert "改造" not in seen[label], label
    # The fund was founded in August 2023: its 启动资金 is not news in a later year.
    for label in ("第二年", "2024", "2024年上半年"):
        assert "启动资金" not in seen[label] and "成立" not in seen[label], label
    # No 合作协议 counted as 框架协议, no zero of them: 首年 has none.
    assert "框架协议" not in seen["首年"]
    # The roll-up speaks for the whole command, never one program's brand names.
    for label, text in seen.items():
        if label.startswith("前方指挥部"):
            for brand in BRANDS:
                assert brand not in text, (label, brand)
            assert text.startswith("各工作组共实施")


def _checked_lines(label, report) -> list[dict]:
    """The card's JSON lines, each checked: no "—", no empty or zero figure (the checker above)."""
    payload = json.loads(render.render(report, "json"))
    lines = [line for s in payload["sections"] for line in s["lines"]]
    assert lines, label
    for line in lines:
        assert "—" not in line["text"], (label, line["text"])
        for fig in line["figures"]:
            assert fig["value"] not in (None, 0), (label, line["text"], fig)
    return lines


# Each domain and the metric prefixes its sentences use (talent: visits and agreements, or training).
DOMAINS = {
    "projects": ("projects.",),
    "investment": ("investment.",),
    "talent": ("talent.", "training."),
    "education": ("education.",),
    "health": ("health.",),
    "culture": ("culture.",),
}


@pytest.mark.parametrize("text", ["第二年", "2024", "2024年上半年", "2025年上半年"])
def test_the_demos_second_year_gives_every_domain_a_card_line_with_positive_figures(demo, text):
    """The demo's second year (示意, 2024-07-01 to 2025-06-30) fills every section of the card."""
    program = Program.objects.get(slug="nantong-yining-11")
    report = services.report_build(defs.load(), Scope(program=program), periods.parse(text, program=program))
    lines = _checked_lines(text, report)
    shown = {fig["metric"] for line in lines for fig in line["figures"]}
    for domain, prefixes in DOMAINS.items():
        mine = [code for code in shown if code.startswith(prefixes)]
        assert mine, (text, domain, sorted(shown))
        values = [fig["value"] for line in lines for fig in line["figures"] if fig["metric"] in mine]
        assert all(Decimal(str(v)) > 0 for v in values), (text, domain, values)
    titles = [s.title for s in report.sections]
    assert titles == ["总体情况", "产业援疆", "智力援疆", "文化润疆与文旅"], (text, titles)


def test_the_second_year_is_told_apart_from_the_first(demo):
    """The same sentence, different figures: 2025年上半年's card speaks of that half-year's records."""
    program = Program.objects.get(slug="nantong-yining-11")
    cards = {
        text: services.report_build(defs.load(), Scope(program=program), periods.parse(text, program=program))
        for text in ("2024年上半年", "2025年上半年")
    }
    for code in (
        "projects.aid_funds_disbursed",
        "culture.event_participants",
        "health.free_clinic_beneficiaries",
    ):
        first, later = (cards[t].figures_by_code[code].value for t in ("2024年上半年", "2025年上半年"))
        assert first and later and first != later, (code, first, later)
    # The 2025 plan's projects are new in 2025 (开工率 of that year's plan), not in the first year.
    # 2025年上半年: the 2025 plan's 4 projects (all started) and the 2023 projects still under way.
    count = cards["2025年上半年"].figures_by_code["projects.count"].value
    assert count > 4
    assert texts(cards["2025年上半年"])[0] == f"{count}个援疆项目实现100%开工。"
    # 2024年上半年 has no plan of its own (no 2024 plan: it would count in the first year): no 开工率.
    assert texts(cards["2024年上半年"])[0].startswith("实施")


def test_a_later_donation_does_not_become_the_funds_start_up_money(demo):
    from yuanjiang.education.choices import DonorKind
    from yuanjiang.education.models import Fund, FundDonation

    program = Program.objects.get(slug="nantong-yining-11")
    fund = Fund.objects.get(program=program)
    with acting_as(None, source="test"):
        FundDonation.objects.create(
            fund=fund,
            donor="某爱心企业",
            donor_kind=DonorKind.ENTERPRISE,
            date=dt.date(2023, 12, 1),
            amount=Decimal("50000"),
            review_status="approved",
        )
    report = services.report_build(
        defs.load(), Scope(program=program), periods.parse("首年", program=program)
    )
    line = next(t for t in texts(report) if "启动资金" in t)
    assert "启动资金118万元" in line, line
    assert report.figures_by_code["education.fund_donations"].value == Decimal("1230000")


def test_a_cooperation_agreement_is_not_a_framework_agreement(program):
    from yuanjiang.metrics import registry
    from yuanjiang.talent.choices import AgreementKind
    from yuanjiang.talent.models import Agreement

    with acting_as(None, source="test"):
        for kind in (AgreementKind.FRAMEWORK, AgreementKind.COOPERATION):
            Agreement.objects.create(
                program=program,
                kind=kind,
                title=f"协议{kind}",
                signed_on=dt.date(2023, 9, 1),
                review_status="approved",
            )
    period = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    values = registry.evaluate(["talent.agreements"], Scope(program=program), period)
    assert values["talent.agreements"].value == 1
