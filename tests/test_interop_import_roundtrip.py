"""Every ledger of the demo written with `Column.to_cell` (what the exporter writes) reads back
unchanged: no record created or updated, no change-log entry; two edited cells change exactly those
two fields."""

import io

import openpyxl
import pytest

from yuanjiang.core import history
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import mapping
from yuanjiang.interop.importing import commit, preview
from yuanjiang.kernel.snapshot import changed_fields
from yuanjiang.org.models import Program
from yuanjiang.projects.models import AidProject

pytestmark = pytest.mark.django_db


def sheet_of(ledger, program) -> bytes:
    model = ledger.model
    objs = model._default_manager.filter(**{model.scope_path: program}).order_by("pk")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{program} {ledger.label}"])
    ws.append([c.header for c in ledger.columns])
    for obj in objs:
        row = []
        for c in ledger.columns:
            value = c.to_cell(obj)
            if isinstance(value, str) and value[:1] in "=+-@":
                value = "'" + value  # how an exporter escapes a formula-like text
            row.append(value)
        ws.append(row)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("'"):
                cell.value = cell.value[1:]
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def demo_program(demo):
    return Program.objects.get(slug="nantong-yining-11")


def test_every_demo_ledger_reads_back_unchanged(demo_program):
    logged = ObjectChange.objects.count()
    checked = 0
    for ledger in mapping.ledgers():
        if not ledger.declared:
            continue
        model = ledger.model
        if not model._default_manager.filter(**{model.scope_path: demo_program}).exists():
            continue
        data = sheet_of(ledger, demo_program)
        plan = preview(ledger, demo_program, data, f"{ledger.kind}.xlsx")
        assert plan.ok, (ledger.kind, [str(e) for e in plan.errors][:5])
        changed = [(r.row, r.changes) for r in plan.rows if r.action != "same"]
        assert not changed, (ledger.kind, changed[:3])
        result = commit(ledger, demo_program, data, f"{ledger.kind}.xlsx")
        assert (result.created, result.updated) == (0, 0)
        checked += 1
    assert checked >= 6
    assert ObjectChange.objects.count() == logged


def test_two_edited_cells_change_exactly_two_fields(demo_program):
    ledger = mapping.get("projects")
    data = sheet_of(ledger, demo_program)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    headers = [c.value for c in ws[2]]
    first = AidProject.objects.filter(program=demo_program).order_by("pk")[0]
    second = AidProject.objects.filter(program=demo_program).order_by("pk")[1]
    ws.cell(3, headers.index("项目名称") + 1).value = first.name + "（一期）"
    ws.cell(4, headers.index("详细地点") + 1).value = "新地点"
    buf = io.BytesIO()
    wb.save(buf)
    logged = ObjectChange.objects.count()
    plan = preview(ledger, demo_program, buf.getvalue(), "edited.xlsx")
    assert [(r.obj.pk, r.fields) for r in plan.rows if r.action == "update"] == [
        (first.pk, ["name"]),
        (second.pk, ["location_detail"]),
    ]
    result = commit(ledger, demo_program, buf.getvalue(), "edited.xlsx", expected=plan.versions)
    assert (result.created, result.updated) == (0, 2)
    entries = history.fill(ObjectChange.objects.order_by("pk")[logged:])
    assert [(e.object_id, changed_fields(e.before, e.after)) for e in entries] == [
        (str(first.pk), {"name"}),
        (str(second.pk), {"location_detail"}),
    ]
    first.refresh_from_db()
    assert first.name.endswith("（一期）") and first.version == 2
