"""产业援疆: bad input through the real web forms gets a clear Chinese message on the field and saves
nothing; another program's ids are refused; a stale edit is a conflict."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cases.investment import (
    make_contact,
    make_enterprise,
    make_event,
    make_institution,
    make_investment,
    make_park,
    make_phase,
)
from tests.factories import make_project, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    InvestmentPhase,
    InvestmentProject,
    ParkUpgrade,
    PromotionEvent,
)
from yuanjiang.investment.validators import credit_code_check_char
from yuanjiang.org.models import Organization

GOOD_CODE = "91350100M000100Y43"


def errors(response, field):
    assert response.status_code in (200, 409), response.status_code
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def project_data(program, enterprise, **overrides):
    data = {
        "program": program.pk,
        "name": "测试冷链项目",
        "enterprise": enterprise.pk,
        "planned_investment": "50000000",
        "actual_investment": "0",
        "expected_jobs": "45",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_project(client, program, enterprise, **overrides):
    return client.post(
        reverse("investment:investmentproject_create"), project_data(program, enterprise, **overrides)
    )


# Enterprises


def test_enterprise_with_a_used_credit_code_is_refused(client, clerk):
    make_enterprise(1, credit_code=GOOD_CODE)
    client.force_login(clerk)
    response = client.post(
        reverse("investment:enterprise_create"), {"name": "另一家", "credit_code": GOOD_CODE.lower()}
    )
    assert "已有企业使用该统一社会信用代码。" in errors(response, "credit_code") + errors(response, "__all__")
    assert Enterprise.objects.count() == 1


def test_enterprise_with_a_wrong_check_digit_is_refused(client, clerk, program):
    client.force_login(clerk)
    wrong = GOOD_CODE[:17] + ("4" if GOOD_CODE[17] != "4" else "5")
    response = client.post(reverse("investment:enterprise_create"), {"name": "某企业", "credit_code": wrong})
    assert "校验位不正确" in errors(response, "credit_code")[0]
    assert not Enterprise.objects.exists()
    # The right check digit is accepted, blank codes never collide.
    code = "91320600" + "MA1MXXXX" + "0"
    code = code[:17] + credit_code_check_char(code[:17])
    assert (
        client.post(
            reverse("investment:enterprise_create"), {"name": "甲", "credit_code": code, "owner": program.pk}
        ).status_code
        == 302
    )
    for name in ("乙", "丙"):
        response = client.post(reverse("investment:enterprise_create"), {"name": name, "owner": program.pk})
        assert response.status_code == 302
    assert Enterprise.objects.count() == 3


def test_supervisor_keeps_reference_records_but_not_a_programs(client, supervisor, program):
    """Issue 21: a record without an owner is reference data a supervisor keeps; one a program
    registered is that program's."""
    enterprise = make_enterprise(1)
    client.force_login(supervisor)
    response = client.post(
        reverse("investment:enterprise_edit", args=[enterprise.pk]), {"name": "改名", "expected_version": 1}
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "改名"
    with acting_as(None, source="test"):
        Enterprise.objects.filter(pk=enterprise.pk).update(owner=program)
    response = client.post(
        reverse("investment:enterprise_edit", args=[enterprise.pk]), {"name": "再改", "expected_version": 2}
    )
    assert response.status_code == 404


# Investment projects


def test_stage_dates_out_of_order_are_refused(client, clerk, program):
    enterprise = make_enterprise(1)
    client.force_login(clerk)
    response = post_project(client, program, enterprise, signed_date="2024-03-01", landed_date="2024-02-01")
    assert errors(response, "landed_date") == ["落户日期（2024-02-01）不能早于签约日期（2024-03-01）。"]
    response = post_project(
        client, program, enterprise, negotiation_date="2024-05-01", started_date="2024-04-01"
    )
    assert "不能早于洽谈日期" in errors(response, "started_date")[0]
    assert not InvestmentProject.objects.exists()


def test_operation_without_start_is_refused(client, clerk, program):
    enterprise = make_enterprise(1)
    client.force_login(clerk)
    response = post_project(
        client, program, enterprise, signed_date="2024-01-10", operating_date="2024-05-01"
    )
    assert errors(response, "operating_date") == ["尚未填写开工日期，不能填写投产日期。"]
    assert not InvestmentProject.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("planned_investment", "-1", "金额不能为负数。"),
        ("actual_investment", "-0.01", "金额不能为负数。"),
        ("annual_output", "-5", "金额不能为负数。"),
        ("planned_investment", "1" + "0" * 30, ""),
        ("expected_jobs", "-3", "不能为负数"),
        ("actual_jobs", "99999999999", ""),
        ("expected_jobs", "2000000", "就业人数不能超过100万人，请核对。"),
        ("signed_date", "0001-01-01", "签约日期不能早于1997年1月1日。"),
        ("signed_date", "1996-12-31", "签约日期不能早于1997年1月1日。"),
        ("signed_date", "9999-12-31", "不能晚于今天"),
        ("landed_date", "2024-02-30", ""),
    ],
)
def test_bad_numbers_and_dates_are_refused(client, clerk, program, field, value, message):
    enterprise = make_enterprise(1)
    client.force_login(clerk)
    response = post_project(client, program, enterprise, **{field: value})
    found = errors(response, field)
    assert found and message in found[0], found
    assert not InvestmentProject.objects.exists()


def test_a_park_of_another_county_is_refused(client, clerk, program, other_program):
    enterprise = make_enterprise(1)
    theirs = make_park(1, county=other_program.recipient_region, name="伊宁市某园区")
    client.force_login(clerk)
    response = post_project(client, program, enterprise, park=theirs.pk)
    assert errors(response, "park") == ["所选园区不存在，或不在本项目组的受援地。"]
    assert not InvestmentProject.objects.exists()
    # The model says why, whoever saves (a user editing programs in both counties, the admin, imports).
    project = InvestmentProject(program=program, name="x", enterprise=enterprise, park=theirs)
    with pytest.raises(ValidationError) as info:
        project.full_clean()
    assert "不在本项目组的受援地伊宁县" in info.value.message_dict["park"][0]


def test_another_programs_event_or_program_is_refused(client, clerk, program, other_program):
    enterprise = make_enterprise(1)
    their_event = make_event(other_program, 1, kind="signing")
    client.force_login(clerk)
    response = post_project(
        client, program, enterprise, signed_event=their_event.pk, signed_date="2023-06-01"
    )
    assert "不存在或不在您的权限范围内" in errors(response, "signed_event")[0]
    response = client.post(
        reverse("investment:investmentproject_create"),
        {**project_data(program, enterprise), "program": other_program.pk},
    )
    assert "不存在或不在您的权限范围内" in errors(response, "program")[0]
    response = client.post(
        reverse("investment:contact_create"),
        {
            "program": program.pk,
            "date": "2023-06-01",
            "kind": "docking",
            "enterprise": enterprise.pk,
            "event": their_event.pk,
        },
    )
    assert "不存在或不在您的权限范围内" in errors(response, "event")[0]
    assert not InvestmentProject.objects.exists() and not Contact.objects.exists()


def test_a_valid_project_is_saved_with_its_stage(client, clerk, program):
    enterprise = make_enterprise(1)
    park = make_park(1)
    client.force_login(clerk)
    response = post_project(
        client,
        program,
        enterprise,
        park=park.pk,
        signed_date="2024-02-28",
        landed_date="2024-03-04",
        started_date="2024-03-18",
    )
    assert response.status_code == 302
    project = InvestmentProject.objects.get()
    assert project.stage.label == "开工"
    assert project.stage_on(dt.date(2024, 3, 10)).label == "落户"


# Phases, contacts, events, park upgrades


def test_phase_rules(client, clerk, program):
    phase = make_phase(program, 1)
    client.force_login(clerk)
    url = reverse("investment:investmentphase_create", args=[phase.project.pk])
    base = {"sequence": "2", "name": "二期", "planned_investment": "5000000"}
    response = client.post(url, {**base, "sequence": "1"})
    assert errors(response, "sequence") == ["该项目已有第1期。"]
    response = client.post(url, {**base, "operating_date": "2024-05-01"})
    assert errors(response, "operating_date") == ["尚未填写实际开工日期，不能填写实际投产日期。"]
    response = client.post(url, {**base, "planned_investment": "-5000000"})
    assert errors(response, "planned_investment") == ["金额不能为负数。"]
    response = client.post(url, {**base, "planned_start": "2024-09-01", "planned_operation": "2024-07-01"})
    assert "不能早于计划开工日期" in errors(response, "planned_operation")[0]
    assert InvestmentPhase.objects.count() == 1
    assert client.post(url, base).status_code == 302
    assert InvestmentPhase.objects.count() == 2


def test_contact_names_an_enterprise_or_an_institution(client, clerk, program):
    enterprise, institution = make_enterprise(1), make_institution(1)
    client.force_login(clerk)
    url = reverse("investment:contact_create")
    base = {"program": program.pk, "date": "2023-06-01", "kind": "visit"}
    response = client.post(url, base)
    assert errors(response, "enterprise") == ["请选择对接的企业或机构（二选一）。"]
    response = client.post(url, {**base, "enterprise": enterprise.pk, "institution": institution.pk})
    assert errors(response, "institution") == ["请选择对接的企业或机构（二选一）。"]
    assert not Contact.objects.exists()
    assert client.post(url, {**base, "institution": institution.pk}).status_code == 302


def test_contact_added_at_an_event_belongs_to_its_program(client, clerk, program, other_program):
    event = make_event(program, 1)
    enterprise = make_enterprise(1)
    client.force_login(clerk)
    response = client.post(
        reverse("investment:event_contact_create", args=[event.pk]),
        # A tampered program and event are ignored: both come from the event.
        {
            "program": other_program.pk,
            "event": 999,
            "date": "2023-06-01",
            "kind": "docking",
            "enterprise": enterprise.pk,
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.program == program and contact.event == event


def test_event_organizer_must_be_the_work_group_or_above(client, clerk, program):
    client.force_login(clerk)
    url = reverse("investment:promotionevent_create")
    base = {"program": program.pk, "title": "签约仪式", "kind": "signing", "date": "2024-02-28"}
    nanjing = Organization.objects.get(slug="nanjing-wg")
    response = client.post(url, {**base, "organizer": nanjing.pk})
    assert "主办单位须为" in errors(response, "organizer")[0]
    assert not PromotionEvent.objects.exists()
    front = Organization.objects.get(slug="jiangsu-yili-front")
    assert client.post(url, {**base, "organizer": front.pk}).status_code == 302
    assert PromotionEvent.objects.get().organizer == front


def test_park_upgrade_must_be_an_aid_project_of_the_parks_county(client, program, other_program):
    editor = make_user("both", Role.CLERK, organization=Organization.objects.get(slug="jiangsu-yili-front"))
    park = make_park(1)
    theirs = make_project(other_program, 1, name="伊宁市项目")
    mine = make_project(program, 2, name="青创园改造")
    client.force_login(editor)
    url = reverse("investment:parkupgrade_create", args=[park.pk])
    response = client.post(url, {"aid_project": theirs.pk})
    assert "不能关联" in errors(response, "aid_project")[0]
    assert client.post(url, {"aid_project": mine.pk}).status_code == 302
    response = client.post(url, {"aid_project": mine.pk})
    assert errors(response, "aid_project") == ["该援疆项目已关联到这个园区。"]
    assert ParkUpgrade.objects.count() == 1


def test_clerk_cannot_link_another_programs_aid_project(client, clerk, program, other_program):
    park = make_park(1, county=other_program.recipient_region)
    theirs = make_project(other_program, 1)
    client.force_login(clerk)
    response = client.post(
        reverse("investment:parkupgrade_create", args=[park.pk]), {"aid_project": theirs.pk}
    )
    assert "不存在或不在您的权限范围内" in errors(response, "aid_project")[0]
    assert not ParkUpgrade.objects.exists()


def test_contact_of_an_event_in_model_clean(program, other_program):
    event = make_event(other_program, 1)
    with pytest.raises(ValidationError) as info:
        make_contact(program, 1, event=event)
    assert info.value.message_dict["event"] == ["所选招商活动不属于本援疆项目组。"]


def test_a_new_event_records_who_was_met_as_its_contacts(client, clerk, program):
    a, b = make_enterprise(1, is_leading=True), make_enterprise(2)
    university = make_institution(1)
    client.force_login(clerk)
    response = client.post(
        reverse("investment:promotionevent_create"),
        {
            "program": program.pk,
            "title": "专题招商（南通）",
            "kind": "themed",
            "date": "2023-05-18",
            "enterprises_met": [a.pk, b.pk],
            "institutions_met": [university.pk],
        },
    )
    assert response.status_code == 302
    event = PromotionEvent.objects.get()
    contacts = Contact.objects.filter(event=event)
    assert sorted(str(c.enterprise or c.institution) for c in contacts) == [
        "测试企业1",
        "测试企业2",
        "测试机构1",
    ]
    assert {c.date for c in contacts} == {dt.date(2023, 5, 18)} and {c.program for c in contacts} == {program}
    # A bad event saves neither the event nor its contacts.
    response = client.post(
        reverse("investment:promotionevent_create"),
        {
            "program": program.pk,
            "title": "x",
            "kind": "themed",
            "date": "9999-01-01",
            "enterprises_met": [a.pk],
        },
    )
    assert "不能晚于今天" in errors(response, "date")[0]
    assert PromotionEvent.objects.count() == 1 and Contact.objects.count() == 3


def test_pipeline_of_another_program_is_404_and_a_bad_period_a_message(client, clerk, program, other_program):
    client.force_login(clerk)
    assert client.get(reverse("investment:pipeline", args=[other_program.slug])).status_code == 404
    url = reverse("investment:pipeline", args=[program.slug])
    for bad in ("2024-13-01:2024-12-31", "0001-01-01:9999-12-31", "2024-06-30:2023-04-01"):
        response = client.get(url, {"period": bad})
        assert response.status_code == 200 and 'id="period_error"' in response.content.decode(), bad
    assert "首年" in client.get(url, {"period": "首年"}).content.decode()


def test_the_clerks_only_program_is_preselected(client, clerk, program):
    client.force_login(clerk)
    response = client.get(reverse("investment:investmentproject_create"))
    assert response.context["form"]["program"].value() == program.pk


@pytest.mark.parametrize(
    "url",
    [
        "investment:investmentproject_list",
        "investment:contact_list",
        "investment:promotionevent_list",
        "investment:enterprise_list",
        "investment:institution_list",
        "investment:park_list",
    ],
)
def test_junk_filters_and_pages_are_no_5xx(client, clerk, program, url):
    make_investment(program, 1)
    client.force_login(clerk)
    junk = {
        "q": "'; drop table x; --" * 20,
        "program": "nope",
        "stage": "zzz",
        "park": "abc",
        "cluster": "-1",
        "event": "99999999999999999999",
        "kind": "x",
        "county": "x",
        "is_leading": "maybe",
        "leading": "maybe",
        "signed_after": "9999-99-99",
        "date_before": "0000-00-00",
        "page": "999999",
    }
    assert client.get(reverse(url), junk).status_code in (200, 404)


def test_auditor_stream_shows_shared_records_but_not_users_or_other_programs(client, program, other_program):
    auditor = make_user("program_auditor", Role.AUDITOR, program=program)
    make_enterprise(1, name="共享企业甲")
    make_event(other_program, 1, title="南京的活动")
    make_user("someone", Role.CLERK, program=program)  # a membership: no program-less leak
    client.force_login(auditor)
    body = client.get(reverse("objectchange_list")).content.decode()
    assert "共享企业甲" in body
    assert "南京的活动" not in body
    assert "someone" not in body
