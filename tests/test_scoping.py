"""A clerk of one program can neither see nor edit another program's records: 404, not 403, and no
leak through lists, search, form choices or metrics."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_project, make_transaction, township
from yuanjiang.accounts import scoping
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period
from yuanjiang.projects.forms import AidProjectForm
from yuanjiang.projects.models import AidProject

PERIOD = Period(dt.date(2023, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture
def two_programs(program, other_program):
    mine = make_project(program, 1, name="南通援建幼儿园", actual_start=dt.date(2023, 6, 1))
    theirs = make_project(other_program, 1, name="南京援建卫生院", actual_start=dt.date(2023, 6, 1))
    make_transaction(theirs, "commitment", "1000000")
    return mine, theirs


def test_list_and_search_show_only_own_program(client, clerk, two_programs):
    client.force_login(clerk)
    page = client.get(reverse("projects:aidproject_list")).content.decode()
    assert "南通援建幼儿园" in page
    assert "南京援建卫生院" not in page
    searched = client.get(reverse("projects:aidproject_list"), {"q": "南京"}).content.decode()
    assert "南京援建卫生院" not in searched


def test_other_programs_records_are_404(client, clerk, two_programs):
    _, theirs = two_programs
    client.force_login(clerk)
    tx = theirs.transactions.get()
    for url in (
        reverse("projects:aidproject_detail", args=[theirs.pk]),
        reverse("projects:aidproject_edit", args=[theirs.pk]),
        reverse("projects:fundtransaction_create", args=[theirs.pk]),
        reverse("projects:fundtransaction_edit", args=[tx.pk]),
        reverse("projects:fundtransaction_delete", args=[tx.pk]),
        reverse("org:program_detail", args=[theirs.program.slug]),
        reverse("metrics:metric_records", args=["projects.count"]) + f"?program={theirs.program.slug}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("projects:fundtransaction_delete", args=[tx.pk]))
    assert response.status_code == 404
    assert theirs.transactions.exists()


def test_form_choices_do_not_leak(clerk, two_programs, other_program, program):
    form = AidProjectForm(user=clerk)
    assert list(form.fields["program"].queryset) == [program]
    townships = set(form.fields["township"].queryset)
    assert townships == set(program.townships())
    assert not townships & set(other_program.townships())


def test_posting_another_programs_id_is_refused(client, clerk, two_programs, other_program):
    client.force_login(clerk)
    response = client.post(
        reverse("projects:aidproject_create"),
        {
            "program": other_program.pk,
            "code": "X1",
            "name": "越权项目",
            "category": "education",
            "plan_year": 2024,
            "nature": "new",
            "delivery_mode": "cheque",
            "total_investment": "0",
            "aid_funds": "0",
            "other_funds": "0",
        },
    )
    assert response.status_code == 200
    assert "不在您的权限范围内" in response.content.decode()
    assert not AidProject.objects.filter(code="X1").exists()


def test_metrics_are_scoped(clerk, supervisor, two_programs, program, other_program):
    front = Organization.objects.get(slug="jiangsu-yili-front")
    # A clerk asking for the front command's roll-up sees only what is theirs.
    clerk_scope = Scope(organization=front, visible=scoping.programs(clerk))
    assert evaluate(["projects.count"], clerk_scope, PERIOD)["projects.count"].value == 1
    super_scope = Scope(organization=front, visible=scoping.programs(supervisor))
    assert evaluate(["projects.count"], super_scope, PERIOD)["projects.count"].value == 2


def test_supervisor_reads_every_program_under_the_front_command_but_cannot_edit(
    client, supervisor, two_programs
):
    mine, _ = two_programs
    client.force_login(supervisor)
    page = client.get(reverse("projects:aidproject_list")).content.decode()
    assert "南通援建幼儿园" in page and "南京援建卫生院" in page
    assert client.get(reverse("projects:aidproject_edit", args=[mine.pk])).status_code == 404
    assert client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"])).status_code == 200


def test_clerk_cannot_open_organization_rollup_or_change_stream(client, clerk, two_programs):
    client.force_login(clerk)
    assert client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"])).status_code == 404
    assert client.get(reverse("objectchange_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, two_programs):
    mine, _ = two_programs
    response = client.get(reverse("projects:aidproject_detail", args=[mine.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_township_choices_of_the_clerks_county(clerk, program):
    assert township(program).parent == program.recipient_region


def test_refusals_speak_chinese(client, clerk, two_programs, settings):
    settings.DEBUG = False
    _, theirs = two_programs
    client.force_login(clerk)
    not_found = client.get(reverse("projects:aidproject_detail", args=[theirs.pk]))
    assert not_found.status_code == 404 and "不在您的权限范围内" in not_found.content.decode()
    forbidden = client.get(reverse("objectchange_list"))
    assert forbidden.status_code == 403 and "只有审计和系统管理员" in forbidden.content.decode()


@pytest.mark.parametrize("action", [scoping.VIEW, scoping.CHANGE])
def test_a_global_admin_reads_every_program_without_a_program_subquery(admin_user, two_programs, action):
    """Every record of every program, as the subquery of all programs gave, but in the query's own
    terms: a subquery of every program steers the planner off the table's own indexes (the inbox
    counts on every page scanned whole tables for a superuser)."""
    from django.apps import apps

    from yuanjiang.org.models import Program

    for model in [*apps.get_models(), Program]:
        if getattr(model, "scope_path", None) and not getattr(model, "shared", False):
            restricted = scoping.restrict(model._base_manager.order_by(), admin_user, action)
            assert "org_program" not in str(restricted.query) or model is Program
            expected = model._base_manager.filter(
                **{f"{'pk' if model is Program else model.scope_path}__in": Program.objects.values("pk")}
            )
            assert sorted(restricted.values_list("pk", flat=True)) == sorted(
                expected.values_list("pk", flat=True)
            )
    admin_user.is_active = False
    assert not scoping.restrict(AidProject.objects.all(), admin_user, action).exists()
