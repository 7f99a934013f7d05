"""Every list page's export, through the test kit's cases (tests/kit.py): it holds exactly the rows
the user may see, and costs the same number of queries at two sizes."""

import io

import pytest
from django.urls import resolve, reverse
from python_calamine import CalamineWorkbook

from tests.kit import all_cases, all_shared_cases, count_queries
from yuanjiang.accounts import scoping

CASES = [c for c in all_cases() if c.list_url]
SHARED = [c for c in all_shared_cases() if c.list_url]

pytestmark = pytest.mark.django_db


def _export(client, url):
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200, url
    data = b"".join(response.streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_export_has_only_the_users_rows(client, clerk, program, other_program, case):
    url = reverse(case.list_url)
    model = resolve(url).func.view_class.model
    case.make(program, 930)
    case.make(other_program, 931)
    client.force_login(clerk)
    rows = _export(client, url)
    visible = scoping.restrict(model.objects.all(), clerk).count()
    assert visible < model.objects.count()
    assert len(rows) - 1 == visible


@pytest.mark.parametrize("case", CASES, ids=str)
def test_export_queries_are_fixed(client, clerk, program, case):
    client.force_login(clerk)
    url = reverse(case.list_url)
    for n in range(2):
        case.make(program, 940 + n)
    small = count_queries(lambda: _export(client, url))
    for n in range(15):
        case.make(program, 950 + n)
    large = count_queries(lambda: _export(client, url))
    assert small == large, (small, large)


@pytest.mark.parametrize("case", SHARED, ids=str)
def test_shared_list_export_queries_are_fixed(client, clerk, case):
    client.force_login(clerk)
    url = reverse(case.list_url)
    for n in range(2):
        case.make(980 + n)
    small = count_queries(lambda: _export(client, url))
    rows_small = len(_export(client, url))
    for n in range(15):
        case.make(990 + n)
    large = count_queries(lambda: _export(client, url))
    assert small == large, (small, large)
    assert len(_export(client, url)) == rows_small + 15


def test_change_log_export_is_the_auditors_scope(client, auditor, clerk, program, other_program):
    from tests.factories import make_project
    from yuanjiang.core.models import ObjectChange

    project = make_project(program, 1)
    make_project(other_program, 2)
    project.name = "改名后的项目"
    project.save()  # an update stores no text either
    client.force_login(auditor)
    url = reverse("objectchange_list")
    assert "导出Excel" in client.get(url).content.decode()
    rows = _export(client, url)
    assert rows[0][:3] == ["时间", "操作人", "来源"]
    # A create entry stores no text: the export gives the record's (core.history).
    created = [r for r in rows[1:] if r[rows[0].index("操作")] == "新增"]
    texts = [r[rows[0].index("记录")] for r in created]
    assert project.name in texts and all(texts)
    updated = [r[rows[0].index("记录")] for r in rows[1:] if r[rows[0].index("操作")] == "修改"]
    assert updated == ["改名后的项目"]
    listed = client.get(url).context["paginator"].count
    assert len(rows) - 1 == listed < ObjectChange.objects.count()  # not the other program's changes
    assert ObjectChange.objects.filter(program=other_program).exists()
    client.force_login(clerk)
    assert client.get(url, {"export": "xlsx"}).status_code == 403
