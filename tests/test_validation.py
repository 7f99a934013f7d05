"""Bad input gets a clear Chinese message on the field, and nothing is saved. A stale edit is a
conflict, not an overwrite."""

import datetime as dt

from django.urls import reverse

from tests.factories import make_project
from tests.test_changelog import form_data
from yuanjiang.org.models import Region
from yuanjiang.projects.models import AidProject, FundTransaction


def post_edit(client, project, **overrides):
    return client.post(
        reverse("projects:aidproject_edit", args=[project.pk]), form_data(project, **overrides)
    )


def field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_negative_amount(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    response = post_edit(client, project, aid_funds="-5")
    assert response.status_code == 200
    assert field_errors(response, "aid_funds") == ["金额不能为负数。"]
    project.refresh_from_db()
    assert project.aid_funds == 1000000 and project.version == 1

    response = client.post(
        reverse("projects:fundtransaction_create", args=[project.pk]),
        {"kind": "disbursement", "date": "2023-06-01", "amount": "-100"},
    )
    assert field_errors(response, "amount") == ["金额必须大于0。"]
    assert not FundTransaction.objects.exists()


def test_end_before_start(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    response = post_edit(client, project, planned_start="2024-05-01", planned_completion="2024-03-01")
    errors = field_errors(response, "planned_completion")
    assert errors and "不能早于计划开工日期" in errors[0]
    response = post_edit(client, project, actual_start="2024-05-01", actual_completion="2024-03-01")
    assert "不能早于实际开工日期" in field_errors(response, "actual_completion")[0]
    project.refresh_from_db()
    assert project.planned_completion is None and project.actual_start is None


def test_completion_without_start_and_future_actual_dates(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    response = post_edit(client, project, actual_completion="2024-03-01")
    assert "尚未填写实际开工日期" in field_errors(response, "actual_completion")[0]
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = post_edit(client, project, actual_start=future)
    assert "不能晚于今天" in field_errors(response, "actual_start")[0]
    project.refresh_from_db()
    assert project.actual_start is None


def test_unknown_township(client, clerk, program, other_program):
    project = make_project(program, 1)
    client.force_login(clerk)
    foreign = Region.objects.get(code="654002100")  # a township of another county
    for value in (foreign.pk, 999999, "不存在"):
        response = post_edit(client, project, township=value)
        assert field_errors(response, "township") == ["所选乡镇不存在，或不属于本项目组的受援县。"], value
    project.refresh_from_db()
    assert project.township is None


def test_township_of_another_county_is_refused_by_the_model_too(program, other_program):
    project = make_project(program, 1)
    project.township = Region.objects.get(code="654002100")
    try:
        project.full_clean()
    except Exception as exc:  # ValidationError
        assert "所选乡镇不属于伊宁县" in str(exc)
    else:
        raise AssertionError("a township of another county must not validate")


def test_edit_form_carries_the_version(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    page = client.get(reverse("projects:aidproject_edit", args=[project.pk])).content.decode()
    assert 'name="expected_version" value="1"' in page


def test_project_cannot_move_to_another_program(client, clerk, program, other_program):
    project = make_project(program, 1)
    client.force_login(clerk)
    response = post_edit(client, project, program=other_program.pk, name="移动")
    project.refresh_from_db()
    assert project.program == program
    assert response.status_code in (200, 302)
    assert AidProject.objects.filter(program=other_program).count() == 0
