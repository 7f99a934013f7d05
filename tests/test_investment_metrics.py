"""产业援疆 figures: the metrics' definitions, one query each, roll-ups that count each record once,
the stage rule in SQL and Python, the demo's figures, and fixed query counts on the pages."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.cases.investment import (
    make_contact,
    make_enterprise,
    make_event,
    make_institution,
    make_investment,
    make_park,
    make_phase,
)
from tests.kit import count_queries
from yuanjiang.investment import stage
from yuanjiang.investment.choices import Stage
from yuanjiang.investment.models import InvestmentProject
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period

D = dt.date.fromisoformat
ALL = Period(D("2023-04-01"), D("2024-06-30"))
H1_2024 = Period(D("2024-01-01"), D("2024-06-30"))
CODES = list(registry.sections()[[s.key for s in registry.sections()].index("investment")].codes)


def value(code, scope, period):
    return registry.evaluate([code], scope, period)[code].value


def test_themed_events_are_counted_by_date_and_kind(program):
    make_event(program, 1, date=D("2023-05-01"))
    make_event(program, 2, date=D("2024-06-30"))
    make_event(program, 3, date=D("2024-07-01"))  # after the period
    make_event(program, 4, date=D("2023-06-01"), kind="signing")  # not 专题招商
    assert value("investment.promotion_events", Scope(program=program), ALL) == 2


def test_distinct_enterprises_and_institutions_are_one_count_distinct_query(program):
    tianying = make_enterprise(1, is_leading=True)
    other_leading = make_enterprise(2, is_leading=True)
    small = make_enterprise(3)
    for day in ("2023-05-01", "2023-06-01", "2024-01-01"):
        make_contact(program, 0, enterprise=tianying, date=D(day))
    make_contact(program, 0, enterprise=other_leading, date=D("2024-07-02"))  # after the period
    make_contact(program, 0, enterprise=small, date=D("2023-07-01"))
    university = make_institution(1)
    make_contact(program, 0, institution=university, date=D("2023-07-01"))
    make_contact(program, 0, institution=university, date=D("2023-08-01"))
    scope = Scope(program=program)
    assert value("investment.leading_enterprises_contacted", scope, ALL) == 1
    assert value("investment.enterprises_contacted", scope, ALL) == 2
    assert value("investment.institutions_visited", scope, ALL) == 1
    metric = registry.get("investment.leading_enterprises_contacted")
    assert count_queries(lambda: metric.compute(scope, ALL)) == 1
    # The provenance is the contacts themselves, each counted enterprise's contacts together.
    assert metric.records(scope, ALL).count() == 3


def test_rollup_counts_an_enterprise_met_by_two_programs_once(program, other_program):
    tianying = make_enterprise(1, is_leading=True)
    make_contact(program, 0, enterprise=tianying)
    make_contact(other_program, 0, enterprise=tianying)
    make_contact(other_program, 0, enterprise=make_enterprise(2, is_leading=True))
    front = Organization.objects.get(slug="jiangsu-yili-front")
    code = "investment.leading_enterprises_contacted"
    assert value(code, Scope(organization=front), ALL) == 2
    by_program = registry.evaluate_by_program([code], Scope(organization=front), ALL)
    assert by_program[program.pk][code] == 1 and by_program[other_program.pk][code] == 2
    assert count_queries(lambda: registry.get(code).compute_by_program(Scope(organization=front), ALL)) == 1


def test_signed_figures_are_a_flow_by_signing_date_and_a_joint_event_counts_each_project_once(
    program, other_program
):
    """The front command's joint signing ceremony: each program records its part (its own event record,
    organizer = the front command) and its own projects; the roll-up adds the projects, once each."""
    front = Organization.objects.get(slug="jiangsu-yili-front")
    ours = make_event(program, 1, kind="signing", date=D("2024-02-28"), organizer=front)
    theirs = make_event(other_program, 2, kind="signing", date=D("2024-02-28"), organizer=front)
    for n, (amount, jobs) in enumerate(((120_000_000, 120), (50_000_000, 45), (30_000_000, 30))):
        make_investment(
            program,
            n,
            signed_event=ours,
            signed_date=D("2024-02-28"),
            planned_investment=Decimal(amount),
            expected_jobs=jobs,
        )
    make_investment(
        other_program, 9, signed_event=theirs, signed_date=D("2024-02-28"), planned_investment=Decimal(7)
    )
    make_investment(
        program, 10, signed_date=D("2023-12-31"), planned_investment=Decimal(1)
    )  # before the period
    mine = Scope(program=program)
    assert value("investment.projects_signed", mine, H1_2024) == 3
    assert value("investment.signed_planned_investment", mine, H1_2024) == 200_000_000
    assert value("investment.signed_expected_jobs", mine, H1_2024) == 195
    rollup = Scope(organization=front)
    assert value("investment.projects_signed", rollup, H1_2024) == 4
    assert value("investment.signed_planned_investment", rollup, H1_2024) == 200_000_007
    assert value("investment.promotion_events", rollup, H1_2024) == 0  # signing ceremonies are not 专题招商


def test_landed_is_a_flow_and_the_park_is_a_stock(program):
    park = make_park(1)
    make_investment(
        program, 1, park=park, signed_date=D("2022-01-01"), landed_date=D("2022-03-01"), actual_jobs=40
    )
    make_investment(
        program, 2, park=park, landed_date=D("2023-08-01"), actual_jobs=30, planned_investment=Decimal(5)
    )
    make_investment(
        program, 3, park=park, signed_date=D("2024-06-01")
    )  # signed, not landed: not a tenant yet
    make_investment(program, 4, landed_date=D("2024-01-10"))  # landed outside any park
    scope = Scope(program=program)
    assert value("investment.projects_landed", scope, ALL) == 2
    assert value("investment.park_projects", scope, ALL) == 2
    assert value("investment.park_jobs", scope, ALL) == 70
    assert value("investment.park_planned_investment", scope, ALL) == 10_000_005
    assert value("investment.park_projects", scope, Period(D("2022-01-01"), D("2022-12-31"))) == 1


@pytest.mark.parametrize(
    ("dates", "on", "expected"),
    [
        ({}, "2024-01-01", Stage.NEGOTIATING),
        ({"negotiation_date": "2023-05-01"}, "2024-01-01", Stage.NEGOTIATING),
        ({"signed_date": "2023-06-01"}, "2023-05-31", Stage.NEGOTIATING),
        ({"signed_date": "2023-06-01"}, "2023-06-01", Stage.SIGNED),
        ({"signed_date": "2023-06-01", "landed_date": "2023-07-01"}, "2023-08-01", Stage.LANDED),
        ({"landed_date": "2023-07-01", "started_date": "2023-08-01"}, "2023-08-01", Stage.STARTED),
        ({"started_date": "2023-08-01", "operating_date": "2024-05-20"}, "2024-05-19", Stage.STARTED),
        ({"started_date": "2023-08-01", "operating_date": "2024-05-20"}, "2024-05-20", Stage.OPERATING),
    ],
)
def test_stage_is_the_same_in_sql_and_python(program, dates, on, expected):
    project = make_investment(program, 1, **{"signed_date": None, **{k: D(v) for k, v in dates.items()}})
    on = D(on)
    assert project.stage_on(on) == expected
    assert InvestmentProject.objects.with_stage(on).get().stage_code == expected.value
    assert list(InvestmentProject.objects.in_stage(expected, on)) == [project]
    for other in Stage:
        if other != expected:
            assert not InvestmentProject.objects.filter(stage.stage_q(other, on)).exists()


# The demo reproduces the article (the acceptance command of issue 8).


def metrics_json(*args):
    out = StringIO()
    call_command("metrics", *args, "--format", "json", stdout=out)
    return {code: m["value"] for code, m in json.loads(out.getvalue())["metrics"].items()}


def test_demo_reproduces_the_articles_investment_figures(demo):
    figures = metrics_json("--program", "nantong-yining-11", "--period", "2023-04-01:2024-06-30")
    assert figures["investment.promotion_events"] == 13
    assert 51 <= figures["investment.leading_enterprises_contacted"] <= 59  # 50余家
    assert figures["investment.institutions_visited"] == 9
    assert figures["investment.projects_landed"] == 10
    assert figures["investment.projects_signed"] >= 3
    assert figures["investment.park_projects"] == 11
    assert figures["investment.park_planned_investment"] > 300_000_000  # 超3亿元
    assert 401 <= figures["investment.park_jobs"] <= 499  # 400余人
    h1 = metrics_json("--program", "nantong-yining-11", "--period", "2024-01-01:2024-06-30")
    assert h1["investment.signed_planned_investment"] == 200_000_000  # 2亿元
    assert 190 <= h1["investment.signed_expected_jobs"] <= 199  # 近200人
    rollup = metrics_json("--org", "jiangsu-yili-front", "--period", "2024-01-01:2024-06-30")
    assert rollup["investment.signed_planned_investment"] == 200_000_000
    assert rollup["investment.signed_expected_jobs"] == h1["investment.signed_expected_jobs"]
    # The second program met 中国天楹 too: the roll-up counts it once.
    rollup_all = metrics_json("--org", "jiangsu-yili-front", "--period", "2023-04-01:2024-06-30")
    assert (
        rollup_all["investment.leading_enterprises_contacted"]
        == figures["investment.leading_enterprises_contacted"]
    )


def test_demo_named_records(demo):
    tianying = InvestmentProject.objects.get(name="中国天楹重力储能及风光新能源项目")
    assert tianying.planned_investment > 3_000_000_000 and tianying.enterprise.is_leading
    assert InvestmentProject.objects.get(name__startswith="天山宝宝").planned_investment > 100_000_000
    fusike = InvestmentProject.objects.get(enterprise__name="新疆福思克制冷科技有限公司")
    assert fusike.started_date.strftime("%Y-%m") == "2024-03" and fusike.park.name == "伊宁县青创园"
    ningjian = InvestmentProject.objects.get(enterprise__name="新疆宁建厨业有限公司")
    phase1, phase2 = ningjian.phases.all()
    assert (
        phase1.operating_date.strftime("%Y-%m") == "2024-05"
        and phase2.planned_operation.strftime("%Y-%m") == "2024-07"
    )
    xjh = InvestmentProject.objects.get(enterprise__name="新疆杏疆好饮料食品有限公司")
    assert xjh.annual_output == 20_000_000
    assert "1500平方米" in xjh.phases.get(sequence=1).content and "3条" in xjh.phases.get(sequence=1).content
    assert xjh.phases.get(sequence=2).planned_investment == 5_000_000
    upgrade = fusike.park.upgrades.get()
    assert upgrade.aid_project.aid_funds == 2_950_000  # 近300万元
    ceremony = fusike.signed_event
    assert ceremony.organizer.slug == "jiangsu-yili-front" and ceremony.signed_projects.count() == 3


# Pages and metrics run a fixed number of queries as rows grow.


def _grow(program, park, start, count):
    for n in range(start, start + count):
        p = make_investment(
            program, n, park=park, signed_date=D("2023-07-01"), landed_date=D("2023-08-01"), actual_jobs=3
        )
        make_phase(program, n, project=p)
        make_contact(
            program, n, enterprise=make_enterprise(1000 + n, is_leading=True), event=make_event(program, n)
        )


def test_investment_pages_and_metrics_queries_are_fixed(client, clerk, program):
    park = make_park(1)
    client.force_login(clerk)
    _grow(program, park, 1, 2)
    event = make_event(program, 999)
    enterprise = make_enterprise(999, is_leading=True)
    # The event's history lists its contacts' changes too, read once per kind of record: one
    # contact at both sizes, so the sizes differ in rows only.
    make_contact(program, 499, enterprise=enterprise, event=event)
    first = InvestmentProject.objects.first()
    pages = {
        "pipeline": reverse("investment:pipeline", args=[program.slug]) + "?period=2023-04-01:2024-06-30",
        "park": reverse("investment:park_detail", args=[park.pk]),
        "event": reverse("investment:promotionevent_detail", args=[event.pk]),
        "enterprise": reverse("investment:enterprise_detail", args=[enterprise.pk]),
        "project": reverse("investment:investmentproject_detail", args=[first.pk]),
        "overview": reverse("org:program_detail", args=[program.slug]) + "?period=2023-04-01:2024-06-30",
        "records": reverse("metrics:metric_records", args=["investment.leading_enterprises_contacted"])
        + f"?program={program.slug}&period=2023-04-01:2024-06-30",
    }
    scope = Scope(program=program)

    def measure():
        counts = {name: count_queries(lambda url=url: client.get(url)) for name, url in pages.items()}
        counts["metrics"] = count_queries(lambda: registry.evaluate(CODES, scope, ALL))
        return counts

    small = measure()
    for n in range(20):
        make_contact(program, 500 + n, enterprise=enterprise, event=event)
        make_phase(program, 600 + n, project=first, sequence=n + 2, name=f"{n + 2}期") if n < 5 else None
    _grow(program, park, 100, 20)
    large = measure()
    assert small == large, (small, large)
    # One query per group of counts and sums over the same records (docs/metrics.md, "Metrics that
    # share their records"): events, each distinct count, signed, landed, park tenants, park upgrades.
    # One statement per records table the figures read (events, contacts, investment projects, parks).
    assert small["metrics"] == 4 < len(CODES)


def test_demo_investment_records_end_at_the_snapshot_date(demo):
    from yuanjiang.demo.data import DEMO_AS_OF
    from yuanjiang.investment.models import Contact, InvestmentPhase, PromotionEvent

    for model, fields in (
        (InvestmentProject, [f for _s, f in stage.STAGES]),
        (InvestmentPhase, ["started_date", "operating_date"]),
        (PromotionEvent, ["date"]),
        (Contact, ["date"]),
    ):
        for field in fields:
            assert not model.objects.filter(**{f"{field}__gt": DEMO_AS_OF}).exists(), (model, field)
