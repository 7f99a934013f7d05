"""No N+1: list pages, the overview and the metrics run a fixed number of queries whatever the row
count. Each test measures at two sizes and asserts the counts are equal."""

import datetime as dt

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_transaction, township
from yuanjiang.metrics.registry import evaluate, evaluate_by_program
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period

PERIOD = Period(dt.date(2023, 1, 1), dt.date(2024, 12, 31))


def add_projects(program, start, count):
    for n in range(start, start + count):
        p = make_project(program, n, township=township(program, n % 5), actual_start=dt.date(2023, 6, 1))
        make_transaction(p, "disbursement", "1000")


def count_queries(fn):
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_project_list_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    url = reverse("projects:aidproject_list")
    add_projects(program, 1, 3)
    small = count_queries(lambda: client.get(url))
    add_projects(program, 100, 30)
    large = count_queries(lambda: client.get(url))
    assert small == large, (small, large)
    assert 3 <= large <= 12, large


def test_project_detail_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    project = make_project(program, 1, actual_start=dt.date(2023, 6, 1))
    url = reverse("projects:aidproject_detail", args=[project.pk])
    make_transaction(project, "commitment", "1000")
    small = count_queries(lambda: client.get(url))
    for _ in range(20):
        make_transaction(project, "disbursement", "10")
    large = count_queries(lambda: client.get(url))
    assert small == large, (small, large)


def test_metrics_and_overview_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    add_projects(program, 1, 2)
    scope = Scope(program=program)
    small_metrics = count_queries(lambda: evaluate(None, scope, PERIOD))
    small_page = count_queries(lambda: client.get(reverse("org:program_detail", args=[program.slug])))
    small_records = count_queries(
        lambda: client.get(
            reverse("metrics:metric_records", args=["projects.count"]), {"program": program.slug}
        )
    )
    add_projects(program, 100, 25)
    assert count_queries(lambda: evaluate(None, scope, PERIOD)) == small_metrics
    assert count_queries(lambda: client.get(reverse("org:program_detail", args=[program.slug]))) == small_page
    large_records = count_queries(
        lambda: client.get(
            reverse("metrics:metric_records", args=["projects.count"]), {"program": program.slug}
        )
    )
    assert large_records == small_records


def test_rollup_queries_do_not_grow_with_programs(supervisor, program, other_program):
    front = Organization.objects.get(slug="jiangsu-yili-front")
    add_projects(program, 1, 2)
    codes = ["projects.count", "projects.started_rate", "projects.aid_funds_planned"]
    small = count_queries(lambda: evaluate_by_program(codes, Scope(organization=front), PERIOD))
    add_projects(other_program, 1, 10)
    result = {}
    large = count_queries(
        lambda: result.update(evaluate_by_program(codes, Scope(organization=front), PERIOD))
    )
    assert small == large
    assert result[program.pk]["projects.count"] == 2 and result[other_program.pk]["projects.count"] == 10
    assert result[other_program.pk]["projects.started_rate"] == 100


def test_transaction_and_progress_lists_queries_are_fixed_and_scoped(client, clerk, program, other_program):
    client.force_login(clerk)
    urls = [reverse("projects:fundtransaction_list"), reverse("projects:progressreport_list")]
    add_projects(program, 1, 2)
    small = [count_queries(lambda u=u: client.get(u)) for u in urls]
    add_projects(program, 100, 20)
    add_projects(other_program, 200, 3)
    large = [count_queries(lambda u=u: client.get(u)) for u in urls]
    assert small == large
    page = client.get(urls[0]).content.decode()
    assert page.count("测试项目1") >= 1
    assert "测试项目200" not in page  # another program's money
