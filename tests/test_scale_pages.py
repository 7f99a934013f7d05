"""Pages that cost their scope (issue 14, item 4): database maintenance, index-served ordering,
bounded counts, autocomplete instead of giant selects, admin filters that stay short."""

import datetime as dt
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, reset_queries
from django.db.models.signals import post_migrate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user, township
from yuanjiang.accounts.models import Role
from yuanjiang.common import admin as common_admin
from yuanjiang.common.autocomplete import LIMIT, AutocompleteInput
from yuanjiang.common.pagination import AtLeast, ScopePaginator, served_ordering
from yuanjiang.core import maintenance
from yuanjiang.health.models import MedicalActivity
from yuanjiang.org.models import Organization, Region
from yuanjiang.projects.forms import AidProjectForm
from yuanjiang.projects.models import AidProject, FundTransaction

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite maintenance")


def count_queries(fn):
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert getattr(response, "status_code", 200) == 200
    return len(ctx.captured_queries), ctx.captured_queries


def add_projects(program, start, count, transactions=1):
    for n in range(start, start + count):
        p = make_project(program, n, township=township(program, n % 5), actual_start=dt.date(2023, 6, 1))
        for _ in range(transactions):
            make_transaction(p, "disbursement", "1000")


# -- SQLite settings and maintenance ----------------------------------------------------------------


@sqlite_only
def test_sqlite_connections_get_wal_normal_sync_and_a_busy_timeout(settings, db):
    """The production settings' OPTIONS, on a file database: WAL, synchronous=NORMAL, 30 s busy
    timeout, IMMEDIATE transactions (the backup's online copy and the restore rely on WAL)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = DatabaseWrapper(
            {**connection.settings_dict, "NAME": str(Path(tmp) / "t.sqlite3")}, "pragmas"
        )
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone()[0] == 1  # NORMAL
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 30000
        finally:
            wrapper.close()


def _stat_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {r[0] for r in cursor.fetchall()}


@sqlite_only
def test_optimize_analyzes_tables_without_statistics_then_nothing(program):
    add_projects(program, 1, 3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'projects_aidproject'")
    done = maintenance.optimize()
    assert "projects_aidproject" in done
    assert "projects_aidproject" in _stat_tables()
    assert maintenance.optimize() == []  # fresh statistics: nothing to do


@sqlite_only
def test_optimize_sees_a_new_index_and_a_tenfold_growth(program, monkeypatch):
    monkeypatch.setattr(maintenance, "STALE_MIN_ROWS", 1)
    add_projects(program, 1, 2)
    maintenance.optimize()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX test_new_index ON projects_aidproject (name)")
    assert "projects_aidproject" in maintenance.optimize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(rowid) FROM projects_fundtransaction")
        before = cursor.fetchone()[0]
    add_projects(program, 10, 10 * before + 1)  # the transactions table grows more than tenfold
    assert "projects_fundtransaction" in maintenance.optimize()


@sqlite_only
def test_optimize_gives_empty_tables_statistics_then_analyzes_them_once_filled(program, monkeypatch):
    """Without statistics SQLite takes an empty table for a big one: a query joining the empty project
    outputs to the projects then read every project first. An empty table is recorded as one row."""
    from yuanjiang.projects.models import ProjectOutput

    add_projects(program, 1, 3)
    table = ProjectOutput._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
    assert not ProjectOutput.objects.exists()
    assert table in maintenance.optimize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        stats = dict(cursor.fetchall())
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT SUM(quantity) FROM projects_projectoutput WHERE project_id IN "
            "(SELECT id FROM projects_aidproject WHERE plan_year >= 2000)"
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert stats and set(stats.values()) == {"1 1"}, stats
    assert "SCAN projects_projectoutput" in plan, plan  # the empty table first
    assert table not in maintenance.optimize()  # recorded: nothing to do
    monkeypatch.setattr(maintenance, "STALE_MIN_ROWS", 2)
    project = AidProject.objects.first()
    from yuanjiang.core.context import acting_as

    with acting_as(None, source="test"):
        for n in range(2):
            ProjectOutput.objects.create(project=project, name=f"学位{n}", unit="个", quantity=Decimal(1))
    assert table in maintenance.optimize()  # filled: analyzed for real
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        assert {row[0].split()[0] for row in cursor.fetchall()} == {"2"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_optimize_on_postgresql_analyzes(db):
    assert maintenance.optimize() == ["*"]


def test_optimize_runs_after_migrate_but_not_after_flush(db, monkeypatch):
    calls = []
    monkeypatch.setattr(maintenance, "optimize", lambda using="default", **kw: calls.append(using))
    call_command("migrate", verbosity=0)
    assert calls == ["default"]
    # flush emits post_migrate without a plan: no analysis of an emptied database.
    from django.apps import apps

    post_migrate.send(
        sender=apps.get_app_config("core"), app_config=apps.get_app_config("core"), using="default"
    )
    assert calls == ["default"]


def test_optimize_runs_after_the_demo_build(db, monkeypatch, django_capture_on_commit_callbacks):
    from yuanjiang.demo import services

    calls = []
    monkeypatch.setattr(maintenance, "optimize", lambda using="default", **kw: calls.append(using))
    with django_capture_on_commit_callbacks(execute=True):
        services.demo_load()
    assert calls == ["default"]


def test_periodic_optimize_at_most_once_per_interval(monkeypatch):
    calls = []
    monkeypatch.setattr(maintenance, "optimize", lambda using="default", **kw: calls.append(using))
    monkeypatch.setattr(maintenance, "_last_check", {})
    monkeypatch.setenv("YJ_DB_OPTIMIZE_SECONDS", "3600")

    class FakeConnection:
        vendor = "sqlite"
        alias = "default"
        settings_dict = {"NAME": "/srv/yuanjiang.sqlite3"}

    maintenance.on_connection_created(None, FakeConnection())
    maintenance.on_connection_created(None, FakeConnection())
    assert calls == ["default"]
    monkeypatch.setenv("YJ_DB_OPTIMIZE_SECONDS", "0")
    maintenance.on_connection_created(None, FakeConnection())
    assert calls == ["default", "default"]
    FakeConnection.vendor = "postgresql"  # autovacuum's job there
    maintenance.on_connection_created(None, FakeConnection())
    assert len(calls) == 2


def test_maintain_command(db, capsys):
    call_command("maintain")
    out = capsys.readouterr().out
    assert "统计信息" in out


# -- ordering and pagination -------------------------------------------------------------------------


def test_served_ordering_puts_the_program_column_first_and_foreign_keys_as_columns():
    assert served_ordering(AidProject) == ["program_id", "plan_year", "code", "pk"]
    assert served_ordering(FundTransaction) == ["project__program_id", "project_id", "date", "id"]
    # Newest first: the program column in the same direction, so one index read backwards serves it.
    assert served_ordering(MedicalActivity) == ["-program_id", "-date", "-id"]


def test_bounded_count_and_pages_beyond_it(program):
    add_projects(program, 1, 25, transactions=0)
    qs = AidProject.objects.order_by("pk")
    paginator = ScopePaginator(qs, 10, requested="1", cap=15)
    assert (
        isinstance(paginator.count, AtLeast) and int(paginator.count) == 15 and str(paginator.count) == "15+"
    )
    assert not paginator.exact
    page = paginator.get_page(1)
    assert page.has_next()
    deep = ScopePaginator(qs, 10, requested="3", cap=15)
    assert deep.exact and deep.count == 25 and deep.num_pages == 3
    assert len(deep.get_page(3).object_list) == 5


def test_deep_pages_found_through_their_ids_are_the_same_rows(program, monkeypatch):
    """From DEFERRED_FROM rows on, a page is read as `pk IN (SELECT pk … LIMIT … OFFSET …)`: the same
    rows in the same order as a plain slice, in one query."""
    from yuanjiang.common import pagination

    add_projects(program, 1, 25, transactions=0)
    qs = AidProject.objects.select_related("program").order_by("-plan_year", "code", "pk")
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 10)
    for number in (1, 2, 3):
        page = ScopePaginator(qs, 10, requested=str(number)).get_page(number)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            rows = list(page.object_list)
        assert rows == list(qs[(number - 1) * 10 : number * 10])
        assert len(ctx.captured_queries) == 1
        assert ("IN (SELECT" in ctx.captured_queries[0]["sql"]) == (number > 1)


def test_list_pages_are_not_sorted_by_the_program_path(client, supervisor, program):
    """The list's SQL orders by columns an index serves, never through program → provider path."""
    from yuanjiang.core.context import acting_as
    from yuanjiang.projects.models import ProgressReport

    add_projects(program, 1, 3)
    with acting_as(None, source="test"):
        for project in AidProject.objects.all():
            ProgressReport.objects.create(
                project=project, report_date=dt.date(2023, 7, 1), progress_percent=10
            )
    client.force_login(supervisor)
    for name in ("projects:aidproject_list", "projects:fundtransaction_list", "projects:progressreport_list"):
        _n, queries = count_queries(lambda name=name: client.get(reverse(name)))
        ordered = [
            q["sql"]
            for q in queries
            if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"] and re.search(r'FROM "projects_', q["sql"])
        ]
        assert ordered, name
        for sql in ordered:
            assert '"path"' not in sql.split("ORDER BY")[-1], sql


@pytest.mark.parametrize(
    "url_name", ["projects:aidproject_list", "projects:fundtransaction_list", "projects:progressreport_list"]
)
def test_list_queries_do_not_grow_with_rows(client, supervisor, program, other_program, url_name):
    client.force_login(supervisor)
    add_projects(program, 1, 2)
    small, _ = count_queries(lambda: client.get(reverse(url_name)))
    add_projects(program, 100, 60, transactions=2)
    large, _ = count_queries(lambda: client.get(reverse(url_name)))
    assert small == large, (small, large)
    if url_name != "projects:progressreport_list":  # no progress reports here: no page 2 (404)
        page2, _ = count_queries(lambda: client.get(reverse(url_name) + "?page=2"))
        assert page2 == large


def test_records_page_and_org_overview_queries_do_not_grow_with_rows(client, supervisor, program):
    client.force_login(supervisor)
    org = Organization.objects.get(slug="jiangsu-yili-front")
    records = reverse("metrics:metric_records", args=["projects.aid_funds_disbursed"]) + f"?org={org.slug}"
    overview = reverse("org:organization_detail", args=[org.slug])
    add_projects(program, 1, 2)
    small = [count_queries(lambda u=u: client.get(u))[0] for u in (records, overview)]
    add_projects(program, 100, 120)
    large = [count_queries(lambda u=u: client.get(u))[0] for u in (records, overview)]
    assert small == large, (small, large)
    response = client.get(records + "&page=2")
    assert response.status_code == 200 and "第2页" in response.content.decode()


@pytest.mark.parametrize("code", ["projects.count", "projects.started_rate"])
def test_records_page_of_a_count_takes_the_number_of_records_from_the_figure(
    client, supervisor, program, code
):
    """A count is the number of its records (a rate lists its denominator's): no count query."""
    add_projects(program, 1, 3, transactions=0)
    client.force_login(supervisor)
    url = reverse("metrics:metric_records", args=[code]) + f"?program={program.slug}&period=2023"
    _n, queries = count_queries(lambda: client.get(url))
    # (the navigation's 待办 count is one UNION over every review ledger, not a count of these records)
    counts = [
        q for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (") and " UNION " not in q["sql"]
    ]
    assert not counts, counts
    assert "共 3 条记录" in client.get(url).content.decode()


def test_org_overview_lists_the_largest_programs_and_every_one_on_request(
    client, supervisor, program, other_program, monkeypatch
):
    """A large organization's table shows the TOP_PROGRAMS programs with the most planned aid funds
    (the whole country has 209: a page of what a user reads), and every program with ?all=1, with
    the same queries; the figures of a program are the same in both."""
    from yuanjiang.org import views as org_views

    monkeypatch.setattr(org_views, "TOP_PROGRAMS", 1)
    make_project(program, 1, aid_funds=Decimal("100"))
    make_project(other_program, 2, aid_funds=Decimal("900"))
    client.force_login(supervisor)
    url = reverse("org:organization_detail", args=["jiangsu-yili-front"])
    top_queries, _ = count_queries(lambda: client.get(url, {"period": "2023"}))
    response = client.get(url, {"period": "2023"})
    assert [p for p, _figures in response.context["rows"]] == [other_program]
    html = response.content.decode()
    assert "共2个援疆项目组，按计划援疆资金从多到少列出前1个" in html
    assert "?period=2023&amp;all=1" in html and "查看全部2个" in html
    all_queries, _ = count_queries(lambda: client.get(url, {"period": "2023", "all": "1"}))
    response = client.get(url, {"period": "2023", "all": "1"})
    assert {p for p, _figures in response.context["rows"]} == {program, other_program}
    assert "只看计划援疆资金最多的1个" in response.content.decode()
    assert top_queries == all_queries
    monkeypatch.setattr(org_views, "TOP_PROGRAMS", 20)  # a small organization: every program, no link
    html = client.get(url, {"period": "2023"}).content.decode()
    assert "查看全部" not in html and "测试项目" not in html and program.name in html


# -- autocomplete --------------------------------------------------------------------------------------


def _results(client, kind, **params):
    response = client.get(reverse("autocomplete", args=[kind]), params)
    assert response.status_code == 200
    return response.json()["results"]


def test_autocomplete_programs_are_scoped(client, clerk, program, other_program):
    client.force_login(clerk)
    ids = {r["id"] for r in _results(client, "program", key="slug")}
    assert ids == {program.slug}
    assert {r["id"] for r in _results(client, "program", q="南京", key="slug")} == set()
    assert {r["id"] for r in _results(client, "program", action="change")} == {str(program.pk)}


def test_autocomplete_townships_are_those_of_the_users_counties(client, clerk, program, other_program):
    client.force_login(clerk)
    results = _results(client, "township")
    mine = {str(r.pk) for r in Region.objects.filter(parent=program.recipient_region)}
    assert results and {r["id"] for r in results} <= mine
    assert not [r for r in results if r["text"] == "测试街道"]  # the other program's county
    assert len(results) <= LIMIT


def test_autocomplete_returns_at_most_the_limit(client, program):
    county = program.recipient_region
    Region.objects.bulk_create(
        Region(code=f"{county.code}9{i:02d}", name=f"搜索镇{i}", level="township", parent=county)
        for i in range(30)
    )
    admin = make_user(
        "boss", Role.ADMIN, superuser=True, organization=Organization.objects.get(slug="jiangsu")
    )
    client.force_login(admin)
    assert len(_results(client, "township", q="搜索镇")) == LIMIT


def test_autocomplete_enterprises_for_signed_in_users_only(client, clerk):
    from yuanjiang.investment.models import Enterprise

    Enterprise.objects.create(name="中国天楹")
    assert client.get(reverse("autocomplete", args=["enterprise"])).status_code == 302  # to the login
    client.force_login(clerk)
    assert [r["text"] for r in _results(client, "enterprise", q="天楹")] == ["中国天楹"]
    assert client.get(reverse("autocomplete", args=["nothing"])).status_code == 404
    assert client.get(reverse("autocomplete", args=["program"]), {"key": "name"}).status_code == 400


def test_filter_forms_render_search_boxes_not_every_choice(client, clerk, program):
    client.force_login(clerk)
    html = client.get(reverse("projects:aidproject_list")).content.decode()
    assert 'data-autocomplete="/autocomplete/program/?action=view&amp;key=slug"' in html
    assert 'data-autocomplete="/autocomplete/township/' in html
    assert f'<option value="{program.slug}"' not in html
    assert not re.search(r'<select name="(program|township)"', html)
    # A chosen value is shown by its name, and still filters (typed without JavaScript too).
    html = client.get(reverse("projects:aidproject_list"), {"program": program.slug}).content.decode()
    assert f'data-label="{program}"' in html


def test_filter_refuses_a_program_outside_the_scope(client, clerk, program, other_program):
    add_projects(program, 1, 1)
    client.force_login(clerk)
    response = client.get(reverse("projects:aidproject_list"), {"program": other_program.slug})
    assert "测试项目1" not in response.content.decode()


def test_model_form_keeps_scope_and_chinese_message(clerk, program, other_program):
    data = {
        "program": str(other_program.pk),
        "code": "X1",
        "name": "越权项目",
        "category": "education",
        "nature": "new",
        "delivery_mode": "cheque",
        "plan_year": "2023",
        "aid_funds": "1",
        "aid_funds_unit": "元",
        "total_investment": "1",
        "total_investment_unit": "元",
        "other_funds": "0",
        "other_funds_unit": "元",
    }
    form = AidProjectForm(data=data, user=clerk)
    assert isinstance(form.fields["program"].widget, AutocompleteInput)
    assert isinstance(form.fields["township"].widget, AutocompleteInput)
    assert not form.is_valid()
    assert "不在您的权限范围内" in " ".join(form.errors["program"])
    data["program"] = str(program.pk)
    form = AidProjectForm(data=data, user=clerk)
    form.is_valid()
    assert "program" not in form.errors
    html = str(form["program"])
    assert "<option" not in html and f'data-label="{program}"' in html


def test_admin_program_filter_lists_few_choices(client, program, other_program, monkeypatch):
    monkeypatch.setattr(common_admin.FewChoicesFilter, "max_choices", 1)
    admin = make_user(
        "boss", Role.ADMIN, superuser=True, organization=Organization.objects.get(slug="jiangsu")
    )
    client.force_login(admin)
    html = client.get(reverse("admin:projects_aidproject_changelist")).content.decode()
    assert "program__id__exact=" not in html
    html = client.get(
        reverse("admin:projects_aidproject_changelist"), {"program__id__exact": program.pk}
    ).content.decode()
    assert f"program__id__exact={other_program.pk}" not in html
    assert str(program) in html


def test_admin_change_form_searches_programs(client, program):
    admin = make_user(
        "boss", Role.ADMIN, superuser=True, organization=Organization.objects.get(slug="jiangsu")
    )
    client.force_login(admin)
    html = client.get(reverse("admin:projects_aidproject_add")).content.decode()
    assert re.search(r'<select name="program"[^>]*admin-autocomplete', html)
    assert f'<option value="{program.pk}"' not in html


def test_header_links_at_most_a_few_programs(client, reference):
    from yuanjiang.accounts.context_processors import NAV_MAX

    admin = make_user(
        "boss", Role.ADMIN, superuser=True, organization=Organization.objects.get(slug="jiangsu")
    )
    client.force_login(admin)
    response = client.get(reverse("projects:aidproject_list"))
    assert len(response.context["nav_programs"]) <= NAV_MAX
    assert len(response.context["nav_organizations"]) <= NAV_MAX


def test_database_connections_are_left_usable(db):
    assert connections["default"].is_usable()
