"""The synthetic national dataset of bench/bench_scale.py, built through the product's own models.

Everything goes through the models' managers (`bulk_create` of DomainQuerySet, so every row is in the
change log, as an import's would be), with a seeded random generator: the same size gives the same
data. Tree: a root organization (全国) → 19 provinces → one front command each → 4 work groups each →
programs of batches 9–11 (terms 2017–2019, 2020–2022, 2023–2025). Recipient counties are 伊宁县
(org reference data) and copies of it, each with the 19 township-level divisions of the reference
list (yining-townships.csv), so projects have townships of their own county.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

ROOT_SLUG = "bench-china"
TODAY_CAP = dt.date(2026, 6, 30)  # no actual date after this (a record's actual dates are not in the future)

PROVINCES = (
    ("beijing", "北京"),
    ("tianjin", "天津"),
    ("hebei", "河北"),
    ("shanxi", "山西"),
    ("liaoning", "辽宁"),
    ("jilin", "吉林"),
    ("heilongjiang", "黑龙江"),
    ("shanghai", "上海"),
    ("jiangsu", "江苏"),
    ("zhejiang", "浙江"),
    ("anhui", "安徽"),
    ("fujian", "福建"),
    ("jiangxi", "江西"),
    ("shandong", "山东"),
    ("henan", "河南"),
    ("hubei", "湖北"),
    ("hunan", "湖南"),
    ("guangdong", "广东"),
    ("shenzhen", "深圳"),
)
BATCH_TERMS = {9: (2017, 2019), 10: (2020, 2022), 11: (2023, 2025)}
CATEGORIES = ("industry", "education", "health", "infrastructure", "talent", "culture", "employment", "rural")
REVIEW = ("approved",) * 18 + ("submitted", "draft")


@dataclass(frozen=True)
class Size:
    name: str
    provinces: int
    programs: int
    projects: int
    transactions: int
    reports: int
    counties: int = 24
    groups_per_front: int = 4


SIZES = {
    "small": Size(
        "small", provinces=3, programs=12, projects=600, transactions=3000, reports=2000, counties=4
    ),
    "medium": Size("medium", provinces=19, programs=209, projects=3000, transactions=15000, reports=10000),
    "national": Size(
        "national", provinces=19, programs=209, projects=30000, transactions=150000, reports=100000
    ),
}


def built_size(size: Size) -> bool | None:
    """True: the database holds this size's build; None: it is empty of bench data; False: another
    build (or other data) is there."""
    from yuanjiang.org.models import Organization, Program
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    if not Organization.objects.filter(slug=ROOT_SLUG).exists():
        return None if not Program.objects.exists() else False
    counts = (
        Program.objects.filter(provider__path__startswith=f"/{ROOT_SLUG}/").count(),
        AidProject.objects.count(),
        FundTransaction.objects.count(),
        ProgressReport.objects.count(),
    )
    return counts == (size.programs, size.projects, size.transactions, size.reports)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in 元 with cents, between low and high 万元."""
    return Decimal(rng.randrange(low * 10000_00, high * 10000_00)) / 100


def build(size: Size, progress=print) -> dict:
    """Build the dataset (reference data included) into the current, freshly migrated database."""
    from django.db import transaction

    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.org.services import reference_load
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    rng = random.Random(20261129)
    with acting_as(None, source="bench"), transaction.atomic():
        reference_load()
        yining = Region.objects.get(code="654021")
        yili = yining.parent
        reference_townships = list(Region.objects.filter(parent=yining).order_by("code"))
        copies = Region.objects.bulk_create(
            Region(
                code=f"6541{i:02d}", name=f"基准县{i:02d}", level=Region.Level.COUNTY, kind="县", parent=yili
            )
            for i in range(1, size.counties)
        )
        counties = [yining, *copies]
        Region.objects.bulk_create(
            Region(
                code=f"{county.code}{t.code[-3:]}",
                name=t.name,
                level=t.level,
                kind=t.kind,
                parent=county,
                aliases=t.aliases,
            )
            for county in counties[1:]
            for t in reference_townships
        )
        townships: dict[int, list] = {}
        for region in Region.objects.filter(parent__in=counties).exclude(kind="团场").order_by("code"):
            townships.setdefault(region.parent_id, []).append(region)

        # Organizations one level at a time (a path is known before the first save, from the parent).
        root = Organization(slug=ROOT_SLUG, name="全国对口援疆（基准数据）", short_name="全国", kind="other")
        root.path = f"/{ROOT_SLUG}/"
        Organization.objects.bulk_create([root])
        provinces = []
        for slug, name in PROVINCES[: size.provinces]:
            org = Organization(
                slug=f"bench-{slug}",
                name=f"{name}对口支援新疆工作",
                short_name=name,
                kind="province",
                parent=root,
            )
            org.path = f"{root.path}{org.slug}/"
            provinces.append(org)
        Organization.objects.bulk_create(provinces)
        fronts = []
        for province in provinces:
            org = Organization(
                slug=f"{province.slug}-front",
                name=f"{province.short_name}援疆前方指挥部",
                short_name=f"{province.short_name}前指",
                kind="front_command",
                parent=province,
            )
            org.path = f"{province.path}{org.slug}/"
            fronts.append(org)
        Organization.objects.bulk_create(fronts)
        groups = []
        for front in fronts:
            for g in range(size.groups_per_front):
                org = Organization(
                    slug=f"{front.slug}-wg{g + 1}",
                    name=f"{front.short_name}第{g + 1}工作组",
                    short_name=f"第{g + 1}工作组",
                    kind="work_group",
                    parent=front,
                )
                org.path = f"{front.path}{org.slug}/"
                groups.append(org)
        Organization.objects.bulk_create(groups)

        # Programs: k-th program → province k mod P, work group and batch from k div P.
        programs = []
        for k in range(size.programs):
            p, j = k % len(provinces), k // len(provinces)
            group = groups[p * size.groups_per_front + j % size.groups_per_front]
            batch = 9 + min(2, j // size.groups_per_front)
            first, last = BATCH_TERMS[batch]
            programs.append(
                Program(
                    slug=f"bench-{k:03d}",
                    name=f"{group.name}（第{batch}批）{k:03d}",
                    provider=group,
                    recipient_region=counties[k % len(counties)],
                    batch=batch,
                    term_start=dt.date(first, 1, 1),
                    term_end=dt.date(last, 12, 31),
                )
            )
        programs = Program.objects.bulk_create(programs)
        progress(f"  {len(provinces)} provinces, {len(groups)} work groups, {len(programs)} programs")

        per_program = _split(size.projects, size.programs)
        transaction_split = _split(size.transactions, size.projects)
        report_split = _split(size.reports, size.projects)
        n_project = 0
        for program, n in zip(programs, per_program, strict=True):
            first, last = BATCH_TERMS[program.batch]
            places = townships[program.recipient_region_id]
            projects = []
            for i in range(n):
                plan_year = rng.randint(first, last)
                aid = _money(rng, 20, 3000)
                start = completion = None
                if rng.random() < 0.85:
                    start = _day(rng, dt.date(plan_year, 3, 1), dt.date(plan_year, 10, 31))
                    if rng.random() < 0.7:
                        completion = start + dt.timedelta(days=rng.randint(120, 720))
                        completion = completion if completion <= TODAY_CAP else None
                projects.append(
                    AidProject(
                        program=program,
                        code=f"{program.batch}-{i + 1:04d}",
                        name=f"{program.recipient_region.name}援疆项目{n_project + i + 1:05d}",
                        category=rng.choice(CATEGORIES),
                        township=rng.choice(places) if rng.random() < 0.8 else None,
                        plan_year=plan_year,
                        aid_funds=aid,
                        other_funds=Decimal(0),
                        total_investment=aid + _money(rng, 0, 500),
                        planned_start=dt.date(plan_year, 3, 1),
                        actual_start=start,
                        planned_completion=dt.date(plan_year + 1, 10, 31),
                        actual_completion=completion,
                    )
                )
            projects = AidProject.objects.bulk_create(projects)
            money, reports = [], []
            for project in projects:
                count = transaction_split[n_project]
                n_reports = report_split[n_project]
                n_project += 1
                origin = project.actual_start or dt.date(project.plan_year, 6, 1)
                end = project.actual_completion or TODAY_CAP
                money.append(
                    FundTransaction(
                        project=project,
                        kind="commitment",
                        date=dt.date(project.plan_year, 2, 1),
                        amount=project.aid_funds,
                        review_status="approved",
                    )
                )
                disbursements = max(1, count - 2)
                for _ in range(disbursements):
                    money.append(
                        FundTransaction(
                            project=project,
                            kind="disbursement",
                            date=_day(rng, origin, min(end + dt.timedelta(days=90), TODAY_CAP)),
                            amount=(
                                project.aid_funds * Decimal(rng.randint(5, 90)) / 100 / disbursements
                            ).quantize(Decimal("0.01"))
                            or Decimal("0.01"),
                            review_status=rng.choice(REVIEW),
                        )
                    )
                for _ in range(count - 1 - disbursements):
                    money.append(
                        FundTransaction(
                            project=project,
                            kind="expenditure",
                            date=_day(rng, origin, TODAY_CAP),
                            amount=_money(rng, 1, 20),
                            review_status=rng.choice(REVIEW),
                        )
                    )
                for r in range(n_reports):
                    reports.append(
                        ProgressReport(
                            project=project,
                            report_date=_day(rng, origin, TODAY_CAP),
                            progress_percent=min(100, 25 * (r + 1)),
                            investment_completed=(
                                project.total_investment * Decimal(min(100, 25 * (r + 1))) / 100
                            ).quantize(Decimal("0.01")),
                            image_progress="主体施工" if r < 3 else "竣工验收",
                            review_status=rng.choice(REVIEW),
                        )
                    )
            FundTransaction.objects.bulk_create(money)
            ProgressReport.objects.bulk_create(reports)
            if program.pk % 20 == 0:
                progress(f"  … {n_project} projects")
    return {"programs": len(programs), "projects": n_project}


def logged_models() -> list:
    """The models whose rows the build writes, each row logged: the data the change log logs."""
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

    return [Region, Organization, Program, AidProject, FundTransaction, ProgressReport]


def add_users():
    """The benchmark's users, when missing: a superuser (the whole country), and a clerk of the first
    program (one program's scope)."""
    from yuanjiang.accounts.models import Membership, Role, User
    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Program

    if not User.objects.filter(username="bench_admin").exists():
        User.objects.create_superuser("bench_admin", password="bench-admin-password")
    if not User.objects.filter(username="bench_clerk").exists():
        clerk = User.objects.create_user("bench_clerk", password="bench-clerk-password")
        program = Program.objects.filter(slug__startswith="bench-").order_by("slug").first()
        with acting_as(None, source="bench"):
            Membership.objects.create(user=clerk, program=program, role=Role.CLERK)


def superuser():
    from yuanjiang.accounts.models import User

    return User.objects.get(username="bench_admin")


def clerk():
    from yuanjiang.accounts.models import User

    return User.objects.get(username="bench_clerk")
