"""Money entry that cannot mislead (issue 21): every money box shows and takes 万元 (the ledgers'
unit) by default, 元 when chosen or typed; the stored value is exact in 元; an amount implausible for
its kind, or changed by a factor ≥ 100 from the stored one, is saved only once confirmed."""

import re
from decimal import Decimal

from django.urls import reverse

from tests.factories import make_project
from tests.test_changelog import form_data
from yuanjiang.common.forms import MoneyInput
from yuanjiang.projects.models import AidProject


def _box(page: str, name: str) -> tuple[str, str]:
    """(value shown in the box, unit selected beside it)."""
    value = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    shown = re.search(r'value="([^"]*)"', value)
    select = re.search(rf'<select name="{name}_unit"[^>]*>(.*?)</select>', page, re.S).group(1)
    selected = re.search(r'<option value="([^"]+)" selected>', select).group(1)
    return (shown.group(1) if shown else ""), selected


def test_the_edit_form_shows_a_stored_amount_in_wan_yuan(client, clerk, program):
    project = make_project(program, 1, aid_funds=Decimal("1500000"), total_investment=Decimal("2000000"))
    client.force_login(clerk)
    page = client.get(reverse("projects:aidproject_edit", args=[project.pk])).content.decode()
    # Before issue 21 the box showed 1500000 (元) beside a unit list starting with 元.
    assert _box(page, "aid_funds") == ("150", "万元")
    assert _box(page, "total_investment") == ("200", "万元")


def test_typing_over_the_shown_amount_keeps_its_unit(client, clerk, program):
    project = make_project(program, 1, aid_funds=Decimal("1500000"), total_investment=Decimal("2000000"))
    client.force_login(clerk)
    url = reverse("projects:aidproject_edit", args=[project.pk])
    data = form_data(project, aid_funds="120", total_investment="200", other_funds="0")
    data.update(aid_funds_unit="万元", total_investment_unit="万元", other_funds_unit="万元")
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.aid_funds, project.total_investment) == (Decimal("1200000"), Decimal("2000000"))


def test_an_amount_a_hundred_times_off_is_saved_only_once_confirmed(client, clerk, program):
    project = make_project(program, 1, aid_funds=Decimal("1500000"), total_investment=Decimal("2000000"))
    client.force_login(clerk)
    url = reverse("projects:aidproject_edit", args=[project.pk])
    data = form_data(project, aid_funds="120", aid_funds_unit="元")
    response = client.post(url, data)
    assert response.status_code == 200
    message = response.context["form"].errors["aid_funds"][0]
    assert "由原来的150万元改为120元" in message and "请核对单位" in message
    page = response.content.decode()
    assert 'type="checkbox" name="confirm_money"' in page and "金额核对无误，仍要保存" in page
    project.refresh_from_db()
    assert project.aid_funds == Decimal("1500000")  # nothing saved
    assert client.post(url, {**data, "confirm_money": "on"}).status_code == 302
    project.refresh_from_db()
    assert project.aid_funds == Decimal("120")


def test_a_new_record_with_an_implausible_amount_asks_first(client, clerk, program):
    client.force_login(clerk)
    data = {
        "program": program.pk,
        "code": "2023-99",
        "name": "村级幼儿园",
        "category": "education",
        "nature": "new",
        "delivery_mode": "turnkey",
        "plan_year": 2023,
        "total_investment": "150",
        "total_investment_unit": "元",
        "aid_funds": "150",
        "aid_funds_unit": "元",
        "other_funds": "0",
    }
    response = client.post(reverse("projects:aidproject_create"), data)
    assert response.status_code == 200
    assert "低于此类记录通常的1万元" in response.context["form"].errors["aid_funds"][0]
    assert not AidProject.objects.exists()
    data.update(aid_funds_unit="万元", total_investment_unit="万元")
    assert client.post(reverse("projects:aidproject_create"), data).status_code == 302
    assert AidProject.objects.get().aid_funds == Decimal("1500000")


def test_the_widget_reads_yuan_typed_as_such_and_shows_exact_wan_yuan():
    widget = MoneyInput()
    assert widget.value_from_datadict({"a": "1500000元", "a_unit": "万元"}, {}, "a") == "1500000"
    assert widget.value_from_datadict({"a": "150", "a_unit": "万元"}, {}, "a") == "1500000"
    assert widget.format_value(Decimal("1234.56")) == "0.123456"
    assert widget.format_value("abc") == "abc"
