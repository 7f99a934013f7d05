"""Every workbook the product writes goes through the one XLSX writer (common/xlsx.py), and none of
them holds a formula, whatever texts the records hold (issue 22: a project named
`=cmd|' /C calc'!A0` was a live formula in the report card's record sheets)."""

import ast
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

import yuanjiang
from tests.factories import make_project, make_transaction
from yuanjiang.common import xlsx
from yuanjiang.interop import exporting
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services

SRC = Path(yuanjiang.__file__).parent
HOSTILE_TEXTS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/x","点我")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


def test_openpyxl_workbooks_are_made_only_by_the_one_writer():
    """No module but common/xlsx.py creates or loads an openpyxl Workbook: a new writer has to use
    xlsx.workbook() / xlsx.save(), and the tests below then cover it."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "common" / "xlsx.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {a.name for a in node.names}
                if names & {"Workbook", "load_workbook", "*"}:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("Workbook", "load_workbook"):
                if isinstance(node.value, ast.Name) and node.value.id == "openpyxl":
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, offenders


def assert_no_formula(data: bytes, texts=HOSTILE_TEXTS):
    """No formula element in any sheet; each hostile text a string cell, quote-prefixed where Excel
    would evaluate it, and read back unchanged."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    wb = load_workbook(io.BytesIO(data))
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    if xlsx.needs_escape(cell.value):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    for text in texts:
                        if text.strip() and text.strip() in cell.value:
                            found.add(text)
    return found


@pytest.fixture
def hostile_projects(program):
    projects = []
    for n, text in enumerate(HOSTILE_TEXTS, start=1):
        p = make_project(
            program, n, name=text, aid_funds=Decimal("1000000"), actual_start=dt.date(2023, 6, 1)
        )
        make_transaction(p, "disbursement", "1000", dt.date(2023, 7, 1))
        projects.append(p)
    return projects


def test_neutralise_every_prefix():
    wb = xlsx.workbook()
    for r, text in enumerate(HOSTILE_TEXTS, start=1):
        wb.active.cell(row=r, column=1, value=text)
    wb.active.cell(row=20, column=1, value="普通文字")
    out = io.BytesIO()
    xlsx.save(wb, out)
    assert assert_no_formula(out.getvalue()) == set(HOSTILE_TEXTS)
    ws = load_workbook(out).active
    assert [ws.cell(row=r, column=1).value for r in range(1, 9)] == [xlsx.clean(t) for t in HOSTILE_TEXTS]
    assert not ws["A20"].quotePrefix


def test_report_card_xlsx(program, hostile_projects):
    report = services.report_build(
        defs.load("default"), Scope(program=program), Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
    )
    found = assert_no_formula(render.render(report, "xlsx"))
    assert "=cmd|' /C calc'!A0" in found and '=HYPERLINK("http://evil.example/x","点我")' in found


def test_report_card_title_is_a_text(program):
    raw = 'title = "=1+1{scope}"\n\n[[section]]\ntitle = "总体情况"\nlines = [\n"{projects.count}"\n]\n'
    report = services.report_build(
        defs.parse(raw, name="t", source="t.toml"),
        Scope(program=program),
        Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30)),
    )
    assert_no_formula(render.render(report, "xlsx"))


def test_ledger_export_and_template(client, clerk, program, hostile_projects):
    client.force_login(clerk)
    response = client.get(reverse("projects:aidproject_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert set(HOSTILE_TEXTS) - {"\t=1+1", "\r=1+1"} <= assert_no_formula(
        b"".join(response.streaming_content)
    )
    out = io.BytesIO()
    exporting.write_workbook(out, exporting.sheet_for_kind("projects"), template=True)
    assert_no_formula(out.getvalue())


def test_change_stream_export(client, auditor, program, hostile_projects):
    client.force_login(auditor)
    response = client.get(reverse("objectchange_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "=cmd|' /C calc'!A0" in assert_no_formula(b"".join(response.streaming_content))


def test_export_command(program, hostile_projects, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "p.xlsx"
    call_command("export", "projects", "--program", program.slug, "-o", str(path), stdout=io.StringIO())
    assert "=cmd|' /C calc'!A0" in assert_no_formula(path.read_bytes())
