"""Shared records with an owner (issue 21): an enterprise, institution or park belongs to the program
that registered it (or is reference data kept by a supervisor); other programs link to it and read
it, never edit it; its history shows each viewer only the entries about what they may see."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_project
from yuanjiang.accounts import scoping
from yuanjiang.core.context import acting_as
from yuanjiang.investment.models import Enterprise, Park, ParkUpgrade
from yuanjiang.org.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def park(program):
    county = Region.objects.filter(level=Region.Level.COUNTY).first()
    with acting_as(None, source="test"):
        return Park.objects.create(name="伊宁县青创园", county=county, owner=program)


def test_another_programs_clerk_reads_but_cannot_edit(client, clerk, other_clerk, program, park):
    with acting_as(None, source="test"):
        firm = Enterprise.objects.create(name="新疆福思克制冷科技有限公司", owner=program)
    assert scoping.can_change(clerk, park) and scoping.can_change(clerk, firm)
    assert not scoping.can_change(other_clerk, park) and not scoping.can_change(other_clerk, firm)
    client.force_login(other_clerk)
    assert client.get(reverse("investment:park_detail", args=[park.pk])).status_code == 200
    assert client.get(reverse("investment:enterprise_detail", args=[firm.pk])).status_code == 200
    # Before issue 21 nj_clerk edited 南通's park live: now the edit page is not theirs.
    assert client.get(reverse("investment:park_edit", args=[park.pk])).status_code == 404
    response = client.post(
        reverse("investment:enterprise_edit", args=[firm.pk]),
        {"name": "改名", "expected_version": firm.version},
    )
    assert response.status_code == 404
    firm.refresh_from_db()
    assert firm.name == "新疆福思克制冷科技有限公司"


def test_a_new_shared_record_belongs_to_the_clerks_program(client, clerk, program):
    client.force_login(clerk)
    page = client.get(reverse("investment:enterprise_create")).content.decode()
    assert 'name="owner"' in page
    response = client.post(reverse("investment:enterprise_create"), {"name": "示例企业", "owner": ""})
    assert response.status_code == 200
    assert "请选择登记的援疆项目组" in response.content.decode()
    response = client.post(reverse("investment:enterprise_create"), {"name": "示例企业", "owner": program.pk})
    assert response.status_code == 302
    assert Enterprise.objects.get(name="示例企业").owner == program


def test_reference_data_is_kept_by_a_supervisor(clerk, supervisor):
    with acting_as(None, source="test"):
        firm = Enterprise.objects.create(name="参考企业")
    assert not scoping.can_change(clerk, firm)
    assert scoping.can_change(supervisor, firm)
    assert list(scoping.restrict(Enterprise.objects.all(), supervisor, scoping.CHANGE)) == [firm]
    assert list(scoping.restrict(Enterprise.objects.all(), clerk, scoping.CHANGE)) == []


def test_a_shared_records_history_shows_only_what_the_viewer_may_see(
    client, clerk, other_clerk, program, park
):
    project = make_project(program, 1, name="南通的改造项目", aid_funds=Decimal("2950000"))
    with acting_as(clerk, source="test"):
        ParkUpgrade.objects.create(park=park, aid_project=project, note="南通的说明")
    client.force_login(clerk)
    assert "南通的说明" in client.get(reverse("investment:park_detail", args=[park.pk])).content.decode()
    client.force_login(other_clerk)
    page = client.get(reverse("investment:park_detail", args=[park.pk])).content.decode()
    assert "南通的说明" not in page and "南通的改造项目" not in page
