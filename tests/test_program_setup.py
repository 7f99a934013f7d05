"""A work group set up in the web: a supervisor sets up a program for another pairing, invites a clerk
by a one-time link; the empty program's first screen; the handover page and the 接力棒 view."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import make_project, make_user
from yuanjiang.accounts.models import Invitation, Membership, Role, User
from yuanjiang.core.context import acting_as
from yuanjiang.org.models import Organization, Program
from yuanjiang.reports.models import Target

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def huocheng(reference):
    """霍城县's divisions (江阴 → 霍城县, another pairing of the 伊犁 front command)."""
    from yuanjiang.org.services import reference_load

    with acting_as(None, source="test"):
        reference_load(counties=("654021", "654023"))


@pytest.fixture
def front_supervisor(huocheng):
    return make_user(
        "front_sup", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu-yili-front")
    )


def setup_post(client, **extra):
    data = {
        "provider": Organization.objects.get(slug="jiangyin-wg").pk,
        "batch": "11",
        "term_start": "2023-04-01",
        "term_end": "2026-03-31",
        "report_definition": "default",
        "target_projects.count": "12",
        **extra,
    }
    return client.post(reverse("org:program_setup"), data)


def test_supervisor_sets_up_a_program_and_invites_a_clerk(client, front_supervisor):
    client.force_login(front_supervisor)
    page = client.get(reverse("org:program_setup"))
    assert page.status_code == 200 and "江苏援伊·江阴工作组" in page.content.decode()
    response = setup_post(client)
    program = Program.objects.get(provider__slug="jiangyin-wg", batch=11)
    assert response.status_code == 302 and response.url == reverse(
        "org:program_invitations", args=[program.slug]
    )
    assert program.recipient_region.name == "霍城县"  # from the pairing in the reference data
    assert program.name == "江苏援伊·江阴工作组（第十一批）"
    assert program.townships().count() >= 10
    target = Target.objects.get(program=program)
    assert (target.metric, target.value, target.period_start) == ("projects.count", 12, D(2023, 4, 1))

    page = client.post(
        reverse("org:program_invitations", args=[program.slug]), {"display_name": "李娜", "role": "clerk"}
    )
    link = re.search(r'value="(http[^"]+/invite/[^"]+/)"', page.content.decode()).group(1)
    invitation = Invitation.objects.get(program=program)
    assert invitation.token_hash not in link  # only the hash is stored
    client.logout()
    path = link.split("testserver", 1)[1]
    form = client.get(path)
    assert "李娜" in form.content.decode()
    bad = client.post(path, {"username": "lina", "password1": "x", "password2": "y"})
    assert bad.status_code == 200 and not User.objects.filter(username="lina").exists()
    done = client.post(
        path, {"username": "lina", "password1": "Yj-strong-pass-2024", "password2": "Yj-strong-pass-2024"}
    )
    assert done.status_code == 302 and done.url == program.get_absolute_url()
    lina = User.objects.get(username="lina")
    assert lina.display_name == "李娜"
    assert Membership.objects.get(user=lina).program == program
    # The empty program's first screen says what to enter first.
    first = client.get(program.get_absolute_url()).content.decode()
    assert "从这里开始" in first and "年度计划项目" in first and "霍城县" in first
    # The link is spent.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410 and "已被使用" in again.content.decode()


def test_setup_refuses_bad_input_and_other_roles(client, front_supervisor, clerk):
    client.force_login(front_supervisor)
    response = setup_post(client, term_end="2022-03-31")
    assert response.status_code == 200
    assert "任期结束日期不能早于任期开始日期" in response.content.decode()
    assert not Program.objects.filter(provider__slug="jiangyin-wg").exists()
    response = setup_post(client, provider=Organization.objects.get(slug="shanghai-wg-653125").pk)
    assert "不在您的权限范围内" in response.content.decode()
    client.force_login(clerk)
    assert client.get(reverse("org:program_setup")).status_code == 403


def test_handover_page_and_baton_view(client, program):
    with acting_as(None, source="test"):
        tenth = Program.objects.create(
            slug="nantong-yining-10",
            name="江苏援伊·南通工作组（第十批）",
            provider=program.provider,
            recipient_region=program.recipient_region,
            batch=10,
            term_start=D(2020, 4, 1),
            term_end=D(2023, 3, 31),
        )
        program.predecessor = tenth
        program.save()
    open1 = make_project(tenth, 1, plan_year=2022, actual_start=D(2022, 5, 1))
    make_project(tenth, 2, plan_year=2022, actual_start=D(2022, 5, 1), actual_completion=D(2022, 12, 1))
    lead = make_user("lead10", Role.LEAD, program=tenth)
    client.force_login(lead)
    page = client.get(reverse("org:program_handover", args=[tenth.slug])).content.decode()
    assert "P001" in page and "P002" not in page  # only the unfinished one is offered
    response = client.post(
        reverse("org:program_handover", args=[tenth.slug]),
        {"handed_over_on": "2023-04-01", "projects": [open1.pk]},
    )
    assert response.status_code == 302
    assert program.aid_projects.get().carried_from == open1
    baton = client.get(reverse("org:program_baton", args=[tenth.slug]))
    html = baton.content.decode()
    assert "第十批" in html and "接续上一批的续建项目" in html


def test_handover_page_carries_a_fund_and_an_agreement(client, program):
    from tests.cases.education import make_donation, make_fund
    from tests.factories_talent import make_agreement

    with acting_as(None, source="test"):
        tenth = Program.objects.create(
            slug="nantong-yining-10",
            name="江苏援伊·南通工作组（第十批）",
            provider=program.provider,
            recipient_region=program.recipient_region,
            batch=10,
            term_start=D(2020, 4, 1),
            term_end=D(2023, 3, 31),
        )
        program.predecessor = tenth
        program.save()
    fund = make_fund(tenth, 1, founded_on=D(2021, 3, 1))
    make_donation(fund, "5000", D(2021, 3, 1))
    agreement = make_agreement(tenth, 1, signed_on=D(2022, 5, 1))
    client.force_login(make_user("lead10", Role.LEAD, program=tenth))
    url = reverse("org:program_handover", args=[tenth.slug])
    page = client.get(url).content.decode()
    assert fund.name in page and agreement.title in page
    nothing = client.post(url, {"handed_over_on": "2023-04-01"})
    assert "请至少选择一个未完工项目、教育基金或协议" in nothing.content.decode()
    response = client.post(
        url, {"handed_over_on": "2023-04-01", "funds": [fund.pk], "agreements": [agreement.pk]}
    )
    assert response.status_code == 302
    carried = program.education_funds.get()
    assert carried.carried_from == fund and carried.donations.get().amount == 5000
    assert program.agreements.get().carried_from == agreement
    assert fund.name not in client.get(url).content.decode()  # carried once only


def test_a_lead_revokes_an_invitation_and_the_link_is_gone(client, program):
    from django.contrib.contenttypes.models import ContentType

    from yuanjiang.core import history
    from yuanjiang.core.models import ObjectChange

    lead = make_user("lead11", Role.LEAD, program=program)
    client.force_login(lead)
    url = reverse("org:program_invitations", args=[program.slug])
    page = client.post(url, {"display_name": "王芳", "role": "clerk"}).content.decode()
    full = re.search(r'value="(http[^"]+/invite/[^"]+/)"', page).group(1)
    link = full.split("testserver", 1)[1]
    invitation = Invitation.objects.get(program=program)
    revoke = reverse("org:invitation_revoke", args=[program.slug, invitation.pk])
    assert revoke in page
    assert client.get(link).status_code == 200  # usable until revoked
    response = client.post(revoke)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == lead
    assert "已撤销（lead11" in client.get(url).content.decode()
    # Logged: the change log has the revocation, by the lead.
    (change,) = history.fill(
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Invitation),
            object_id=str(invitation.pk),
            action="update",
        )
    )
    assert change.actor == lead and change.before["revoked_at"] is None and change.after["revoked_at"]
    client.logout()
    gone = client.get(link)
    assert gone.status_code == 410 and "已被撤销" in gone.content.decode()
    refused = client.post(
        link, {"username": "wf", "password1": "Yj-strong-pass-2024", "password2": "Yj-strong-pass-2024"}
    )
    assert refused.status_code == 410 and not User.objects.filter(username="wf").exists()
    # A clerk cannot revoke; another program's lead cannot either.
    client.force_login(make_user("clerk11", Role.CLERK, program=program))
    assert client.post(revoke).status_code == 403
