"""National scale: the product's figures and pages against hand-written SQL on the same database.

    .venv/bin/python bench/bench_scale.py [--size small|medium|national] [--keep PATH] [--runs 9]
                                          [--no-optimize]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yj_scale .venv/bin/python bench/bench_scale.py --size national

Builds the synthetic dataset of bench/scale_data.py (national: 19 provinces, 19 front commands, 209
programs of batches 9–11, 30 000 aid projects, 150 000 fund transactions, 100 000 progress reports,
and about 190 000 rows in the other apps — medical activities, culture events, aid workers, talent
visits, agreements, courses, promotion events, contacts, investment projects, fund donations and
grants) through the product's models and their logged bulk_create, on a fresh SQLite file (a temporary
folder; with `--keep PATH`, that file, reused when it already holds the same size) or on DATABASE_URL
(an empty database, or one holding this size's build, which is reused). The database is then left
as the product leaves it after an import (`core.maintenance.optimize`: planner statistics), unless
`--no-optimize`.

It prints the size of the change log (every core_objectchange* / core_changeset* table) against the
data tables it logs, indexes included, as "log / data". Then every declared metric (all apps) is
computed by the product (`registry.evaluate`, `evaluate_by_program`) and by bench/hand_figures.py —
SQL written by hand from the schema, the simplest correct query: a recursive walk of the organization
tree, one FILTER pass per table, not shaped like the product's — as a superuser, a province's user
and one program's clerk, for the country, a province, a program and the country by program, over all
time (2017–2025) and 2024. Every figure must be equal (it stops loudly if one is not); it prints the
medians of --runs (product and hand SQL alternating in one process), the product's queries and the
ratio (the figure cache off: the engine itself). Last, the pages a user waits for (overviews, report
cards HTML / JSON, records pages, lists) through the test client as those users: status, queries,
and the medians of the wall clock and of this process's CPU time (SQLite runs in it; the wall clock
also counts waiting for a CPU on a shared machine, and PostgreSQL's own work) — as users get them
(figures kept for the state of the data, metrics/cache.py) and right after a write (each run after a
new state: every figure of the page computed again).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import ROOT, log_against_data, open_scale_database

assert ROOT  # the product's sources and `bench` are on the path


from decimal import Decimal  # noqa: E402

from hand_figures import Viewer, rate  # noqa: E402
from hand_figures import figures as hand_figures  # noqa: E402

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


def _flat(values: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}/"))
        else:
            out[f"{prefix}{key}"] = value
    return out


def check_equal(what: str, product: dict, hand: dict):
    if product != hand:
        product, hand = _flat(product), _flat(hand)
        diff = {
            k: (product.get(k, "missing"), hand.get(k, "missing"))
            for k in product.keys() | hand.keys()
            if product.get(k, "missing") != hand.get(k, "missing")
        }
        shown = dict(sorted(diff.items())[:8])
        raise Mismatch(f"FIGURES DIFFER for {what} ({len(diff)} figures): (product, hand SQL) {shown}")


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

    with tempfile.TemporaryDirectory() as tmp:
        size, sqlite_path = open_scale_database(args.size, args.keep, tmp)
        from django.db import connection

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
    from yuanjiang.accounts import scoping
    from yuanjiang.metrics import registry
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.models import Organization, Program
    from yuanjiang.org.periods import Period, calendar_year
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    # Every declared metric: what a page, a report card or the API may ask for.
    codes = [m.code for m in registry.all_metrics()]
    root = Organization.objects.get(slug=scale_data.ROOT_SLUG)
    province = scale_data.province()
    program = scale_data.clerk_program()
    decade = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))
    year = calendar_year(2024)
    domain_rows = sum(m.objects.count() for m in scale_data.logged_models()[6:])
    size_note = (
        f"{Program.objects.count()} programs, {AidProject.objects.count()} projects, "
        f"{FundTransaction.objects.count()} fund transactions, {ProgressReport.objects.count()} progress "
        f"reports, {domain_rows} rows in the other apps"
    )
    if sqlite_path is not None:
        size_note += f", {sqlite_path.stat().st_size / 2**20:.0f} MB"
    print(
        f"{size.name} on {connection.vendor}: {size_note}; {len(codes)} metrics; medians of {runs}",
        flush=True,
    )

    viewers = {
        "superuser": (scale_data.superuser(), None),
        "province user": (scale_data.province_user(), Viewer(organization_id=province.pk)),
        "clerk": (scale_data.clerk(), Viewer(program_id=program.pk)),
    }
    scopes = {
        "country": Scope(organization=root),
        "province": Scope(organization=province),
        "program": Scope(program=program),
    }
    periods = {"all time": decade, "2024": year}

    def values(figures):
        return {code: f.value for code, f in figures.items()}

    rows = []
    checked = 0
    # The engine itself: every figure computed on every call (the figure cache, metrics/cache.py, off;
    # the pages below are measured with it, as users get them).
    from django.conf import settings

    kept_seconds, settings.FIGURE_CACHE_SECONDS = settings.FIGURE_CACHE_SECONDS, 0
    for viewer_name, (user, viewer) in viewers.items():
        visible = scoping.restriction(user)
        for scope_name, bare in scopes.items():
            scope = Scope(program=bare.program, organization=bare.organization, visible=visible)
            for period_name, period in periods.items():
                name = f"{scope_name}, {period_name}"
                product = lambda s=scope, p=period: registry.evaluate(codes, s, p)  # noqa: E731
                hand = lambda s=scope, p=period, v=viewer: hand_figures(s, p, v)  # noqa: E731
                check_equal(f"{name} ({viewer_name})", values(product()), hand())
                checked += len(codes)
                queries = count_queries(product)
                p, h = alternate(product, hand, runs)
                rows.append((name, viewer_name, p, queries, h))
        country = Scope(organization=root, visible=visible)
        for period_name, period in periods.items():
            ids = list(country.programs().values_list("pk", flat=True))
            product = lambda p=period, s=country: registry.evaluate_by_program(codes, s, p)  # noqa: E731
            hand = lambda p=period, v=viewer, ids=ids, s=country: hand_figures(  # noqa: E731
                s, p, v, by_program=True, program_ids=ids
            )
            check_equal(f"by program, {period_name} ({viewer_name})", product(), hand())
            checked += len(codes) * len(ids)
            queries = count_queries(product)
            p, h = alternate(product, hand, runs)
            rows.append((f"by program ({len(ids)} rows), {period_name}", viewer_name, p, queries, h))

    print()
    print(
        f"{'figures (every metric)':<36}{'viewer':<15}{'product ms':>11}{'queries':>9}{'hand SQL ms':>13}{'ratio':>8}"
    )
    for name, who, p, q, h in rows:
        print(f"{name:<36}{who:<15}{p:>11.1f}{q:>9}{h:>13.1f}{p / h:>8.2f}")
    print(f"every figure checked equal to its hand-written SQL ({checked} figures)", flush=True)
    settings.FIGURE_CACHE_SECONDS = kept_seconds

    measure_pages(root, program, decade, runs, reverse)
    return 0


def measure_pages(root, program, decade, runs, reverse):
    """The pages a user waits for, on the same build: as a superuser (the whole country), a province's
    user and one program's clerk. The country overview's figures are checked against the hand SQL
    first."""
    from django.test import Client

    from bench import scale_data
    from yuanjiang.projects.models import AidProject

    clients = {}
    for name, user in (
        ("superuser", scale_data.superuser()),
        ("province user", scale_data.province_user()),
        ("clerk", scale_data.clerk()),
    ):
        clients[name] = Client(HTTP_HOST="127.0.0.1")
        clients[name].force_login(user)
    admin, province, clerk = clients["superuser"], clients["province user"], clients["clerk"]
    overview = reverse("org:organization_detail", args=[root.slug]) + f"?period={decade.token}"
    check_overview(overview, root, decade)

    def records(code, extra=""):
        return (
            reverse("metrics:metric_records", args=[code]) + f"?org={root.slug}&period={decade.token}{extra}"
        )

    def report(kind, slug, extra=""):
        return reverse("reports:report", args=[kind, slug]) + f"?period={decade.token}{extra}"

    project = AidProject.objects.filter(program=program).order_by("pk").first()
    pages = {
        "country org overview": (admin, overview),
        "country org overview, every program": (admin, overview + "&all=1"),
        "province org overview (province user)": (
            province,
            reverse("org:organization_detail", args=[scale_data.province().slug]) + f"?period={decade.token}",
        ),
        "national report card HTML": (admin, report("org", root.slug)),
        "national report card JSON": (
            admin,
            reverse("reports:download", args=["org", root.slug]) + f"?period={decade.token}&format=json",
        ),
        "program report card HTML (clerk)": (clerk, report("program", program.slug)),
        "records 拨付 (country)": (admin, records("projects.aid_funds_disbursed")),
        "records 拨付 page 50 (country)": (admin, records("projects.aid_funds_disbursed", "&page=50")),
        "records 项目数 (country)": (admin, records("projects.count")),
        "records 开工率 (country)": (admin, records("projects.started_rate")),
        "records 义诊 (country)": (admin, records("health.free_clinics")),
        "records 义诊 (province user)": (
            province,
            reverse("metrics:metric_records", args=["health.free_clinics"])
            + f"?org={scale_data.province().slug}&period={decade.token}",
        ),
        "project list (country)": (admin, reverse("projects:aidproject_list")),
        "fund list (country)": (admin, reverse("projects:fundtransaction_list")),
        "progress list (country)": (admin, reverse("projects:progressreport_list")),
        "project list (clerk)": (clerk, reverse("projects:aidproject_list")),
        "project detail": (admin, reverse("projects:aidproject_detail", args=[project.pk])),
        "admin project list": (admin, reverse("admin:projects_aidproject_changelist")),
        "autocomplete programs": (admin, reverse("autocomplete", args=["program"]) + "?q=工作组1"),
    }
    from yuanjiang.metrics import cache

    print()
    print("pages: as a user gets them (figures kept for the state of the data: metrics/cache.py), and")
    print("right after a write (a new state: every figure computed again), medians of --runs")
    print(
        f"{'page':<40}{'status':>7}{'queries':>9}{'wall ms':>10}{'cpu ms':>9}"
        f"{'after a write: queries':>24}{'wall ms':>10}{'cpu ms':>9}"
    )
    for name, (client, url) in pages.items():
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} ({url})")
        queries = count_queries(lambda c=client, u=url: c.get(u))
        measured = []
        for after_write in (False, True):
            wall, cpu = [], []
            if after_write:
                cache.replace_token()
                cold_queries = count_queries(lambda c=client, u=url: c.get(u))
            for _ in range(runs):
                if after_write:
                    cache.replace_token()  # what a committed write does
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(url)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            measured.append((statistics.median(wall), statistics.median(cpu)))
        (wall, cpu), (cold_wall, cold_cpu) = measured
        print(
            f"{name:<40}{response.status_code:>7}{queries:>9}{wall:>10.1f}{cpu:>9.1f}"
            f"{cold_queries:>24}{cold_wall:>10.1f}{cold_cpu:>9.1f}",
            flush=True,
        )


def check_overview(url, root, period):
    """The overview's figures (its sections, and its table's rows) equal the hand SQL: the view's
    context, as the page renders it (the test client's response has no context outside tests)."""
    from django.test import RequestFactory

    from bench import scale_data
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.views import OrganizationDetailView

    request = RequestFactory().get(url)
    request.user = scale_data.superuser()
    view = OrganizationDetailView()
    view.setup(request, slug=root.slug)
    context = view.get_context_data(slug=root.slug)
    from yuanjiang.metrics import registry

    scope = Scope(organization=root)
    hand = hand_figures(scope, period)
    # A sum of money exact to the cent on SQLite too: one SUM of the whole country's amounts adds
    # floats (150 000 of them may end a cent off), each program's sum is exact, and so is their total.
    ids = list(scope.programs().values_list("pk", flat=True))
    every = hand_figures(scope, period, by_program=True, program_ids=ids)
    for code, value in hand.items():
        metric = registry.get(code)
        if isinstance(metric, registry.SumMetric) and value is not None and value != value.to_integral():
            hand[code] = sum((every[pk][code] for pk in ids), Decimal(0))
    for code, num, den in (
        ("projects.disbursement_rate", "projects.aid_funds_disbursed_to_date", "projects.aid_funds_planned"),
    ):
        hand[code] = rate(hand[num], hand[den])
    shown = {f.code: f.value for _section, figures in context["sections"] for f in figures}
    check_equal("overview sections", shown, {code: hand[code] for code in shown})
    rows = {p.pk: {f.code: f.value for f in figures} for p, figures in context["rows"]}
    by_program = {pk: every[pk] for pk in rows}
    expected = {pk: {code: by_program[pk][code] for code in row} for pk, row in rows.items()}
    check_equal("overview rows", rows, expected)
    print(
        f"country overview: {len(shown)} section figures and {len(rows)} table rows checked equal to hand SQL"
    )


if __name__ == "__main__":
    sys.exit(main())
