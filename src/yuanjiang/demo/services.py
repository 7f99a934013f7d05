"""Load the demo dataset (yuanjiang.demo.data) into the database, through the ORM and model validation."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yuanjiang.accounts.models import Membership, User
from yuanjiang.core import maintenance
from yuanjiang.core.context import acting_as
from yuanjiang.demo import batches, data, loader, second_year
from yuanjiang.investment.services import industry_clusters_load
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.services import reference_load
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport, ProjectOutput
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import Reviewable
from yuanjiang.talent.services import reference_load as load_talent_fields

DEMO_SOURCE = "demo"


class DemoError(Exception):
    pass


@dataclass
class DemoResult:
    """What was loaded. Counts and money are those of the main program (南通工作组)."""

    program: Program
    second_program: Program | None = None
    projects: list[AidProject] = field(default_factory=list)
    outputs: int = 0
    transactions: int = 0
    reports: int = 0
    users: list[User] = field(default_factory=list)
    aid_funds: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    expended: Decimal = Decimal("0")


def _save(obj):
    """Validate like a form would (full_clean), then save: the demo exercises the model rules.
    Reviewable records (every app's) are loaded as 已审核: the demo reproduces reported figures."""
    if isinstance(obj, Reviewable) and obj.pk is None:
        obj.review_status = ReviewStatus.APPROVED
        obj.reviewed_at = timezone.now()
        obj.review_note = "演示数据，按已审核载入"
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise DemoError(f"演示数据未通过校验：{obj!r}：{exc.message_dict}") from exc
    obj.save()
    return obj


def _load_regions():
    """Regions the demo needs beyond the reference data (created only when missing)."""
    for spec in data.EXTRA_REGIONS:
        if Region.objects.filter(code=spec["code"]).exists():
            continue
        fields = dict(spec)
        parent = Region.objects.get(code=fields.pop("parent"))
        _save(Region(parent=parent, note="演示数据补充（示意）", **fields))


def _load_program(program_spec: dict) -> Program:
    spec = dict(program_spec)
    provider = Organization.objects.get(slug=spec.pop("provider"))
    region = Region.objects.get(code=spec.pop("recipient_region"))
    return _save(Program(provider=provider, recipient_region=region, **spec))


def _load_project(program: Program, spec: data.Project, townships: dict[str, Region], result: DemoResult):
    project = _save(
        AidProject(
            program=program,
            code=spec.code,
            name=spec.name,
            category=spec.category,
            nature=spec.nature,
            delivery_mode=spec.delivery_mode,
            township=townships[spec.township] if spec.township else None,
            location_detail=spec.location_detail,
            implementing_unit=spec.implementing_unit,
            supervising_unit=spec.supervising_unit,
            aid_side_contact=spec.aid_side_contact,
            local_contact=spec.local_contact,
            plan_year=spec.plan_year,
            total_investment=spec.total_investment,
            aid_funds=spec.aid_funds,
            other_funds=spec.other_funds,
            content=spec.content,
            expected_beneficiaries=spec.expected_beneficiaries,
            expected_jobs=spec.expected_jobs,
            planned_start=spec.planned_start,
            actual_start=spec.actual_start,
            planned_completion=spec.planned_completion,
            actual_completion=spec.actual_completion,
            planned_delivery=spec.planned_delivery,
            actual_delivery=spec.actual_delivery,
            planned_acceptance=spec.planned_acceptance,
            actual_acceptance=spec.actual_acceptance,
        )
    )
    result.projects.append(project)
    result.aid_funds += project.aid_funds
    for name, quantity, unit in spec.outputs:
        _save(ProjectOutput(project=project, name=name, quantity=quantity, unit=unit))
        result.outputs += 1

    commit_date, commit_doc = spec.commitment
    txns = [(commit_date, 0, TransactionKind.COMMITMENT, data.Txn(commit_date, spec.aid_funds, commit_doc))]
    txns += [(t.date, 1, TransactionKind.DISBURSEMENT, t) for t in spec.disbursements]
    txns += [(t.date, 2, TransactionKind.EXPENDITURE, t) for t in spec.expenditures]
    for _date, _order, kind, t in sorted(txns, key=lambda x: (x[0], x[1])):
        _save(
            FundTransaction(
                project=project,
                kind=kind,
                date=t.date,
                amount=t.amount,
                source_document=t.source_document,
                note=t.note,
            )
        )
        result.transactions += 1
        if kind == TransactionKind.DISBURSEMENT:
            result.disbursed += t.amount
        elif kind == TransactionKind.EXPENDITURE:
            result.expended += t.amount

    for r in spec.reports:
        _save(
            ProgressReport(
                project=project,
                report_date=r.report_date,
                investment_completed=r.investment_completed,
                progress_percent=r.progress_percent,
                image_progress=r.image_progress,
                problems=r.problems,
                next_steps=r.next_steps,
            )
        )
        result.reports += 1


@dataclass
class DemoContext:
    """What an app's demo loader gets: `<app>/demo_records.py` defines `load(ctx)` and adds its records
    for ctx.program (the seed's work group) through ctx.save (full_clean, then save)."""

    program: Program
    second_program: Program
    townships: dict[str, Region]  # every region by code
    projects: dict[str, AidProject]  # the main program's aid projects by code
    save: object = None

    def __post_init__(self):
        self.save = _save


def _load_apps(ctx: DemoContext):
    """Each installed yuanjiang app's demo rows (`<app>/demo/first_year.toml`), in INSTALLED_APPS order
    (after the projects), then each app's second demo year (`<app>/demo/second_year.toml`: 2024-07-01 to
    2025-06-30, 示意), through `_save` (demo/loader.py, docs/demo.md)."""
    for year in loader.YEARS:
        loader.load_year(year, ctx.save)


def _load_users(result: DemoResult):
    for spec in data.DEMO_USERS:
        user = User(
            username=spec.username,
            display_name=spec.display_name,
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
        user.set_password(data.DEMO_PASSWORD)
        _save(user)
        _save(
            Membership(
                user=user,
                role=spec.role,
                program=Program.objects.get(slug=spec.program) if spec.program else None,
                organization=Organization.objects.get(slug=spec.organization) if spec.organization else None,
            )
        )
        result.users.append(user)


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the reference data, then the demo program, its projects, money, progress and users.

    All or nothing; every record goes through `full_clean()`, and the change log attributes every
    change to the source "demo". Meant for an empty (freshly migrated) database.
    """
    with acting_as(None, source=DEMO_SOURCE):
        reference_load()
        # The apps' reference rows that their migrations load (again here: a test's flush empties them).
        load_talent_fields()
        industry_clusters_load()
        if Program.objects.filter(slug=data.PROGRAM["slug"]).exists():
            raise DemoError(f"演示数据已存在（援疆项目组 {data.PROGRAM['slug']}），请使用空数据库。")
        _load_regions()
        program = _load_program(data.PROGRAM)
        result = DemoResult(program=program)
        # All regions by code: AidProject.clean() checks that a township belongs to the program.
        townships = {r.code: r for r in Region.objects.all()}
        for spec in data.PROJECTS:
            _load_project(program, spec, townships, result)
        # The previous batch (第十批, 示意) and the two projects it handed over (demo/batches.py).
        batches.load_previous_batch(program, townships, _save, _load_project, _load_program, result)
        # The second, illustrative program: its records are not counted in `result`.
        result.second_program = _load_program(data.SECOND_PROGRAM)
        scratch = DemoResult(program=result.second_program)
        for spec in data.SECOND_PROGRAM_PROJECTS:
            _load_project(result.second_program, spec, townships, scratch)
        # The second demo year of the projects (demo/second_year.py): 2025 plans, later money and progress.
        second_year.load_projects(program, townships, _save, _load_project, result)
        _load_apps(
            DemoContext(
                program=program,
                second_program=result.second_program,
                townships=townships,
                projects={p.code: p for p in result.projects},
            )
        )
        _load_users(result)
    # Planner statistics for the tables just filled, once the load is committed (core.maintenance).
    transaction.on_commit(maintenance.optimize)
    return result
