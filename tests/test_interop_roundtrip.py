"""Export → edit → import round-trips without loss (issue 13's acceptance), on the demo data.

The project ledger of the demo program is exported through the list page's 导出Excel as its clerk,
imported back (no change-log entry at all), then two cells are edited in Excel's way (openpyxl) and
the import changes exactly those two fields of those two records. Every declared ledger's export
previews as "unchanged" row for row.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from yuanjiang.accounts.models import Membership, Role
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import exporting, importing, mapping
from yuanjiang.projects.models import AidProject

pytestmark = pytest.mark.django_db

VOLATILE = {"version", "updated_at"}


@pytest.fixture
def demo_clerk(demo):
    return (
        Membership.objects.filter(program=demo.program, role=Role.CLERK).select_related("user").first().user
    )


def _snapshot(program) -> dict:
    return {
        p.pk: {k: v for k, v in model_to_dict(p).items() if k not in VOLATILE}
        for p in AidProject.objects.filter(program=program)
    }


def _export_projects(client, user) -> bytes:
    client.force_login(user)
    response = client.get(reverse("projects:aidproject_list"), {"export": "xlsx"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export_import_changes_nothing_then_exactly_the_edited_cells(client, demo, demo_clerk):
    program = demo.program
    ledger = mapping.get("projects")
    data = _export_projects(client, demo_clerk)
    before = _snapshot(program)
    entries = ObjectChange.objects.count()

    preview = importing.preview(ledger, program, data, "项目台账.xlsx", user=demo_clerk)
    assert preview.errors == []
    # with the two 续建 of demo/batches.py and the 2025 plan of the second demo year
    assert preview.count("same") == len(before) == 15 + 2 + 4
    result = importing.commit(ledger, program, data, "项目台账.xlsx", user=demo_clerk)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 15 + 2 + 4)
    assert ObjectChange.objects.count() == entries  # nothing written, nothing logged
    assert _snapshot(program) == before

    # Edit two cells, as a user would in Excel: a project's 总投资 (+1 万元) and another's 实施单位.
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[ledger.label]
    headers = [c.value for c in ws[1]]
    col_code = headers.index("项目编号") + 1
    col_total = headers.index("总投资（万元）") + 1
    col_unit = headers.index("实施单位") + 1
    first_code = ws.cell(2, col_code).value
    second_code = ws.cell(3, col_code).value
    ws.cell(2, col_total).value = Decimal(str(ws.cell(2, col_total).value)) + 1
    ws.cell(3, col_unit).value = "伊宁县教育局（导入修改）"
    out = io.BytesIO()
    wb.save(out)
    edited = out.getvalue()

    result = importing.commit(ledger, program, edited, "项目台账（修改）.xlsx", user=demo_clerk)
    assert (result.created, result.updated) == (0, 2)
    after = _snapshot(program)
    first = AidProject.objects.get(program=program, code=first_code)
    second = AidProject.objects.get(program=program, code=second_code)
    assert first.total_investment == before[first.pk]["total_investment"] + Decimal("10000")
    assert second.implementing_unit == "伊宁县教育局（导入修改）"
    changed = {
        (pk, field)
        for pk, values in after.items()
        for field, value in values.items()
        if before[pk][field] != value
    }
    assert changed == {(first.pk, "total_investment"), (second.pk, "implementing_unit")}
    new_entries = ObjectChange.objects.filter(pk__gt=ObjectChange.objects.order_by("pk")[entries - 1].pk)
    assert sorted(e.object_id for e in new_entries) == sorted([str(first.pk), str(second.pk)])
    for entry in new_entries:
        assert entry.action == "update"
        assert "导入" in entry.source or result.source == entry.source


def test_every_declared_ledgers_export_previews_unchanged(demo):
    """One demo load for all ledgers: each export, previewed, is "unchanged" row for row."""
    program = demo.program
    problems, exported = {}, {}
    for ledger in mapping.ledgers():
        if not ledger.declared:
            continue
        sheet = exporting.sheet_for_kind(ledger.kind)
        queryset = sheet.model.objects.filter(**{sheet.model.scope_path: program})
        out = io.BytesIO()
        n = exported[ledger.kind] = exporting.export_queryset(out, sheet, queryset)
        preview = importing.preview(ledger, program, out.getvalue(), f"{sheet.label}.xlsx")
        if preview.errors or preview.count("same") != n:
            problems[ledger.kind] = [str(i) for i in preview.errors] + [
                (r.row, r.action, r.changes) for r in preview.rows if r.action != "same"
            ]
    assert problems == {}
    assert sum(1 for n in exported.values() if n) >= 10, exported  # the demo fills most ledgers


def test_formula_like_texts_round_trip_as_the_same_text(program, clerk):
    """A formula-injection text is exported escaped (a string cell with the quote prefix) and read back
    by the importer as the very same text: nothing changes."""
    from tests.factories import make_project

    texts = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+86 138", "-", "@项目"]
    for n, text in enumerate(texts, start=1):
        make_project(program, n, name=f"项目{n}", implementing_unit=text)
    ledger = mapping.get("projects")
    out = io.BytesIO()
    exporting.export_queryset(
        out, exporting.sheet_for_kind("projects"), AidProject.objects.filter(program=program)
    )
    entries = ObjectChange.objects.count()
    result = importing.commit(ledger, program, out.getvalue(), "项目台账.xlsx", user=clerk)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(texts))
    assert ObjectChange.objects.count() == entries
    assert sorted(AidProject.objects.values_list("implementing_unit", flat=True)) == sorted(texts)
