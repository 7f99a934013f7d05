"""Pages at the national size: what a user waits for when the scope is the whole country.

    .venv/bin/python bench/bench_scale_pages.py [small|medium|national] [--keep DIR] [--reuse DIR]
                                                [--no-optimize]

Builds (or reuses, `--reuse DIR` after a `--keep DIR`) an SQLite database shaped like the national
dataset of issue 14: 19 provinces, each with a front command and 11 work groups (209 programs,
batches 9–11), 456 townships, 30 000 projects, 150 000 fund transactions, 100 000 progress reports
and one change-log row per record (280 000), at `national`; a tenth of it at `medium`, a hundredth
at `small`. Rows are written with plain bulk inserts (the logged bulk path is another issue's
subject); the change log holds one create entry per record, with the parent link of a child record,
as the product writes it.

Then, for a superuser (the whole country) and for one program's clerk, it times (median of 7, after
a warm-up) and counts the queries of: the country organization overview, a records page (拨付 of the
whole country), the project and fund-transaction lists, a project's detail page (history included)
and the autocomplete endpoint. Unless `--no-optimize`, the database is first left as the product
leaves it after a build (`core.maintenance.optimize`); with `--no-optimize` the statistics are
missing, as in a database nobody maintained.
"""

import datetime as dt
import os
import secrets
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SIZES = {"small": 100, "medium": 10, "national": 1}
PROVINCES = 19
GROUPS_PER_PROVINCE = 11  # 209 programs
TOWNSHIPS_PER_COUNTY = 24  # 456 townships over 19 counties


def setup_django(var_dir: str):
    os.environ.pop("DATABASE_URL", None)
    os.environ["YJ_VAR_DIR"] = var_dir
    os.environ["YJ_DEMO"] = "0"
    os.environ["YJ_DEBUG"] = "0"
    os.environ["YJ_HTTPS"] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("YJ_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    import django

    django.setup()


def _plain(model):
    """The model's rows without the logged DomainQuerySet (bulk inserts, the log written below)."""
    from django.db.models import QuerySet

    return QuerySet(model)


def build(size: str):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    from yuanjiang.accounts.models import Membership, Role, User
    from yuanjiang.core.models import ObjectChange
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    call_command("migrate", verbosity=0)
    divisor = SIZES[size]
    n_projects = 30_000 // divisor
    with transaction.atomic():
        root = _plain(Organization).create(slug="china", name="全国援疆", kind="province", path="/china/")
        xj = _plain(Region).create(code="65", name="新疆维吾尔自治区", level="province")
        programs, counties = [], []
        for p in range(PROVINCES):
            province = _plain(Organization).create(
                slug=f"prov{p}", name=f"援疆省{p}", kind="province", parent=root, path=f"/china/prov{p}/"
            )
            front = _plain(Organization).create(
                slug=f"front{p}",
                name=f"援疆省{p}前方指挥部",
                kind="front_command",
                parent=province,
                path=f"{province.path}front{p}/",
            )
            county = _plain(Region).create(code=f"6540{p:02d}", name=f"受援县{p}", level="county", parent=xj)
            counties.append(county)
            _plain(Region).bulk_create(
                Region(code=f"{county.code}{t:03d}", name=f"县{p}乡镇{t}镇", level="township", parent=county)
                for t in range(TOWNSHIPS_PER_COUNTY)
            )
            for g in range(GROUPS_PER_PROVINCE):
                group = _plain(Organization).create(
                    slug=f"wg{p}-{g}",
                    name=f"援疆省{p}工作组{g}",
                    kind="work_group",
                    parent=front,
                    path=f"{front.path}wg{p}-{g}/",
                )
                batch = 9 + g % 3
                start = dt.date(2017 + 3 * (batch - 9), 1, 1)
                programs.append(
                    _plain(Program).create(
                        slug=f"prog{p}-{g}",
                        name=f"援疆省{p}工作组{g}第{batch}批",
                        provider=group,
                        recipient_region=county,
                        batch=batch,
                        term_start=start,
                        term_end=start.replace(year=start.year + 3) - dt.timedelta(days=1),
                    )
                )
        townships = {c.pk: list(Region.objects.filter(parent=c)) for c in counties}
        projects = []
        for i in range(n_projects):
            program = programs[i % len(programs)]
            year = program.term_start.year + i % 3
            projects.append(
                AidProject(
                    program=program,
                    code=f"P{i:06d}",
                    name=f"援疆项目{i}",
                    category="education",
                    plan_year=year,
                    township=townships[program.recipient_region_id][i % TOWNSHIPS_PER_COUNTY],
                    aid_funds=Decimal("1000000"),
                    total_investment=Decimal("1500000"),
                    actual_start=dt.date(year, 6, 1) if i % 4 else None,
                )
            )
        projects = _plain(AidProject).bulk_create(projects, batch_size=2000)
        kinds = ("commitment", "disbursement", "disbursement", "expenditure", "expenditure")
        transactions = [
            FundTransaction(
                project=p,
                kind=k,
                date=dt.date(p.plan_year, 7, 1 + j),
                amount=Decimal("200000"),
                review_status="approved",
            )
            for p in projects
            for j, k in enumerate(kinds)
        ]
        transactions = _plain(FundTransaction).bulk_create(transactions, batch_size=2000)
        reports = _plain(ProgressReport).bulk_create(
            (
                ProgressReport(
                    project=p,
                    report_date=dt.date(p.plan_year, m, 1),
                    progress_percent=10 * m,
                    review_status="approved",
                )
                for p in projects
                for m in (3, 6, 9)
                if not (m == 9 and p.pk % 3 == 0)  # 100 000 reports at the national size
            ),
            batch_size=2000,
        )
        ct = {m: ContentType.objects.get_for_model(m) for m in (AidProject, FundTransaction, ProgressReport)}

        def log_rows():
            for p in projects:
                yield ObjectChange(
                    action="create",
                    content_type=ct[AidProject],
                    object_id=str(p.pk),
                    object_repr=p.name,
                    program_id=p.program_id,
                    source="bench",
                    after={"name": p.name, "code": p.code},
                )
            for model, rows in ((FundTransaction, transactions), (ProgressReport, reports)):
                for r in rows:
                    yield ObjectChange(
                        action="create",
                        content_type=ct[model],
                        object_id=str(r.pk),
                        object_repr=str(r.pk),
                        program_id=r.project.program_id,
                        related_content_type=ct[AidProject],
                        related_object_id=str(r.project_id),
                        source="bench",
                        after={"project": r.project_id},
                    )

        rows = log_rows()
        while batch := [row for _, row in zip(range(5000), rows, strict=False)]:
            ObjectChange.objects.bulk_create(batch)
        admin = User.objects.create_superuser("bench_admin", password="x")
        clerk = User.objects.create_user("bench_clerk", password="x")
        Membership.objects.create(user=clerk, program=programs[0], role=Role.CLERK)
    return admin.username


def measure(fn, runs=7):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    queries = len(ctx.captured_queries)
    status = getattr(response, "status_code", 200)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return status, queries, statistics.median(times) * 1000, statistics.median(cpu) * 1000


def run(size: str, var_dir: str, reuse: bool, optimize: bool):
    setup_django(var_dir)
    from django.db import connection
    from django.test import Client

    from yuanjiang.accounts.models import User
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject

    t0 = time.perf_counter()
    if reuse:  # the current code's migrations (e.g. its indexes) on the kept database
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        build(size)
        print(f"built {size} in {time.perf_counter() - t0:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        has_stat = cursor.fetchone()[0]
        if has_stat and not optimize:
            cursor.execute("DROP TABLE sqlite_stat1")
            has_stat = 0
    if optimize:
        try:
            from yuanjiang.core.maintenance import optimize as run_optimize
        except ImportError:  # before core.maintenance existed: as the product left the database
            run_optimize = None
        if run_optimize is not None:
            t1 = time.perf_counter()
            run_optimize()
            print(f"optimize: {(time.perf_counter() - t1) * 1000:.0f} ms")
    admin = User.objects.get(username="bench_admin")
    clerk = User.objects.get(username="bench_clerk")
    program = Program.objects.get(slug="prog0-0")
    project = AidProject.objects.filter(program=program).order_by("pk").first()
    counts = {
        m.__name__: m.objects.count()
        for m in (Program, AidProject, *[f.related_model for f in AidProject._meta.related_objects][:0])
    }
    print(f"size {size}: {counts}")
    a = Client(HTTP_HOST="127.0.0.1")
    a.force_login(admin)
    c = Client(HTTP_HOST="127.0.0.1")
    c.force_login(clerk)
    period = "2017-01-01:2025-12-31"
    checks = {
        "country org overview": lambda: a.get(f"/orgs/china/?period={period}"),
        "records 拨付 (country)": lambda: a.get(
            f"/metrics/projects.aid_funds_disbursed/?org=china&period={period}"
        ),
        "records 项目数 (country)": lambda: a.get(f"/metrics/projects.count/?org=china&period={period}"),
        "records page 50 (country)": lambda: a.get(
            f"/metrics/projects.aid_funds_disbursed/?org=china&period={period}&page=50"
        ),
        "project list (country)": lambda: a.get("/projects/"),
        "fund list (country)": lambda: a.get("/projects/transactions/"),
        "progress list (country)": lambda: a.get("/projects/progress/"),
        "project list (clerk)": lambda: c.get("/projects/"),
        "project detail": lambda: a.get(f"/projects/{project.pk}/"),
        "admin project list": lambda: a.get("/admin/projects/aidproject/"),
        "autocomplete programs": lambda: a.get("/autocomplete/program/?q=工作组1"),
    }
    # CPU time of this process (SQLite runs in it) is what the page costs; the wall clock also
    # counts waiting for a CPU when the machine is shared.
    print(f"{'page':<28}{'status':>7}{'queries':>9}{'wall ms':>10}{'cpu ms':>9}")
    for name, fn in checks.items():
        status, queries, ms, cpu = measure(fn)
        print(f"{name:<28}{status:>7}{queries:>9}{ms:>10.1f}{cpu:>9.1f}")


def main(argv):
    size = next((a for a in argv if a in SIZES), "medium")
    keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
    reuse = argv[argv.index("--reuse") + 1] if "--reuse" in argv else None
    optimize = "--no-optimize" not in argv
    if reuse:
        return run(size, reuse, True, optimize)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return run(size, keep, False, optimize)
    with tempfile.TemporaryDirectory() as var_dir:
        return run(size, var_dir, False, optimize)


if __name__ == "__main__":
    main(sys.argv[1:])
