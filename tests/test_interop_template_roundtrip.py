"""The ledger template round-trips (issue 21): a template downloaded, filled by hand and uploaded
imports without header noise: its instruction row is recognised as such (not joined to every column
label), and an error names the row, the column label and the value."""

import io

import openpyxl
import pytest

from yuanjiang.core.context import acting_as
from yuanjiang.interop import exporting, mapping
from yuanjiang.interop.importing import preview
from yuanjiang.investment.models import Enterprise

pytestmark = pytest.mark.django_db


def filled_template(kind: str, rows: list[dict]) -> bytes:
    """The template as the site serves it, filled in by hand: one row per dict (header → value)."""
    sheet = exporting.sheet_for_kind(kind)
    out = io.BytesIO()
    exporting.write_workbook(out, sheet, template=True)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    ws = wb.active
    headers = [c.value for c in ws[2]]
    assert "填写说明" in str(ws["A1"].value)  # the instruction row is there, merged across
    for values in rows:
        ws.append([values.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_filled_template_imports_with_clean_headers_and_a_precise_error(program, clerk):
    ledger = mapping.get("investment-projects")
    header = {c.field: c.header for c in ledger.columns}
    with acting_as(None, source="test"):
        Enterprise.objects.create(name="示例企业有限公司")
    good = {
        header["name"]: "示例招商项目",
        header["enterprise"]: "示例企业有限公司",
        header["planned_investment"]: 500,
    }
    bad = {
        header["name"]: "另一个项目",
        header["enterprise"]: "示例企业有限公司",
        header["planned_investment"]: "abc",
    }
    plan = preview(ledger, program, filled_template("investment-projects", [good, bad]), "模板.xlsx", clerk)
    assert plan.header_rows == (2,)
    assert all("填写说明" not in h and len(h) < 40 for h in plan.headers), plan.headers
    errors = [str(e) for e in plan.errors]
    money = [e for e in errors if header["planned_investment"] in e]
    assert money, errors
    assert money[0].startswith(f"第4行「{header['planned_investment']}」") and "abc" in money[0], money[0]
    assert errors == [f"第4行「{header['planned_investment']}」：abc 不是数字"]
    created = [r for r in plan.rows if r.action == "create"]
    assert [r.obj.name for r in created] == ["示例招商项目"], errors
    assert created[0].obj.planned_investment == 5000000  # 万元, as the template's header says


def test_every_template_reads_back_its_own_header(program, clerk):
    for ledger in mapping.ledgers():
        if not ledger.declared:
            continue
        data = filled_template(ledger.kind, [])
        try:
            plan = preview(ledger, program, data, "模板.xlsx", clerk)
        except Exception as exc:  # an empty template has no rows: say so, never misread the header
            assert "填写说明" not in str(exc), (ledger.kind, str(exc))
            continue
        assert plan.header_rows == (2,), (ledger.kind, plan.header_rows)
