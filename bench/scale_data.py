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
    # Rows of the other apps, per 1 000 aid projects (national: about 190 000 rows in all).
    domain_per_1000: int = 6300

    def domain(self, share: float) -> int:
        """How many rows of one domain table: `share` of the domain rows."""
        return max(1, round(self.projects * self.domain_per_1000 / 1000 * share))


# The domain rows' shares (health, culture, talent, investment, education).
DOMAIN_SHARES = {
    "medical": 0.34,
    "culture": 0.08,
    "workers": 0.05,
    "visits": 0.06,
    "agreements": 0.02,
    "courses": 0.05,
    "promotion": 0.03,
    "contacts": 0.12,
    "investment": 0.05,
    "donations": 0.06,
    "grants": 0.14,
    "purchases": 0.06,
}


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
    from yuanjiang.health.models import MedicalActivity

    counts = (
        Program.objects.filter(provider__path__startswith=f"/{ROOT_SLUG}/").count(),
        AidProject.objects.count(),
        FundTransaction.objects.count(),
        ProgressReport.objects.count(),
        MedicalActivity.objects.count(),
    )
    return counts == (
        size.programs,
        size.projects,
        size.transactions,
        size.reports,
        size.domain(DOMAIN_SHARES["medical"]),
    )


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
        domain = build_domains(size, programs, townships, rng)
        progress(
            f"  {sum(domain.values())} rows in the other apps ({', '.join(f'{k} {v}' for k, v in domain.items())})"
        )
    return {"programs": len(programs), "projects": n_project, **domain}


def _in_term(rng, program) -> dt.date:
    first, last = BATCH_TERMS[program.batch]
    return _day(rng, dt.date(first, 1, 1), min(dt.date(last, 12, 31), TODAY_CAP))


def build_domains(size: Size, programs, townships, rng) -> dict:
    """Rows in every other app (health, culture, talent, investment, education, consumption), spread over the
    programs, dated within their terms, about 18 % of them not yet approved: what the figures of those
    apps count. Through each model's logged bulk_create, like the projects."""
    from yuanjiang.consumption.choices import BuyerKind, Channel, ProductCategory
    from yuanjiang.consumption.models import Purchase
    from yuanjiang.culture.models import CultureEvent
    from yuanjiang.education.models import Fund, FundDonation, FundGrant
    from yuanjiang.health.models import MedicalActivity
    from yuanjiang.investment.models import (
        Contact,
        Enterprise,
        Institution,
        InvestmentProject,
        PromotionEvent,
    )
    from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse

    n = {key: size.domain(share) for key, share in DOMAIN_SHARES.items()}
    pick = lambda: programs[rng.randrange(len(programs))]  # noqa: E731
    review = lambda: rng.choice(REVIEW)  # noqa: E731
    hospitals = Institution.objects.bulk_create(
        Institution(name=f"基准援方医院{i:03d}", kind="hospital") for i in range(60)
    )
    institutions = Institution.objects.bulk_create(
        Institution(name=f"基准科研院所{i:03d}", kind="research") for i in range(120)
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"基准企业{i:04d}有限公司", is_leading=rng.random() < 0.2) for i in range(800)
    )
    fields = list(TalentField.objects.order_by("pk"))
    techniques = [f"新技术{i:03d}" for i in range(300)]

    rows = []
    for _ in range(n["medical"]):
        program = pick()
        kind = rng.choice(
            ("free_clinic",) * 3
            + (
                "teleconsultation",
                "expert_visit",
                "surgery",
                "new_technique",
                "health_education",
                "discipline",
            )
        )
        places = townships[program.recipient_region_id]
        rows.append(
            MedicalActivity(
                program=program,
                kind=kind,
                title="巡回义诊" if kind == "free_clinic" else "医疗援疆活动",
                date=_in_term(rng, program),
                township=rng.choice(places) if kind == "free_clinic" and rng.random() < 0.8 else None,
                partner_hospital=rng.choice(hospitals) if rng.random() < 0.5 else None,
                beneficiaries=rng.randint(0, 400),
                cases=rng.randint(0, 30),
                technique=rng.choice(techniques) if kind == "new_technique" and rng.random() < 0.9 else "",
                review_status=review(),
            )
        )
    MedicalActivity.objects.bulk_create(rows)
    CultureEvent.objects.bulk_create(
        CultureEvent(
            program=(program := pick()),
            name="文化交流活动",
            kind=rng.choice(("tourism_promotion", "exchange", "cultural", "other")),
            date=_in_term(rng, program),
            place="伊宁县",
            participants=rng.randint(0, 3000),
            review_status=review(),
        )
        for _ in range(n["culture"])
    )
    workers = []
    for i in range(n["workers"]):
        program = pick()
        first, last = BATCH_TERMS[program.batch]
        start = _day(rng, dt.date(first, 1, 1), dt.date(first, 12, 31))
        end = None if rng.random() < 0.3 else _day(rng, start, dt.date(last, 12, 31))
        workers.append(
            AidWorker(
                program=program,
                name=f"援疆干部{i:05d}",
                kind=rng.choice(("cadre", "teacher", "doctor", "professional", "flexible")),
                home_unit="派出单位",
                host_unit="受援单位",
                term_start=start,
                term_end=end,
            )
        )
    AidWorker.objects.bulk_create(workers)
    TalentVisit.objects.bulk_create(
        TalentVisit(
            program=(program := pick()),
            field=rng.choice(fields),
            experts="专家团队",
            start=_in_term(rng, program),
            people=(people := rng.randint(1, 20)),
            person_times=people * rng.randint(1, 3),
            review_status=review(),
        )
        for _ in range(n["visits"])
    )
    Agreement.objects.bulk_create(
        Agreement(
            program=(program := pick()),
            title="合作协议",
            signed_on=_in_term(rng, program),
            institution=rng.choice(institutions) if rng.random() < 0.5 else None,
            review_status=review(),
        )
        for _ in range(n["agreements"])
    )
    courses = []
    for _ in range(n["courses"]):
        program = pick()
        start = _in_term(rng, program)
        courses.append(
            TrainingCourse(
                program=program,
                name="培训班",
                audience=rng.choice(("cadre", "village", "professional", "teacher", "medical")),
                mode=rng.choice(("mainland", "local", "online")),
                start=start,
                end=min(start + dt.timedelta(days=rng.randint(0, 20)), TODAY_CAP),
                participants=rng.randint(10, 200),
                aid_funds=_money(rng, 1, 50),
                review_status=review(),
            )
        )
    TrainingCourse.objects.bulk_create(courses)
    events = PromotionEvent.objects.bulk_create(
        PromotionEvent(
            program=(program := pick()),
            title="招商活动",
            kind=rng.choice(("themed", "promotion", "signing", "inspection", "return_visit")),
            date=_in_term(rng, program),
            review_status=review(),
        )
        for _ in range(n["promotion"])
    )
    contacts = []
    for _ in range(n["contacts"]):
        program = pick()
        with_enterprise = rng.random() < 0.7
        contacts.append(
            Contact(
                program=program,
                date=_in_term(rng, program),
                enterprise=rng.choice(enterprises) if with_enterprise else None,
                institution=None if with_enterprise else rng.choice(institutions),
                review_status=review(),
            )
        )
    Contact.objects.bulk_create(contacts)
    projects = []
    for i in range(n["investment"]):
        program = pick()
        signed = _in_term(rng, program)
        landed = signed + dt.timedelta(days=rng.randint(30, 400)) if rng.random() < 0.7 else None
        started = landed + dt.timedelta(days=rng.randint(30, 300)) if landed and rng.random() < 0.7 else None
        operating = (
            started + dt.timedelta(days=rng.randint(90, 600)) if started and rng.random() < 0.6 else None
        )
        landed, started, operating = (
            d if d and d <= TODAY_CAP else None for d in (landed, started, operating)
        )
        if landed is None:
            started = operating = None
        elif started is None:
            operating = None
        projects.append(
            InvestmentProject(
                program=program,
                name=f"招商引资项目{i:05d}",
                enterprise=rng.choice(enterprises),
                signed_date=signed,
                landed_date=landed,
                started_date=started,
                operating_date=operating,
                planned_investment=_money(rng, 100, 50000),
                expected_jobs=rng.randint(0, 500),
                actual_jobs=rng.randint(0, 300) if operating else 0,
                signed_event=rng.choice(events) if rng.random() < 0.2 else None,
                review_status=review(),
            )
        )
    InvestmentProject.objects.bulk_create(projects)
    funds = Fund.objects.bulk_create(
        Fund(
            program=program,
            name=f"{program.name}教育基金",
            founded_on=dt.date(BATCH_TERMS[program.batch][0], 1, 1),
        )
        for program in programs
    )
    fund_of = {fund.program_id: fund for fund in funds}
    # Each fund's founding donation first (a grant may not take a fund's balance below 0).
    FundDonation.objects.bulk_create(
        FundDonation(
            fund=fund,
            amount=Decimal("10000000.00"),
            donor="援方政府",
            donor_kind="organization",
            date=fund.founded_on,
            review_status="approved",
        )
        for fund in funds
    )
    FundDonation.objects.bulk_create(
        FundDonation(
            fund=fund_of[(program := pick()).pk],
            amount=_money(rng, 1, 100),
            donor="爱心企业",
            donor_kind=rng.choice(("organization", "enterprise", "individual", "other")),
            date=_in_term(rng, program),
            review_status=review(),
        )
        for _ in range(n["donations"])
    )
    FundGrant.objects.bulk_create(
        FundGrant(
            fund=fund_of[(program := pick()).pk],
            amount=_money(rng, 0, 5) + Decimal("100.00"),
            kind=rng.choice(("scholarship", "teaching_award", "bursary")),
            recipient_kind=rng.choice(("student", "teacher", "school")),
            recipients=rng.randint(1, 50),
            date=_in_term(rng, program),
            review_status=review(),
        )
        for _ in range(n["grants"])
    )
    # 消费援疆: drawn from a generator of its own, so the rows above stay those of earlier builds.
    own = random.Random(20)
    Purchase.objects.bulk_create(
        Purchase(
            program=(program := programs[own.randrange(len(programs))]),
            buyer=f"基准采购单位{own.randrange(500):03d}",
            buyer_kind=own.choice(BuyerKind.values),
            category=own.choice(ProductCategory.values),
            supplier=f"基准供货单位{own.randrange(500):03d}",
            township=own.choice(townships[program.recipient_region_id]) if own.random() < 0.5 else None,
            amount=_money(own, 1, 200),
            date=_in_term(own, program),
            channel=own.choice(Channel.values),
            review_status=own.choice(REVIEW),
        )
        for _ in range(n["purchases"])
    )
    return n


def logged_models() -> list:
    """The models whose rows the build writes, each row logged: the data the change log logs."""
    from yuanjiang.consumption.models import Purchase
    from yuanjiang.culture.models import CultureEvent
    from yuanjiang.education.models import Fund, FundDonation, FundGrant
    from yuanjiang.health.models import MedicalActivity
    from yuanjiang.investment.models import (
        Contact,
        Enterprise,
        Institution,
        InvestmentProject,
        PromotionEvent,
    )
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport
    from yuanjiang.talent.models import Agreement, AidWorker, TalentVisit, TrainingCourse

    return [
        Purchase,
        Region,
        Organization,
        Program,
        AidProject,
        FundTransaction,
        ProgressReport,
        MedicalActivity,
        CultureEvent,
        AidWorker,
        TalentVisit,
        Agreement,
        TrainingCourse,
        Institution,
        Enterprise,
        PromotionEvent,
        Contact,
        InvestmentProject,
        Fund,
        FundDonation,
        FundGrant,
    ]


def province():
    """The province whose user the benchmark measures: the first one."""
    from yuanjiang.org.models import Organization

    return Organization.objects.filter(kind="province", slug__startswith="bench-").order_by("path").first()


def clerk_program():
    """The clerk's program: the latest batch's first (a term of 2023–2025, so 2024 has records)."""
    from yuanjiang.org.models import Program

    return Program.objects.filter(slug__startswith="bench-").order_by("-batch", "slug").first()


def add_users():
    """The benchmark's users, when missing: a superuser (the whole country), a province's user (every
    program under the first province, a supervisor there) and a clerk of one program."""
    from yuanjiang.accounts.models import Membership, Role, User
    from yuanjiang.core.context import acting_as

    if not User.objects.filter(username="bench_admin").exists():
        User.objects.create_superuser("bench_admin", password="bench-admin-password")
    with acting_as(None, source="bench"):
        if not User.objects.filter(username="bench_clerk").exists():
            clerk = User.objects.create_user("bench_clerk", password="bench-clerk-password")
            Membership.objects.create(user=clerk, program=clerk_program(), role=Role.CLERK)
        if not User.objects.filter(username="bench_province").exists():
            user = User.objects.create_user("bench_province", password="bench-province-password")
            Membership.objects.create(user=user, organization=province(), role=Role.SUPERVISOR)


def province_user():
    from yuanjiang.accounts.models import User

    return User.objects.get(username="bench_province")


def superuser():
    from yuanjiang.accounts.models import User

    return User.objects.get(username="bench_admin")


def clerk():
    from yuanjiang.accounts.models import User

    return User.objects.get(username="bench_clerk")
