"""Period rules (docs/metrics.md): plan projects = the period's annual plans + continuing projects,
disbursements by date, stocks at the period end; empty rates are None / null / —; one default period
(进疆以来) on the home page of every role."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.urls import reverse

from tests.factories import make_project, make_transaction
from yuanjiang.accounts.models import User
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import FLOW, PLAN, STOCK, evaluate, evaluate_by_program
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period, calendar_year, program_year
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction

pytestmark = pytest.mark.django_db
D = dt.date


def metrics_json(*args):
    out = StringIO()
    call_command("metrics", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _disbursed_in(program, start, end):
    return FundTransaction.objects.filter(
        project__program=program, kind=TransactionKind.DISBURSEMENT, date__range=(start, end)
    ).aggregate(s=Sum("amount"))["s"]


def test_demo_2024_shows_the_years_money_and_continuing_projects(demo):
    payload = metrics_json("--program", "nantong-yining-11", "--period", "2024")
    m = payload["metrics"]
    expected = _disbursed_in(demo.program, D(2024, 1, 1), D(2024, 12, 31))
    assert expected > 0
    assert Decimal(str(m["projects.aid_funds_disbursed"]["value"])) == expected
    continuing = AidProject.objects.filter(program=demo.program, plan_year__lt=2024).filter(
        Q(actual_completion__isnull=True) | Q(actual_completion__gte=D(2024, 1, 1))
    )
    assert continuing.count() > 0
    assert m["projects.count"]["value"] == continuing.count()
    assert m["projects.count_continuing"]["value"] == continuing.count()
    assert m["projects.count_new"]["value"] == 0
    # 开工率 is the annual plan's: 2024 has no plan projects in the demo, so it is null, not 0.
    assert m["projects.started_rate"]["value"] is None
    assert "新建项目数为0" in m["projects.started_rate"]["note"]
    assert m["projects.completed"]["value"] > 0  # projects were completed in 2024
    assert m["projects.disbursement_rate"]["value"] > 0


def test_demo_second_year_and_quarter_are_not_all_zeros(demo):
    second = metrics_json("--program", "nantong-yining-11", "--period", "第二年")
    assert second["period"] == {"start": "2024-04-01", "end": "2025-03-31"}
    assert second["period_label"] == "第二年"
    expected = _disbursed_in(demo.program, D(2024, 4, 1), D(2025, 3, 31))
    assert Decimal(str(second["metrics"]["projects.aid_funds_disbursed"]["value"])) == expected > 0
    assert second["metrics"]["projects.count"]["value"] > 0
    q2 = metrics_json("--program", "nantong-yining-11", "--period", "2024Q2")["metrics"]
    assert Decimal(str(q2["projects.aid_funds_disbursed"]["value"])) == _disbursed_in(
        demo.program, D(2024, 4, 1), D(2024, 6, 30)
    )
    assert Decimal(str(q2["projects.aid_funds_disbursed"]["value"])) >= Decimal("20000000")  # 2024-05-20


def test_first_year_and_since_term_start_keep_the_articles_figures(demo):
    for period in ("首年", "2023-04-01:2024-06-30"):
        m = metrics_json("--program", "nantong-yining-11", "--period", period)["metrics"]
        assert (m["projects.count"]["value"], m["projects.started_rate"]["value"]) == (15, 100), period
        assert m["projects.count_new"]["value"] == 15
    # 进疆以来 as of the article (2024-06-30) is the article's period; as of today it also holds the
    # demo's second year (示意): the four projects of the 2025 plan, all started by now.
    codes = ["projects.count", "projects.count_new", "projects.started_rate"]
    then = periods.parse("进疆以来", program=demo.program, today=D(2024, 6, 30))
    assert (then.start, then.end) == (D(2023, 4, 1), D(2024, 6, 30))
    figures = evaluate(codes, Scope(program=demo.program), then)
    assert [figures[c].value for c in codes] == [15, 15, 100]
    m = metrics_json("--program", "nantong-yining-11", "--period", "进疆以来")["metrics"]
    assert [m[c]["value"] for c in codes] == [15 + 4, 15 + 4, 100]


def test_every_metric_is_declared_completely_and_shown_once():
    """The one registry-wide check of declarations (the apps' tests test what their figures do)."""
    metrics = registry.all_metrics()
    assert {m.code.split(".")[0] for m in metrics} >= {
        "projects",
        "investment",
        "talent",
        "education",
        "health",
        "culture",
    }
    for metric in metrics:
        assert metric.period_rule in (FLOW, STOCK, PLAN), metric.code
        assert metric.description and metric.label and metric.unit, metric.code
        assert metric.label != metric.code and not metric.label.isascii(), metric.code
    sections = registry.sections()
    assert len({s.order for s in sections}) == len(sections), "two sections share a place"
    assert all(s.title and not s.title.isascii() for s in sections)
    shown = [code for s in sections for code in s.codes]
    assert len(shown) == len(set(shown)), "a figure is shown in two sections"
    assert registry.get("projects.aid_funds_disbursed").period_rule == FLOW
    assert registry.get("projects.aid_funds_disbursed_to_date").period_rule == STOCK
    assert registry.get("projects.count").period_rule == PLAN


def test_continuing_projects_rule(program):
    old_open = make_project(program, 1, plan_year=2023, actual_start=D(2023, 6, 1))
    make_project(program, 2, plan_year=2023, actual_start=D(2023, 6, 1), actual_completion=D(2023, 12, 1))
    late = make_project(
        program, 3, plan_year=2023, actual_start=D(2023, 6, 1), actual_completion=D(2024, 3, 1)
    )
    new = make_project(program, 4, plan_year=2024)
    scope = Scope(program=program)
    figures = evaluate(None, scope, calendar_year(2024))
    assert figures["projects.count"].value == 3  # old_open, late (continuing) and new
    assert figures["projects.count_new"].value == 1
    assert figures["projects.count_continuing"].value == 2
    assert figures["projects.started"].value == 2
    assert figures["projects.started_rate"].value == 0  # the 2024 plan project has not started
    assert figures["projects.completed"].value == 1  # late, completed in 2024
    assert figures["projects.completed_total"].value == 2  # stock: everything completed by 2024-12-31
    assert set(registry.get("projects.count").records(scope, calendar_year(2024))) == {old_open, late, new}


def test_disbursements_are_a_flow_and_the_rate_a_stock(program):
    done = make_project(program, 1, plan_year=2023, aid_funds="1000", actual_start=D(2023, 5, 1))
    done.actual_completion = D(2023, 12, 1)
    done.save()
    make_transaction(done, "disbursement", "600", D(2023, 6, 1))
    make_transaction(done, "disbursement", "400", D(2024, 2, 1))  # a final payment in 2024
    figures = evaluate(None, Scope(program=program), calendar_year(2024))
    assert figures["projects.aid_funds_disbursed"].value == 400  # counted by its date
    assert figures["projects.count"].value == 0  # completed before 2024: not a 2024 project
    assert figures["projects.disbursement_rate"].value is None
    first = evaluate(None, Scope(program=program), calendar_year(2023))
    assert first["projects.aid_funds_disbursed"].value == 600
    assert first["projects.aid_funds_disbursed_to_date"].value == 600
    assert first["projects.disbursement_rate"].value == 60


def test_empty_rates_are_none_in_rollups_json_text_and_web(client, supervisor, program, other_program):
    make_project(program, 1, actual_start=D(2023, 6, 1))
    scope = Scope(organization=Organization.objects.get(slug="jiangsu-yili-front"))
    by_program = evaluate_by_program(["projects.count", "projects.started_rate"], scope, calendar_year(2023))
    assert by_program[program.pk]["projects.started_rate"] == 100
    assert by_program[other_program.pk] == {"projects.count": 0, "projects.started_rate": None}

    payload = metrics_json("--program", other_program.slug, "--period", "2023")
    assert payload["metrics"]["projects.started_rate"]["value"] is None
    out = StringIO()
    call_command("metrics", "--program", other_program.slug, "--period", "2023", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.rstrip().endswith("projects.started_rate"))
    assert "—" in line and "0%" not in line

    client.force_login(supervisor)
    body = client.get(reverse("org:program_detail", args=[other_program.slug]), {"period": "2023"}).content
    body = body.decode()
    card = re.search(r'href="[^"]*projects\.started_rate[^"]*">(.*?)</a>', body).group(1)
    assert 'class="empty"' in card and 'title="新建项目数为0' in card
    assert re.sub("<[^>]+>", "", card) == "—"
    rollup = client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"]), {"period": "2023"})
    assert rollup.status_code == 200
    assert 'class="empty"' in rollup.content.decode()
    data = client.get(
        reverse("metrics:figures_json"), {"program": other_program.slug, "period": "2023"}
    ).json()
    assert data["metrics"]["projects.started_rate"]["value"] is None


def test_records_page_shows_the_rule_and_numerator_rows(client, clerk, program):
    make_project(program, 1, actual_start=D(2023, 6, 1))
    make_project(program, 2)
    client.force_login(clerk)
    url = reverse("metrics:metric_records", args=["projects.started_rate"])
    body = client.get(url, {"program": program.slug, "period": "2023"}).content.decode()
    assert "口径" in body and registry.get("projects.started_rate").description in body
    assert registry.PERIOD_RULES[PLAN] in body
    assert body.count("✓ 分子及分母") == 1 and body.count("仅分母") == 1
    url = reverse("metrics:metric_records", args=["projects.disbursement_rate"])
    body = client.get(url, {"program": program.slug, "period": "2023"}).content.decode()
    assert "projects.aid_funds_disbursed_to_date" in body  # the numerator's own records page


@pytest.mark.parametrize("username", ["nt_clerk", "nt_lead", "js_supervisor", "auditor", "admin", "nj_clerk"])
def test_every_roles_home_page_opens_on_since_term_start_with_figures(client, demo, username):
    client.force_login(User.objects.get(username=username))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    period = response.context["period"]
    assert str(period) == "进疆以来"
    # a program's own term; a front command's or province's earliest term (the 第十批 began 2020-07-01)
    program = response.context.get("program")
    programs = [program] if program else list(response.context["scope"].programs())
    assert programs and period.start == min(p.term_start for p in programs)
    assert period.start in (D(2023, 4, 1), D(2020, 7, 1))
    count = re.search(r'projects\.count[^"]*">(.*?)</a>', body).group(1)
    assert re.sub("<[^>]+>", "", count) != "0个"


def test_organization_default_is_its_programs_terms_so_far(client, supervisor, program):
    make_project(program, 1, actual_start=D(2023, 6, 1))
    client.force_login(supervisor)
    response = client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"]))
    period = response.context["period"]
    assert (period.start, str(period)) == (program.term_start, "进疆以来")
    assert period.end == min(dt.date.today(), program.term_end) or period.end <= program.term_end
    body = response.content.decode()
    assert 'name="period"' in body  # the custom box, as on program pages
    token = period.token.replace(":", "%3A")
    assert f'{program.get_absolute_url()}?period={token}"' in body  # carried to the program rows
    assert f"program={program.slug}&amp;period={token}" in body  # and to their figures' records


def test_program_period_names_survive_the_round_trip(client, clerk, program):
    client.force_login(clerk)
    second = program_year(program, 2)
    response = client.get(reverse("org:program_detail", args=[program.slug]), {"period": second.token})
    assert str(response.context["period"]) == "第二年"
    assert Program.objects.count() == 1
    assert Period.parse(second.token) == second
