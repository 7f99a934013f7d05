"""Counts and sums over the same records are computed together, one filtered aggregate per metric in
one query (docs/metrics.md, "Metrics that share their records"): the batched path of `evaluate` and
`evaluate_by_program` gives exactly what each metric computes on its own, and the number of queries
does not grow with the programs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_transaction
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import AggregateMetric, evaluate, evaluate_by_program, get
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.periods import Period, calendar_year, program_year

# These tests count and read the engine's own statements: nothing served from the figure cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_figure_cache")]

PROJECT_CODES = [m.code for m in registry.all_metrics() if m.code.startswith("projects.")]


def _computed_codes() -> list[str]:
    """Every registered metric except reported figures (报送数 are read, not computed; they have no
    batched path and are covered by their own tests)."""
    return [m.code for m in registry.all_metrics() if not m.reported]


def _one_by_one(codes, scope, period) -> dict:
    """The per-metric path: each metric computes itself (a rate recomputes what it divides)."""
    return {code: get(code).compute(scope, period) for code in codes}


def _one_by_one_by_program(codes, scope, period) -> dict:
    ids = list(scope.programs().values_list("pk", flat=True))
    columns = {code: get(code).compute_by_program(scope, period) for code in codes}
    return {pid: {c: columns[c].get(pid, get(c).empty_value()) for c in codes} for pid in ids}


def _periods(program) -> list[Period]:
    return [
        Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30)),
        program_year(program, 1),
        program_year(program, 2),
        calendar_year(2024),
        calendar_year(2023),
        Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31)),
    ]


@pytest.mark.parametrize("review", [None, "all", "approved"])
def test_batched_equals_per_metric_for_every_metric(demo, review):
    codes = _computed_codes()
    assert len(codes) > 40
    jiangsu = Organization.objects.get(slug="jiangsu")
    scopes = [
        Scope(program=demo.program, review=review),
        Scope(program=demo.second_program, review=review),
        Scope(organization=jiangsu, review=review),
    ]
    nonzero = set()
    for scope in scopes:
        for period in _periods(demo.program):
            batched = {code: f.value for code, f in evaluate(codes, scope, period).items()}
            assert batched == _one_by_one(codes, scope, period), (scope.label, period)
            nonzero |= {code for code, v in batched.items() if v}
    # The demo exercises the figures: most metrics have a value somewhere, so equality is not 0 == 0.
    assert len(nonzero) >= len(codes) * 2 // 3, sorted(set(codes) - nonzero)
    assert set(PROJECT_CODES) <= nonzero


@pytest.mark.parametrize("review", [None, "all"])
def test_batched_by_program_equals_per_metric(demo, review):
    codes = _computed_codes()
    scope = Scope(organization=Organization.objects.get(slug="jiangsu"), review=review)
    for period in _periods(demo.program):
        batched = evaluate_by_program(codes, scope, period)
        assert batched == _one_by_one_by_program(codes, scope, period), period
        previous = demo.program.predecessor  # the 第十批 (示意) of demo/batches.py
        assert set(batched) == {demo.program.pk, demo.second_program.pk, previous.pk}
    # The roll-up adds up to the organization's figure for every count and sum over programs.
    period = _periods(demo.program)[0]
    whole = evaluate(PROJECT_CODES, scope, period)
    rows = evaluate_by_program(PROJECT_CODES, scope, period)
    for code in PROJECT_CODES:
        if isinstance(get(code), AggregateMetric):
            assert sum(row[code] for row in rows.values()) == whole[code].value, code


def test_records_of_a_shared_metric_are_what_it_counts(demo):
    """Provenance: a metric narrowing shared records lists exactly what it counts or sums."""
    scope = Scope(program=demo.program)
    period = calendar_year(2024)
    figures = evaluate(PROJECT_CODES, scope, period)
    for code in PROJECT_CODES:
        metric = get(code)
        if isinstance(metric, registry.CountMetric):
            assert metric.records(scope, period).count() == figures[code].value, code
    planned = get("projects.aid_funds_planned").records(scope, period)
    assert sum(p.aid_funds for p in planned) == figures["projects.aid_funds_planned"].value
    assert figures["projects.count"].value == (
        figures["projects.count_new"].value + figures["projects.count_continuing"].value
    )


def _queries(fn) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _add_programs(n: int, start: int):
    county = Region.objects.get(code="654021")
    provider = Organization.objects.get(slug="nantong-wg")
    for i in range(start, start + n):
        program = Program.objects.create(
            slug=f"agg-{i}",
            name=f"汇总测试项目组{i}",
            provider=provider,
            recipient_region=county,
            batch=9 + i % 3,
            term_start=dt.date(2023, 4, 1),
            term_end=dt.date(2026, 3, 31),
        )
        for n_project in range(2):
            project = make_project(
                program,
                n_project,
                plan_year=2022 + n_project,
                actual_start=dt.date(2023, 6, 1),
                actual_completion=dt.date(2024, 5, 1) if n_project else None,
            )
            make_transaction(project, "disbursement", "1000", date=dt.date(2023, 7, 1))
            make_transaction(project, "disbursement", "500", date=dt.date(2024, 7, 1), review_status="draft")


def test_all_project_metrics_take_two_queries_whatever_the_programs(reference):
    jiangsu = Organization.objects.get(slug="jiangsu")
    period = Period(dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    _add_programs(2, 0)
    small = _queries(lambda: evaluate(PROJECT_CODES, Scope(organization=jiangsu), period))
    first = Program.objects.get(slug="agg-0")
    small_program = _queries(lambda: evaluate(PROJECT_CODES, Scope(program=first), period))
    small_rollup = _queries(lambda: evaluate_by_program(PROJECT_CODES, Scope(organization=jiangsu), period))
    _add_programs(9, 2)
    result = {}
    large = _queries(lambda: result.update(evaluate(PROJECT_CODES, Scope(organization=jiangsu), period)))
    large_rollup = _queries(
        lambda: result.update(
            by_program=evaluate_by_program(PROJECT_CODES, Scope(organization=jiangsu), period)
        )
    )
    # projects (one query) and disbursements (one query); the roll-up lists the programs as well.
    assert small == large == small_program == 2
    assert small_rollup == large_rollup == 3
    assert result["projects.count"].value == 22
    assert result["projects.count_new"].value == 11  # the 2023 plans; the 2022 ones are 续建
    assert result["projects.aid_funds_disbursed"].value == Decimal(11 * 2 * 1000)
    assert len(result["by_program"]) == 11
    assert all(row["projects.completed_rate"] == 50 for row in result["by_program"].values())


def test_one_query_carries_every_figure_over_the_same_records(reference):
    _add_programs(1, 0)
    program = Program.objects.get(slug="agg-0")
    with CaptureQueriesContext(connection) as ctx:
        evaluate(PROJECT_CODES, Scope(program=program), calendar_year(2024))
    projects_sql = [
        q["sql"] for q in ctx.captured_queries if "projects_aidproject" in q["sql"].split("FROM")[1]
    ]
    assert len(ctx.captured_queries) == 2
    # The project counts and the planned funds: one statement with a filtered aggregate each.
    assert any(sql.count("FILTER") >= 7 or sql.count("CASE WHEN") >= 7 for sql in projects_sql), projects_sql


def test_compiled_once_run_with_each_scope_and_period(demo):
    """The batch's SQL is compiled once per kind of scope and run with each program and period: the
    figures of every program and period equal the per-metric path, a viewer-restricted scope too."""
    from yuanjiang.accounts import scoping
    from yuanjiang.accounts.models import User

    codes = PROJECT_CODES
    admin = User.objects.create_superuser("agg_admin", password="agg-admin-password")
    for program in (demo.program, demo.second_program, demo.program):
        for period in _periods(demo.program):
            for scope in (Scope(program=program), Scope(program=program, visible=scoping.programs(admin))):
                batched = {c: f.value for c, f in evaluate(codes, scope, period).items()}
                assert batched == _one_by_one(codes, scope, period)


def test_a_parameter_the_registry_cannot_name_keeps_the_orm_path(demo):
    """A where whose value is derived otherwise than from the period's dates and years (the year
    before the period's end) is not compiled once for all: the ORM path computes it, still batched
    with the metrics over the same records."""
    from django.db.models import Q

    from yuanjiang.projects.metrics import project_records

    metric = registry.CountMetric(
        code="test.planned_year_before_end",
        label="上年计划项目",
        unit="个",
        period_rule=registry.PLAN,
        records_fn=project_records,
        where=lambda scope, period: Q(plan_year=period.end.year - 1),
    )
    registry.register(metric)
    try:
        codes = [metric.code, "projects.count"]
        for period in (calendar_year(2024), calendar_year(2025)):
            scope = Scope(program=demo.program)
            with CaptureQueriesContext(connection) as ctx:
                figures = evaluate(codes, scope, period)
            assert len(ctx.captured_queries) == 1
            assert figures[metric.code].value == metric.compute(scope, period)
            assert figures["projects.count"].value == get("projects.count").compute(scope, period)
        assert evaluate(codes, Scope(program=demo.program), calendar_year(2024))[metric.code].value == 15
        kept = [t for key, t in registry._templates.items() if key != "day" and metric in key[3]]
        assert kept and all(t is None for t in kept)
    finally:
        del registry._registry.metrics[metric.code]


def test_a_records_function_reading_the_database_keeps_the_orm_path(demo):
    """What a records function reads while building its query may depend on the scope (here the
    program's plan years): such a batch is never compiled once for all."""
    from yuanjiang.projects.models import AidProject

    def latest_plan_year_projects(scope, period):
        years = list(
            AidProject.objects.filter(program__in=scope.programs()).values_list("plan_year", flat=True)
        )
        return AidProject.objects.filter(program__in=scope.programs(), plan_year=max(years, default=0))

    metric = registry.CountMetric(
        code="test.latest_plan_year",
        label="最新计划年度项目",
        unit="个",
        records_fn=latest_plan_year_projects,
    )
    registry.register(metric)
    try:
        for program in (demo.program, demo.second_program):
            scope = Scope(program=program)
            value = evaluate([metric.code], scope, calendar_year(2024))[metric.code].value
            assert value == metric.compute(scope, calendar_year(2024)) > 0
        kept = [t for key, t in registry._templates.items() if key != "day" and metric in key[3]]
        assert kept and all(t is None for t in kept)
    finally:
        del registry._registry.metrics[metric.code]


@pytest.mark.parametrize("review", [None, "all", "approved"])
def test_overview_totals_from_program_rows_equal_per_metric(demo, review):
    """An organization's overview reads the groups of records it shows by program once, grouped, and
    takes the scope's counts and sums as the sums of the rows (evaluate_with_programs): every figure,
    the distinct counts (not additive over programs) and the rates (recomputed from the totals)
    included, equals the per-metric figure, and the rows equal the per-metric rows."""
    from yuanjiang.accounts.models import User
    from yuanjiang.accounts.scoping import programs as visible_programs
    from yuanjiang.org.views import ROLLUP_METRICS

    codes = _computed_codes()
    assert any(isinstance(get(c), registry.DistinctCountMetric) for c in codes)
    assert any(isinstance(get(c), registry.RateMetric) for c in codes)
    jiangsu = Organization.objects.get(slug="jiangsu")
    nobody = User.objects.create_user("ov_nobody", password="x")
    scopes = [
        Scope(organization=jiangsu, review=review),
        # A viewer's restriction (here: nothing visible) goes through the ORM path.
        Scope(organization=jiangsu, visible=visible_programs(nobody), review=review),
    ]
    nonzero = set()
    for scope in scopes:
        for period in _periods(demo.program):
            for grouped in (ROLLUP_METRICS, codes):
                figures, rows = registry.evaluate_with_programs(codes, grouped, scope, period)
                totals = {code: f.value for code, f in figures.items()}
                assert totals == _one_by_one(codes, scope, period), (scope.label, period, grouped)
                assert rows == _one_by_one_by_program(grouped, scope, period), (scope.label, period)
                nonzero |= {code for code, v in totals.items() if v}
    assert set(PROJECT_CODES) <= nonzero


def test_overview_page_shows_the_per_metric_figures(demo, client):
    """The country/organization page's sections show what evaluate() computes for the scope."""
    from django.contrib.auth import get_user_model

    from yuanjiang.common.templatetags.yj import card

    admin = get_user_model().objects.create_superuser("ov_admin", password="x")
    client.force_login(admin)
    jiangsu = Organization.objects.get(slug="jiangsu")
    response = client.get(f"/orgs/{jiangsu.slug}/?period=2017-01-01:2025-12-31")
    assert response.status_code == 200
    period = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))
    expected = evaluate(registry.section_codes(), Scope(organization=jiangsu), period)
    shown = {f.code: f.value for _section, figures in response.context["sections"] for f in figures}
    assert shown == {code: f.value for code, f in expected.items()}
    html = response.content.decode()
    for f in expected.values():
        assert str(card(f)) in html, f.code


@pytest.mark.parametrize("review", [None, "all"])
def test_records_page_marks_the_numerator_as_the_numerators_own_records(demo, review):
    """The records page of a rate marks a denominator's record as counted in the numerator by the
    numerator's condition when both count the same records: the same rows as the numerator's ids."""
    from yuanjiang.metrics.views import _in_numerator

    rates = [m for m in registry.all_metrics() if isinstance(m, registry.RateMetric)]
    jiangsu = Organization.objects.get(slug="jiangsu")
    checked = 0
    for metric in rates:
        for scope in (Scope(program=demo.program, review=review), Scope(organization=jiangsu, review=review)):
            for period in _periods(demo.program):
                records = metric.records(scope, period)
                numerator = metric.numerator_records(scope, period)
                if numerator.model is not records.model:
                    continue
                marked = set(
                    records.annotate(m=_in_numerator(metric, numerator, scope, period))
                    .filter(m=True)
                    .values_list("pk", flat=True)
                )
                assert marked == set(
                    records.filter(pk__in=numerator.values("pk")).values_list("pk", flat=True)
                )
                checked += bool(marked)
    assert checked > 10


def _tables(sqls) -> list[str]:
    return [sql.split(" FROM ", 1)[1].split()[0].strip('"') for sql in sqls]


def test_one_statement_per_records_table(demo):
    """The engine plans per table, not per metric (docs/metrics.md, "Planned per table"): every
    figure of every app is read in one statement per records table, distinct counts and joined
    members (义诊覆盖乡镇 → org_region) included, and each statement equals the per-metric figures."""
    codes = [m.code for m in registry.all_metrics()]
    jiangsu = Organization.objects.get(slug="jiangsu")
    period = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))
    for scope in (Scope(program=demo.program), Scope(organization=jiangsu)):
        evaluate(codes, scope, period)  # compiled
        with CaptureQueriesContext(connection) as ctx:
            figures = evaluate(codes, scope, period)
        tables = _tables(q["sql"] for q in ctx.captured_queries)
        aggregates = [t for t in tables if t not in ("org_region", "metrics_manualvalue")]
        assert len(aggregates) == len(set(aggregates)), tables  # each table read once
        health = [
            q["sql"]
            for q in ctx.captured_queries
            if "health_medicalactivity" in q["sql"].split(" FROM ")[1][:40]
        ]
        assert len(health) == 1 and "COUNT(DISTINCT" in health[0]
        computed = [c for c in codes if not get(c).reported]
        assert {c: figures[c].value for c in computed} == _one_by_one(computed, scope, period)


def test_a_viewer_restriction_is_compiled_once_and_reused(demo, monkeypatch):
    """A viewer's restriction is part of the compiled statement's key, not a reason to rebuild it
    through the ORM: the second evaluation compiles nothing (it only runs the statements), and a user
    seeing nothing gets nothing."""
    from yuanjiang.accounts import scoping
    from yuanjiang.accounts.models import Membership, Role, User

    codes = _computed_codes()
    jiangsu = Organization.objects.get(slug="jiangsu")
    viewer = User.objects.create_user("agg_viewer", password="agg-viewer-password")
    # Two programs of the province's three (one program alone is computed as that program's scope).
    Membership.objects.create(user=viewer, program=demo.program, role=Role.CLERK)
    Membership.objects.create(user=viewer, program=demo.second_program, role=Role.CLERK)
    assert 2 < Program.objects.filter(provider__path__startswith=jiangsu.path).count()
    nobody = User.objects.create_user("agg_nobody", password="agg-nobody-password")
    period = calendar_year(2024)
    built = []
    original = registry._compile

    def spy(*args):
        built.append(args)
        return original(*args)

    monkeypatch.setattr(registry, "_compile", spy)
    for user in (viewer, nobody):
        scope = Scope(organization=jiangsu, visible=scoping.restriction(user))
        first = {c: f.value for c, f in evaluate(codes, scope, period).items()}
        assert first == _one_by_one(codes, scope, period)
        # Compiled the first time; a user seeing nothing needs no statement at all (_as_seen).
        assert bool(built) == (user is viewer)
        built.clear()
        again = Scope(organization=jiangsu, visible=scoping.restriction(user))
        assert {c: f.value for c, f in evaluate(codes, again, period).items()} == first
        assert built == []
    nothing = Scope(organization=jiangsu, visible=scoping.restriction(nobody))
    assert all(not f.value for f in evaluate(codes, nothing, period).values())
    assert any(
        evaluate(codes, Scope(organization=jiangsu, visible=scoping.restriction(viewer)), period).values()
    )
