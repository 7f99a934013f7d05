"""The program dashboard and the roll-up, server side: what the charts count, where their points lead,
totals only where figures add up, the export of what is shown, and queries that do not grow with the
records (two sizes)."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user, township
from tests.factories_talent import make_course
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.health.models import MedicalActivity
from yuanjiang.org import dashboard
from yuanjiang.org.periods import Period
from yuanjiang.reports.models import Target

D = dt.date
TERM = Period(D(2023, 4, 1), D(2026, 3, 31))


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


def clinic(program, n, when, town):
    with acting_as(None, source="test"):
        return MedicalActivity.objects.create(
            program=program,
            kind="free_clinic",
            title=f"义诊{n}",
            date=when,
            township=town,
            beneficiaries=100 + n,
            review_status="approved",
        )


def populate(program, first, last):
    """Projects of every kind of state, their money, training, 义诊 and a target: rows for every chart,
    every township cell and several warnings."""
    for n in range(first, last + 1):
        p = make_project(
            program,
            n,
            category=["education", "health", "industry"][n % 3],
            plan_year=2024,
            township=township(program, n),
            planned_start=D(2024, 3, 1),
            planned_completion=D(2024, 9, 1),
            actual_start=D(2024, 4, 1) if n % 2 else None,
            actual_completion=D(2024, 8, 1) if n % 4 == 1 else None,
        )
        make_transaction(p, "commitment", "500000", date=D(2024, 2, 1))
        make_transaction(p, "disbursement", "200000", date=D(2024, 5, 1 + n % 20))
        make_course(program, n, start=D(2024, 6, 1 + n % 20), end=D(2024, 6, 25))
        clinic(program, n, D(2024, 7, 1 + n % 20), township(program, n))
    with acting_as(None, source="test"):
        Target.objects.get_or_create(
            program=program,
            metric="projects.count",
            period_start=TERM.start,
            period_end=TERM.end,
            defaults={"value": Decimal("40")},
        )


def test_charts_count_the_records_their_points_open(client, lead, program):
    populate(program, 1, 8)
    chart = dashboard.projects_chart(program, D(2024, 12, 31))
    assert chart.total == 8
    by_status = {s["name"]: sum(p["value"] for p in s["data"]) for s in chart.series}
    assert by_status == {"未开工": 4, "在建": 2, "已完工": 2}
    client.force_login(lead)
    # A point's URL lists exactly the projects it counts (status as of today: all dates are past).
    for s in chart.series:
        for point in s["data"]:
            listed = client.get(point["url"]).context["object_list"]
            assert len(listed) == point["value"], point["url"]

    funds = dashboard.funds_chart(program, TERM)
    disbursed = next(s for s in funds.series if s["name"] == "拨付")["data"]
    assert disbursed[-1]["value"] == 8 * 20  # 万元, cumulative
    may = funds.categories.index("2024-05")
    listed = client.get(disbursed[may]["url"]).context["object_list"]
    assert len(listed) == 8 and all(t.kind == "disbursement" for t in listed)

    activity = dashboard.activity_chart(program, TERM)
    training = next(s for s in activity.series if s["name"] == "培训人次")["data"]
    assert sum(p["value"] for p in training) == 8 * 40
    clinics = next(s for s in activity.series if s["name"] == "义诊受益人次")["data"]
    assert sum(p["value"] for p in clinics) == sum(100 + n for n in range(1, 9))


def test_township_grid_and_headline_targets(client, lead, program):
    populate(program, 1, 6)
    grid = dashboard.township_grid(program, TERM, list(program.townships()))
    assert sum(c.projects for c in grid) == 6 and sum(c.clinics for c in grid) == 6
    client.force_login(lead)
    page = client.get(reverse("org:program_detail", args=[program.slug]), {"period": "2023-04-01:2026-03-31"})
    html = page.content.decode()
    head = next(h for h in page.context["headlines"] if h.figure.code == "projects.count")
    assert head.target == 40 and head.completion_percent == 15  # 6 of 40
    assert "目标 40个 · 完成 15%" in html
    # Internal codes are out of sight: in a title (on hover), never as text of the page.
    assert ">projects.count<" not in html and 'class="code"' not in html
    assert len(page.context["headlines"]) == 12
    # Each township cell opens its projects.
    busy = next(c for c in grid if c.projects)
    assert f"township={busy.township.pk}" in html


def test_dashboard_warnings_and_recent_changes(client, lead, program):
    populate(program, 1, 4)
    client.force_login(lead)
    page = client.get(reverse("org:program_detail", args=[program.slug]))
    codes = {w.code for w in page.context["warnings"]}
    assert "projects.finish_overdue" in codes and "projects.start_overdue" in codes
    assert "项目逾期未完工" in page.content.decode()
    assert page.context["changes"] and page.context["changes"][0].record


def test_rollup_totals_only_where_figures_add_up_and_export(client, supervisor, program, other_program):
    populate(program, 1, 3)
    populate(other_program, 10, 11)
    client.force_login(supervisor)
    url = reverse("org:organization_detail", args=["jiangsu-yili-front"])
    page = client.get(url, {"period": "2024"})
    totals = {m.code: f for m, f in page.context["totals"]}
    assert totals["projects.count"].value == 5
    assert totals["projects.started_rate"] is None  # a rate has no total
    assert "不相加" in page.content.decode()
    rows = page.context["table_rows"]
    assert {p for p, *_ in rows} == {program, other_program}
    assert all(total >= 1 for *_, total in rows)  # each has overdue projects
    health = client.get(url, {"period": "2024", "domain": "health"})
    assert any(m.code == "health.free_clinics" for m in health.context["columns"])
    assert health.context["domain"][0] == "health"
    # The export is the table shown: its domain, rows and totals.
    export = client.get(url, {"period": "2024", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[1]
    assert header[0] == "援疆项目组" and "援疆项目数（个）" in header and header[-1] == "预警（条）"
    assert {values[2][0], values[3][0]} == {program.name, other_program.name}
    total_row = values[4]
    assert total_row[0].startswith("合计") and total_row[header.index("援疆项目数（个）")] == 5
    assert total_row[header.index("开工率（%）")] == "不相加"


def _queries(client, url) -> int:
    client.get(url)  # warm (content types, caches)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_rollup_queries_do_not_grow_with_the_records(client, program, other_program):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("dash_admin", password="x")
    client.force_login(admin)
    urls = [
        reverse("org:program_detail", args=[program.slug]),
        reverse("org:organization_detail", args=["jiangsu-yili-front"]),
        reverse("org:organization_detail", args=["jiangsu-yili-front"]) + "?domain=health",
        reverse("warnings:program", args=[program.slug]),
    ]
    populate(program, 1, 2)
    small = [_queries(client, u) for u in urls]
    populate(program, 3, 30)
    populate(other_program, 100, 120)
    large = [_queries(client, u) for u in urls]
    assert small == large, (small, large)
