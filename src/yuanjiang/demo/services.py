"""Load the demo: every app's demo rows (data files, demo/loader.py) and the demo's users, through model validation."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from yuanjiang.accounts.models import Membership, User
from yuanjiang.core import maintenance
from yuanjiang.core.context import acting_as
from yuanjiang.demo import data, loader
from yuanjiang.investment.services import industry_clusters_load
from yuanjiang.org.models import Organization, Program
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


def _result(program: Program, second_program: Program) -> DemoResult:
    """What was loaded for the main program (its projects, their outputs, money and progress), from the database."""
    projects = list(AidProject.objects.filter(program=program).order_by("pk"))
    transactions = FundTransaction.objects.filter(project__program=program)
    money = dict(
        transactions.values_list("kind").annotate(total=Sum("amount")).values_list("kind", "total").order_by()
    )
    return DemoResult(
        program=program,
        second_program=second_program,
        projects=projects,
        outputs=ProjectOutput.objects.filter(project__program=program).count(),
        transactions=transactions.count(),
        reports=ProgressReport.objects.filter(project__program=program).count(),
        aid_funds=sum((p.aid_funds for p in projects), Decimal("0")),
        disbursed=money.get(TransactionKind.DISBURSEMENT, Decimal("0")),
        expended=money.get(TransactionKind.EXPENDITURE, Decimal("0")),
    )


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
    """Load the reference data, then every app's demo rows (demo/loader.py: each app's
    `demo/first_year.toml`, then each app's `demo/second_year.toml`), then the demo's users.

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
        try:
            for year in loader.YEARS:
                loader.load_year(year, _save)
        except loader.LoaderError as exc:
            raise DemoError(f"演示数据文件有误：{exc}") from exc
        result = _result(
            Program.objects.get(slug=data.PROGRAM["slug"]),
            Program.objects.get(slug=data.SECOND_PROGRAM["slug"]),
        )
        _load_users(result)
    # Planner statistics for the tables just filled, once the load is committed (core.maintenance).
    transaction.on_commit(maintenance.optimize)
    return result
