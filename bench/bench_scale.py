"""National scale: the product's figures and pages against hand-written SQL on the same database.

    .venv/bin/python bench/bench_scale.py [--size small|medium|national] [--keep PATH] [--runs 9]
                                          [--no-optimize]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yj_scale .venv/bin/python bench/bench_scale.py --size national

Builds the synthetic dataset of bench/scale_data.py (national: 19 provinces, 19 front commands, 209
programs of batches 9–11, 30 000 aid projects, 150 000 fund transactions, 100 000 progress reports)
through the product's models and their logged bulk_create, on a fresh SQLite file (a temporary
folder; with `--keep PATH`, that file, reused when it already holds the same size) or on DATABASE_URL
(an empty database, or one holding this size's build, which is reused). The database is then left
as the product leaves it after an import (`core.maintenance.optimize`: planner statistics), unless
`--no-optimize`.

It prints the size of the change log (every core_objectchange* / core_changeset* table) against the
data tables it logs, indexes included, as "log / data". Then, for each operation, it times the
product and a hand-written SQL query computing the same figures (medians of --runs, alternating in
one process), checks every figure equal (and stops loudly if one is not), counts the product's
queries, and prints operation, product ms, queries, hand-SQL ms and their ratio. The report card and
the claims check have no hand-SQL counterpart; their project figures are checked against the hand
SQL all the same. Last, the pages a user waits for at this scope, through the test client, as a
superuser (the whole country) and as one program's clerk: status, queries, and the medians of the
wall clock and of this process's CPU time (SQLite runs in it; the wall clock also counts waiting
for a CPU on a shared machine, and PostgreSQL's own work).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path

from benchenv import ROOT, log_against_data, setup_django

assert ROOT  # the product's sources and `bench` are on the path


# ---------------------------------------------------------------------------------------------
# Hand-written SQL: what a competent person would write for the same figures, on both databases.

_TO_CENTS = Decimal("0.01")
_FLOAT = Context(prec=15)


def money(value) -> Decimal:
    """A SUM as the database gives it (SQLite: a float; PostgreSQL: a numeric) → Decimal 元."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        value = _FLOAT.create_decimal_from_float(value)
    return Decimal(value).quantize(_TO_CENTS)


def rate(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    ).normalize() + 0


def _scope_sql(scope) -> tuple[str, list]:
    """`program_id IN (…)` of the scope, as written by hand."""
    if scope.program is not None:
        return "= %s", [scope.program.pk]
    return (
        "IN (SELECT p.id FROM org_program p JOIN org_organization o ON o.id = p.provider_id "
        "WHERE o.path LIKE %s)",
        [scope.organization.path + "%"],
    )


def _period_sql(prefix: str) -> str:
    """PLAN: 新建 (plan year in the period) or 续建 (earlier, not completed before the start)."""
    return (
        f"({prefix}plan_year BETWEEN %s AND %s OR ({prefix}plan_year < %s AND "
        f"({prefix}actual_completion IS NULL OR {prefix}actual_completion >= %s)))"
    )


def hand_project_figures(scope, period, by_program: bool = False):
    """The 13 project figures by hand: one query over the projects, one over the 拨付."""
    from django.db import connection

    scope_sql, scope_params = _scope_sql(scope)
    y0, y1, start, end = period.start.year, period.end.year, period.start, period.end
    in_period = _period_sql("")
    plan_params = [y0, y1, y0, start]
    group = "program_id, " if by_program else ""
    projects_sql = (
        f"SELECT {group}"
        f"COUNT(*) FILTER (WHERE {in_period}), "
        "COUNT(*) FILTER (WHERE plan_year BETWEEN %s AND %s), "
        "COUNT(*) FILTER (WHERE plan_year < %s AND (actual_completion IS NULL OR actual_completion >= %s)), "
        f"COUNT(*) FILTER (WHERE {in_period} AND actual_start <= %s), "
        "COUNT(*) FILTER (WHERE plan_year BETWEEN %s AND %s AND actual_start <= %s), "
        f"COUNT(*) FILTER (WHERE {in_period} AND actual_completion <= %s), "
        "COUNT(*) FILTER (WHERE actual_completion <= %s), "
        f"SUM(aid_funds) FILTER (WHERE {in_period}) "
        f"FROM projects_aidproject WHERE program_id {scope_sql}"
        + (" GROUP BY program_id" if by_program else "")
    )
    projects_params = [
        *plan_params,
        y0,
        y1,
        y0,
        start,
        *plan_params,
        end,
        y0,
        y1,
        end,
        *plan_params,
        end,
        end,
        *plan_params,
        *scope_params,
    ]
    money_group = "p.program_id, " if by_program else ""
    money_sql = (
        f"SELECT {money_group}"
        "SUM(t.amount) FILTER (WHERE t.date BETWEEN %s AND %s), "
        f"SUM(t.amount) FILTER (WHERE t.date <= %s AND {_period_sql('p.')}) "
        "FROM projects_fundtransaction t JOIN projects_aidproject p ON p.id = t.project_id "
        f"WHERE t.kind = 'disbursement' AND t.review_status = 'approved' AND p.program_id {scope_sql}"
        + (" GROUP BY p.program_id" if by_program else "")
    )
    money_params = [start, end, end, *plan_params, *scope_params]
    with connection.cursor() as cursor:
        cursor.execute(projects_sql, projects_params)
        project_rows = cursor.fetchall()
        cursor.execute(money_sql, money_params)
        money_rows = cursor.fetchall()
    if not by_program:
        return _project_figures(project_rows[0], money_rows[0])
    money_by = {row[0]: row[1:] for row in money_rows}
    return {row[0]: _project_figures(row[1:], money_by.get(row[0], (None, None))) for row in project_rows}


def _project_figures(p, m) -> dict:
    count, new, continuing, started, started_new, completed, completed_total, planned = p
    planned = money(planned)
    disbursed, to_date = money(m[0]), money(m[1])
    return {
        "projects.count": Decimal(count),
        "projects.count_new": Decimal(new),
        "projects.count_continuing": Decimal(continuing),
        "projects.started": Decimal(started),
        "projects.started_new": Decimal(started_new),
        "projects.started_rate": rate(started_new, new),
        "projects.completed": Decimal(completed),
        "projects.completed_rate": rate(completed, count),
        "projects.completed_total": Decimal(completed_total),
        "projects.aid_funds_planned": planned,
        "projects.aid_funds_disbursed": disbursed,
        "projects.aid_funds_disbursed_to_date": to_date,
        "projects.disbursement_rate": rate(to_date, planned),
    }


# ---------------------------------------------------------------------------------------------
# Measuring


def count_queries(fn) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def alternate(product, hand, runs: int) -> tuple[float, float | None]:
    """Medians of `runs`, product and hand SQL one after the other each round."""
    ps, hs = [], []
    for _ in range(runs):
        ps.append(timed(product))
        if hand is not None:
            hs.append(timed(hand))
    return statistics.median(ps), statistics.median(hs) if hs else None


class Mismatch(SystemExit):
    pass


def check_equal(what: str, product: dict, hand: dict):
    if product != hand:
        diff = {
            k: (product.get(k), hand.get(k))
            for k in product.keys() | hand.keys()
            if product.get(k) != hand.get(k)
        }
        shown = dict(list(diff.items())[:8])
        raise Mismatch(f"FIGURES DIFFER for {what}: (product, hand SQL) {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=("small", "medium", "national"))
    parser.add_argument("--keep", type=Path, help="SQLite file to build into, or reuse when already built")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--no-optimize",
        action="store_true",
        help="measure without refreshing the planner statistics (core.maintenance.optimize)",
    )
    args = parser.parse_args()

    from bench import scale_data

    size = scale_data.SIZES[args.size]
    with tempfile.TemporaryDirectory() as tmp:
        database_url = os.environ.get("DATABASE_URL", "")
        on_postgres = database_url.startswith("postgres")
        sqlite_path = (
            None if on_postgres else (args.keep.resolve() if args.keep else Path(tmp) / "scale.sqlite3")
        )
        if sqlite_path is not None:
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        setup_django(tmp, database_url if on_postgres else None, sqlite_path=sqlite_path)
        from django.db import connection

        state = scale_data.built_size(size)
        if state is False:
            raise SystemExit(
                f"数据库中已有其他数据（不是 {size.name} 规模的基准数据）：请换一个空数据库或另一个 --keep 文件。"
            )
        if state is None:
            print(f"building {size.name} on {connection.vendor} …", flush=True)
            t0 = time.perf_counter()
            scale_data.build(size)
            print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
        else:
            print(f"reusing the {size.name} build on {connection.vendor}", flush=True)
        scale_data.add_users()
        if not args.no_optimize:
            from yuanjiang.core.maintenance import optimize

            t0 = time.perf_counter()
            done = optimize()
            print(
                f"planner statistics (core.maintenance.optimize): {len(done)} tables analyzed in "
                f"{(time.perf_counter() - t0) * 1000:.0f} ms",
                flush=True,
            )
        print_log_size(connection)
        return measure(size, args.runs, sqlite_path)


def print_log_size(connection):
    """The change log against the data tables of the build it logs, indexes included."""
    from bench import scale_data

    tables = [m._meta.db_table for m in scale_data.logged_models()]
    log, log_tables, data, data_tables = log_against_data(connection, tables)
    mb = 2**20
    print(
        f"change log {log / mb:.1f} MB ({', '.join(f'{t} {n / mb:.1f}' for t, n in log_tables.items())}); "
        f"data it logs {data / mb:.1f} MB ({', '.join(f'{t} {n / mb:.1f}' for t, n in data_tables.items())}); "
        f"log / data = {log / data:.2f}",
        flush=True,
    )


def measure(size, runs: int, sqlite_path) -> int:
    import datetime as dt

    from django.db import connection
    from django.urls import reverse

    from bench import scale_data
    from bench.bench_claims_check import report as claims_text
    from yuanjiang.claims.services import check_text
    from yuanjiang.metrics import registry
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.models import Organization, Program
    from yuanjiang.org.periods import Period, calendar_year
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport
    from yuanjiang.reports import definition as defs
    from yuanjiang.reports import services as reports

    codes = [m.code for m in registry.all_metrics() if m.code.startswith("projects.")]
    root = Organization.objects.get(slug=scale_data.ROOT_SLUG)
    country = Scope(organization=root)
    program = Program.objects.filter(slug__startswith="bench-").order_by("-batch", "slug").first()
    one = Scope(program=program)
    term = Period(program.term_start, program.term_end)
    decade = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))
    year = calendar_year(2024)
    size_note = (
        f"{Program.objects.count()} programs, {AidProject.objects.count()} projects, "
        f"{FundTransaction.objects.count()} fund transactions, {ProgressReport.objects.count()} progress "
        f"reports"
    )
    if sqlite_path is not None:
        size_note += f", {sqlite_path.stat().st_size / 2**20:.0f} MB"
    print(f"{size.name} on {connection.vendor}: {size_note}; medians of {runs}", flush=True)

    def values(figures):
        return {code: f.value for code, f in figures.items()}

    rows = []

    def figures_op(name, scope, period):
        product = lambda: registry.evaluate(codes, scope, period)  # noqa: E731
        hand = lambda: hand_project_figures(scope, period)  # noqa: E731
        check_equal(name, values(product()), hand())
        queries = count_queries(product)
        p, h = alternate(product, hand, runs)
        rows.append((name, p, queries, h))

    figures_op("all project metrics, one program", one, term)
    figures_op("all project metrics, country 2017–2025", country, decade)
    figures_op("all project metrics, country 2024", country, year)

    by_program = lambda: registry.evaluate_by_program(codes, country, decade)  # noqa: E731
    hand_by_program = lambda: hand_project_figures(country, decade, by_program=True)  # noqa: E731
    product_rows, hand_rows = by_program(), hand_by_program()
    if len(product_rows) != size.programs:
        raise Mismatch(f"by program: {len(product_rows)} rows, expected {size.programs}")
    check_equal("by program", product_rows, hand_rows)
    queries = count_queries(by_program)
    p, h = alternate(by_program, hand_by_program, runs)
    rows.append((f"by program ({size.programs} rows), country 2017–2025", p, queries, h))

    definition = defs.load("default")
    card = lambda: reports.report_build(definition, one, term)  # noqa: E731
    built = card()
    in_card = {code: f.value for code, f in built.figures_by_code.items() if code in codes}
    hand = hand_project_figures(one, term)
    check_equal("report card", in_card, {code: hand[code] for code in in_card})
    queries = count_queries(card)
    p, _ = alternate(card, None, runs)
    rows.append(
        (f"report card 'default', one program ({len(in_card)} project figures checked)", p, queries, None)
    )

    text = claims_text(10_000)
    claims = lambda: check_text(text, one, term)  # noqa: E731
    result = claims()
    queries = count_queries(claims)
    p, _ = alternate(claims, None, runs)
    rows.append(
        (f"claims check, 10 000 characters, one program ({len(result.items)} claims)", p, queries, None)
    )

    print()
    print(f"{'operation':<62}{'product ms':>11}{'queries':>9}{'hand SQL ms':>13}{'ratio':>8}")
    for name, p, q, h in rows:
        hand_text = f"{h:>13.1f}" if h is not None else f"{'—':>13}"
        ratio = f"{p / h:>8.2f}" if h else f"{'—':>8}"
        print(f"{name:<62}{p:>11.1f}{q:>9}{hand_text}{ratio}")
    print("every figure checked equal to its hand-written SQL", flush=True)

    measure_pages(root, program, country, decade, runs, reverse)
    return 0


def measure_pages(root, program, country, decade, runs, reverse):
    """The pages a user waits for at this scope, on the same build: as a superuser (the whole
    country) and as the first program's clerk. The country overview's figures are checked against
    the hand SQL first."""
    from django.test import Client

    from bench import scale_data
    from yuanjiang.projects.models import AidProject

    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(scale_data.superuser())
    clerk = Client(HTTP_HOST="127.0.0.1")
    clerk.force_login(scale_data.clerk())
    overview = reverse("org:organization_detail", args=[root.slug]) + f"?period={decade.token}"
    check_overview(overview, root, country, decade)

    def records(code, extra=""):
        return (
            reverse("metrics:metric_records", args=[code]) + f"?org={root.slug}&period={decade.token}{extra}"
        )

    project = AidProject.objects.filter(program=program).order_by("pk").first()
    pages = {
        "country org overview": (admin, overview),
        "country org overview, every program": (admin, overview + "&all=1"),
        "records 拨付 (country)": (admin, records("projects.aid_funds_disbursed")),
        "records 拨付 page 50 (country)": (admin, records("projects.aid_funds_disbursed", "&page=50")),
        "records 项目数 (country)": (admin, records("projects.count")),
        "records 开工率 (country)": (admin, records("projects.started_rate")),
        "project list (country)": (admin, reverse("projects:aidproject_list")),
        "fund list (country)": (admin, reverse("projects:fundtransaction_list")),
        "progress list (country)": (admin, reverse("projects:progressreport_list")),
        "project list (clerk)": (clerk, reverse("projects:aidproject_list")),
        "project detail": (admin, reverse("projects:aidproject_detail", args=[project.pk])),
        "admin project list": (admin, reverse("admin:projects_aidproject_changelist")),
        "autocomplete programs": (admin, reverse("autocomplete", args=["program"]) + "?q=工作组1"),
    }
    print()
    print(f"{'page':<40}{'status':>7}{'queries':>9}{'wall ms':>10}{'cpu ms':>9}")
    for name, (client, url) in pages.items():
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} ({url})")
        queries = count_queries(lambda c=client, u=url: c.get(u))
        wall, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(
            f"{name:<40}{response.status_code:>7}{queries:>9}{statistics.median(wall):>10.1f}"
            f"{statistics.median(cpu):>9.1f}",
            flush=True,
        )


def check_overview(url, root, scope, period):
    """The overview's project figures (its sections, and its table's rows) equal the hand SQL: the
    view's context, as the page renders it (the test client's response has no context outside tests)."""
    from django.test import RequestFactory

    from bench import scale_data
    from yuanjiang.org.views import OrganizationDetailView

    request = RequestFactory().get(url)
    request.user = scale_data.superuser()
    view = OrganizationDetailView()
    view.setup(request, slug=root.slug)
    context = view.get_context_data(slug=root.slug)
    by_program = hand_project_figures(scope, period, by_program=True)
    hand = _totals(by_program.values())
    shown = {f.code: f.value for _section, figures in context["sections"] for f in figures}
    shown = {code: value for code, value in shown.items() if code in hand}
    check_equal("overview sections", shown, {code: hand[code] for code in shown})
    rows = {p.pk: {f.code: f.value for f in figures} for p, figures in context["rows"]}
    expected = {
        pk: {code: by_program.get(pk, {}).get(code, _EMPTY.get(code, Decimal(0))) for code in row}
        for pk, row in rows.items()
    }
    check_equal("overview rows", rows, expected)
    print(
        f"country overview: {len(shown)} section figures and {len(rows)} table rows checked equal to hand SQL"
    )


_RATES = {
    "projects.started_rate": ("projects.started_new", "projects.count_new"),
    "projects.completed_rate": ("projects.completed", "projects.count"),
    "projects.disbursement_rate": ("projects.aid_funds_disbursed_to_date", "projects.aid_funds_planned"),
}


def _totals(rows) -> dict:
    """The scope's figures from its programs' rows: counts and sums added up, rates of the totals.
    Exact to the cent on SQLite too, where one SUM of the whole country's amounts (floating point)
    may be a cent off: each program's sum is rounded to the cent first."""
    rows = list(rows)
    totals = {code: sum((r[code] for r in rows), Decimal(0)) for code in rows[0] if code not in _RATES}
    for code, (num, den) in _RATES.items():
        totals[code] = rate(totals[num], totals[den])
    return totals


# A program without any record: its counts and sums are 0, its rates have no value.
_EMPTY = {"projects.started_rate": None, "projects.completed_rate": None, "projects.disbursement_rate": None}


if __name__ == "__main__":
    sys.exit(main())
