"""The demo dataset reproduces the seed article's figures, and the demo command guards other databases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Membership, Role, User
from yuanjiang.core.models import ObjectChange
from yuanjiang.demo import data
from yuanjiang.demo.management.commands.demo import demo_database_path
from yuanjiang.demo.services import DemoError, demo_load
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Program
from yuanjiang.org.periods import Period, program_year
from yuanjiang.projects.choices import Category, Nature, TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

pytestmark = pytest.mark.django_db


def _sum(project, kind) -> Decimal:
    return project.transactions.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def test_demo_loads_the_program_and_its_15_projects(demo):
    program = Program.objects.get(slug="nantong-yining-11")
    assert program.provider.slug == "nantong-wg"
    assert program.recipient_region.code == "654021"
    assert program.batch == 11
    assert (program.term_start, program.term_end) == (dt.date(2023, 4, 1), dt.date(2026, 3, 31))
    assert AidProject.objects.filter(program=program, plan_year=2023).count() == 15
    assert demo.program == program
    assert len({p.category for p in program.aid_projects.all()}) >= 7
    assert ProgressReport.objects.filter(project__program=program).count() == demo.reports >= 15
    assert data.DEMO_NOTE.startswith("示例数据")


def test_article_figures_15_projects_all_started(demo):
    scope = Scope(program=demo.program)
    codes = ["projects.count", "projects.started", "projects.started_rate"]
    for period in (Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30)), program_year(demo.program, 1)):
        figures = evaluate(codes, scope, period)
        assert figures["projects.count"].value == 15
        assert figures["projects.started"].value == 15
        assert figures["projects.started_rate"].value == 100


def test_school_outputs_and_delivery(demo):
    school = AidProject.objects.get(name__contains="南通第二实验学校")
    assert school.category == Category.EDUCATION
    outputs = {(o.name, o.unit): o.quantity for o in school.outputs.all()}
    assert outputs[("总建筑面积", "平方米")] == 40000
    assert outputs[("学位", "个")] == 3000
    assert school.planned_delivery == dt.date(2024, 9, 1)
    assert school.actual_delivery is None
    assert school.status_on(data.DEMO_AS_OF) == "underway"


def test_qingchuangyuan_upgrade_aid_funds(demo):
    project = AidProject.objects.get(name__contains="青创园")
    assert project.aid_funds == Decimal("2950000")  # 投入近300万元
    assert project.category == Category.INDUSTRY


def test_training_program_aid_funds(demo):
    project = AidProject.objects.get(category=Category.TALENT, plan_year=2023)
    assert project.aid_funds == Decimal("4800000")  # 投入援疆资金480万元
    assert project.nature == Nature.NON_CONSTRUCTION
    assert "培训" in project.name


def test_every_township_belongs_to_yining_county(demo):
    projects = list(AidProject.objects.filter(program=demo.program).select_related("township__parent"))
    located = [p for p in projects if p.township_id]
    assert len(located) >= 12
    for p in located:
        assert p.township.parent.code == "654021", p
        assert p.township.kind in ("镇", "乡"), p  # not the corps farm listed under the county code


def test_money_is_consistent(demo):
    for project in demo.program.aid_projects.all():
        committed = _sum(project, TransactionKind.COMMITMENT)
        disbursed = _sum(project, TransactionKind.DISBURSEMENT)
        spent = _sum(project, TransactionKind.EXPENDITURE)
        assert committed == project.aid_funds, project
        assert disbursed <= committed, project
        assert Decimal("0.6") * committed <= disbursed, project
        assert spent <= disbursed, project
        assert project.other_funds == project.total_investment - project.aid_funds
        assert all(t.source_document for t in project.transactions.all())
    assert demo.aid_funds == demo.program.aid_projects.aggregate(s=Sum("aid_funds"))["s"]
    assert (
        demo.disbursed
        == FundTransaction.objects.filter(
            project__program=demo.program, kind=TransactionKind.DISBURSEMENT
        ).aggregate(s=Sum("amount"))["s"]
    )


def test_nothing_happens_after_the_snapshot_date(demo):
    for project in AidProject.objects.all():
        for _label, _planned, actual in project.milestones():
            assert actual is None or actual <= data.DEMO_AS_OF, project
        if project.program == demo.program and project.plan_year == 2023:
            assert project.actual_start <= dt.date(2024, 3, 31), project
    assert not FundTransaction.objects.filter(date__gt=data.DEMO_AS_OF).exists()
    assert not ProgressReport.objects.filter(report_date__gt=data.DEMO_AS_OF).exists()
    # The article's records end at its date; the second year (示意) begins after it.
    assert FundTransaction.objects.filter(date__gt=data.ARTICLE_AS_OF).exists()
    assert not AidProject.objects.filter(program=demo.program, plan_year=2024).exists()
    # Disbursements follow the commitment of their project.
    for t in FundTransaction.objects.exclude(kind=TransactionKind.COMMITMENT):
        commitment = t.project.transactions.get(kind=TransactionKind.COMMITMENT)
        assert t.date >= commitment.date, t


def test_demo_users_and_their_roles(demo):
    program = demo.program
    expected = {
        "nt_clerk": Role.CLERK,
        "nt_lead": Role.LEAD,
        "js_supervisor": Role.SUPERVISOR,
        "auditor": Role.AUDITOR,
        "admin": Role.ADMIN,
        "nj_clerk": Role.CLERK,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.display_name
        assert user.check_password(data.DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, role=role).exists(), username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()
    clerk = User.objects.get(username="nt_clerk")
    assert scoping.programs(clerk, scoping.CHANGE).filter(pk=program.pk).exists()
    supervisor = User.objects.get(username="js_supervisor")
    assert scoping.programs(supervisor).filter(pk=program.pk).exists()
    assert not scoping.programs(supervisor, scoping.CHANGE).exists()
    # The second (illustrative) program: its clerk does not see 南通's records, and vice versa;
    # the front command sees both.
    nanjing = Program.objects.get(slug="nanjing-yiningshi-11")
    nj_clerk = User.objects.get(username="nj_clerk")
    assert list(scoping.programs(nj_clerk)) == [nanjing]
    assert not scoping.restrict(AidProject.objects.all(), nj_clerk).filter(program=program).exists()
    assert not scoping.programs(clerk).filter(pk=nanjing.pk).exists()
    assert scoping.programs(supervisor).filter(pk=nanjing.pk).exists()
    assert {u.username for u in data.DEMO_USERS} == set(expected)


def test_change_log_attributes_the_demo(demo):
    project_type = ContentType.objects.get_for_model(AidProject)
    creates = ObjectChange.objects.filter(action="create", changeset__source="demo")
    # the article's 15, the two 续建 carried over from the 第十批 ([[handover]] of projects/demo/first_year.toml)
    # and the 2025 plan's 4 (projects/demo/second_year.toml)
    assert creates.filter(content_type=project_type, program=demo.program).count() == 15 + 2 + 4
    assert creates.filter(content_type=ContentType.objects.get_for_model(FundTransaction)).count() == (
        FundTransaction.objects.count()
    )
    assert creates.filter(program=demo.program).exists()


def test_demo_load_refuses_to_load_twice(demo):
    with pytest.raises(DemoError):
        demo_load()
    # with the two 续建 carried over and the 2025 plan's 4 (projects/demo/*.toml)
    assert demo.program.aid_projects.count() == 15 + 2 + 4


def test_demo_command_refuses_a_database_that_is_not_the_demo_file():
    # The test database is not var/demo.sqlite3: the command must not touch it.
    with pytest.raises(CommandError, match=r"demo\.sqlite3"):
        call_command("demo", "--no-serve")
    assert not Program.objects.exists()


def test_demo_database_guard():
    sqlite = "django.db.backends.sqlite3"
    assert demo_database_path({"ENGINE": sqlite, "NAME": "/srv/yj/var/demo.sqlite3"}) is not None
    assert demo_database_path({"ENGINE": sqlite, "NAME": "/srv/yj/var/yuanjiang.sqlite3"}) is None
    assert demo_database_path({"ENGINE": sqlite, "NAME": ":memory:"}) is None
    assert demo_database_path({"ENGINE": "django.db.backends.postgresql", "NAME": "demo.sqlite3"}) is None
