"""Export of list pages and ledgers to XLSX, blank templates, the `export` command."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_project, make_transaction, township
from yuanjiang.core.context import acting_as
from yuanjiang.interop import exporting, mapping
from yuanjiang.projects.models import AidProject

pytestmark = pytest.mark.django_db

PROJECTS = reverse("projects:aidproject_list")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _sheet(data: bytes, title: str = "项目台账"):
    return openpyxl.load_workbook(io.BytesIO(data))[title]


def _rows(data: bytes, title: str = "项目台账") -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(title).to_python()


@pytest.fixture
def projects(program, other_program):
    first = make_project(
        program,
        1,
        name="伊宁县第一中学教学楼",
        aid_funds=Decimal("4800000"),
        total_investment=Decimal("6000000.50"),
        township=township(program, 0),
        actual_start=dt.date(2023, 5, 6),
        plan_year=2023,
    )
    second = make_project(program, 2, category="health", aid_funds=Decimal("12345.67"), plan_year=2024)
    make_project(other_program, 3, name="南京组的项目")
    return first, second


def test_list_export_is_the_ledger_layout_with_the_records_values(client, clerk, projects):
    client.force_login(clerk)
    response = client.get(PROJECTS, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    data = _body(response)
    ledger = mapping.get("projects")
    ws = _sheet(data)
    assert [c.value for c in ws[1]] == ledger.headers
    assert ws.freeze_panes == "A2"
    rows = _rows(data)
    assert rows[0] == ledger.headers
    by_code = {row[0]: dict(zip(ledger.headers, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"P001", "P002"}  # the clerk's program only
    first = by_code["P001"]
    assert first["项目名称"] == "伊宁县第一中学教学楼"
    assert Decimal(str(first["援疆资金（万元）"])) == Decimal("480")
    assert Decimal(str(first["总投资（万元）"])) == Decimal("600.00005")  # exact, not rounded to 2 places
    assert Decimal(str(by_code["P002"]["援疆资金（万元）"])) == Decimal("1.234567")
    assert first["实际开工日期"] == dt.date(2023, 5, 6)
    assert first["建设地点（乡镇）"] == projects[0].township.name
    assert first["项目类别"] == projects[0].get_category_display()
    assert by_code["P002"]["实际开工日期"] in ("", None)


def test_cell_formats_a_chinese_excel_user_expects(client, clerk, projects):
    client.force_login(clerk)
    ws = _sheet(_body(client.get(PROJECTS, {"export": "xlsx"})))
    headers = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(headers, next(ws.iter_rows(min_row=2, max_row=2)), strict=True)}
    assert row["援疆资金（万元）"].number_format == "#,##0.00"
    assert row["援疆资金（万元）"].data_type == "n"
    assert row["计划年度"].number_format == "0"
    assert row["实际开工日期"].number_format == "yyyy-mm-dd"
    assert row["实际开工日期"].is_date
    assert row["项目编号"].data_type == "s"
    assert ws[1][0].font.b
    widths = {h: ws.column_dimensions[c.column_letter].width for h, c in zip(headers, ws[1], strict=True)}
    # A CJK character counts double: "伊宁县第一中学教学楼" is 10 characters, 20 units wide.
    assert widths["项目名称"] >= 20
    assert widths["援疆资金（万元）"] >= exporting.display_width("援疆资金（万元）")
    assert all(exporting.MIN_WIDTH <= w <= exporting.MAX_WIDTH for w in widths.values())


def test_export_respects_the_filters(client, clerk, projects):
    client.force_login(clerk)
    rows = _rows(_body(client.get(PROJECTS, {"export": "xlsx", "category": "health", "page": "3"})))
    assert [row[0] for row in rows[1:]] == ["P002"]
    rows = _rows(_body(client.get(PROJECTS, {"export": "xlsx", "q": "第一中学"})))
    assert [row[0] for row in rows[1:]] == ["P001"]


def test_export_is_scoped_even_when_the_filter_names_another_program(client, clerk, other_program, projects):
    client.force_login(clerk)
    response = client.get(PROJECTS, {"export": "xlsx", "program": other_program.slug})
    rows = _rows(_body(response))
    assert len(rows) == 1  # the header only: the filter rejects a program the clerk cannot see


def test_supervisor_export_names_each_rows_program(client, supervisor, projects, program, other_program):
    from tests.factories import make_user
    from yuanjiang.accounts.models import Role
    from yuanjiang.org.models import Organization

    admin = make_user("boss", Role.ADMIN, organization=Organization.objects.get(slug="jiangsu"))
    client.force_login(admin)
    rows = _rows(_body(client.get(PROJECTS, {"export": "xlsx"})))
    assert rows[0][0] == "援疆项目组"
    assert {(row[0], row[1]) for row in rows[1:]} == {
        (program.name, "P001"),
        (program.name, "P002"),
        (other_program.name, "P003"),
    }


def test_filename_is_chinese_and_rfc5987_encoded(client, clerk, projects):
    client.force_login(clerk)
    response = client.get(PROJECTS, {"export": "xlsx"})
    today = dt.date.today().strftime("%Y%m%d")
    name = f"项目台账_南通工作组_{today}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"


def test_formula_injection_is_exported_as_text(client, clerk, program):
    payloads = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]
    for n, text in enumerate(payloads, start=1):
        make_project(program, n, name=text, implementing_unit="\tunit")
    client.force_login(clerk)
    data = _body(client.get(PROJECTS, {"export": "xlsx"}))
    ws = _sheet(data)
    headers = [c.value for c in ws[1]]
    name_col = headers.index("项目名称")
    unit_col = headers.index("实施单位")
    cells = [row[name_col] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(payloads)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(row[unit_col].quotePrefix for row in ws.iter_rows(min_row=2))
    # No formula anywhere in the file: the sheet XML has no <f> element.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    assert sorted(row[name_col] for row in _rows(data)[1:]) == sorted(payloads)  # read back unchanged


def test_template_has_notes_header_validations_and_comments(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("interop:template", args=["projects"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('项目台账_模板.xlsx')}"
    data = _body(response)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["项目台账"]
    ledger = mapping.get("projects")
    assert "填写说明" in ws["A1"].value and "项目名称" in ws["A1"].value  # required columns named
    assert [c.value for c in ws[2]] == ledger.headers
    assert ws.freeze_panes == "A3"
    assert ws.max_row == 2
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    category = ledger.headers.index("项目类别") + 1
    letter = openpyxl.utils.get_column_letter(category)
    dv = validations[f"{letter}3"]
    assert dv.type == "list"
    labels = [label for _v, label in ledger.column("category").choices]
    assert dv.formula1 == '"' + ",".join(labels) + '"'
    assert ws.cell(2, category).comment is not None
    choice_columns = [c for c in ledger.columns if c.kind in ("choice", "bool")]
    assert len(validations) == len(choice_columns) + 1  # and the clerk's townships (a suggestion)
    # The same template read by calamine: the header on the second row.
    assert _rows(data)[1] == ledger.headers


def test_long_choice_lists_go_to_a_hidden_sheet():
    column = mapping.Column(
        "kind", "类型", kind="choice", choices=tuple((str(i), f"第{i}种很长的类型名称") for i in range(40))
    )
    sheet = exporting.Sheet("测试台账", AidProject, (column,))
    out = io.BytesIO()
    exporting.write_workbook(out, sheet, template=True)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert wb[exporting.LISTS_SHEET].sheet_state == "hidden"
    assert [r[0].value for r in wb[exporting.LISTS_SHEET].iter_rows()][:2] == [
        "第0种很长的类型名称",
        "第1种很长的类型名称",
    ]
    (dv,) = wb["测试台账"].data_validations.dataValidation
    assert dv.formula1 == "'选项'!$A$1:$A$40"


def test_unknown_template_is_404(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("interop:template", args=["nonsense"])).status_code == 404


def test_every_list_page_has_the_export_button(client, clerk, projects):
    from django.urls import get_resolver

    from yuanjiang.common.views import ObjectListView

    client.force_login(clerk)
    seen = 0

    def walk(patterns, prefix=""):
        nonlocal seen
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
                continue
            view = getattr(p.callback, "view_class", None)
            if view and issubclass(view, ObjectListView) and not p.pattern.converters:
                url = reverse(f"{prefix}{p.name}")
                html = client.get(url).content.decode()
                assert "导出Excel" in html, url
                response = client.get(url, {"export": "xlsx"})
                assert response.status_code == 200, url
                openpyxl.load_workbook(io.BytesIO(_body(response)))
                seen += 1

    walk(get_resolver().url_patterns)
    assert seen >= 15


def test_export_runs_a_fixed_number_of_queries(client, clerk, program):
    from yuanjiang.projects.choices import TransactionKind

    client.force_login(clerk)
    url = reverse("projects:fundtransaction_list")

    def count(n_start):
        for n in range(n_start, n_start + 5):
            project = make_project(program, n, township=township(program, n))
            make_transaction(project, TransactionKind.DISBURSEMENT, "1000")
        with CaptureQueriesContext(connection) as small:
            assert client.get(PROJECTS, {"export": "xlsx"}).status_code == 200
        with CaptureQueriesContext(connection) as money:
            assert client.get(url, {"export": "xlsx"}).status_code == 200
        return len(small), len(money)

    first, second = count(1), count(100)
    print("queries", first, second)
    assert first == second  # 5 rows, then 10: the same queries


def test_export_command(tmp_path, program, projects):
    out = tmp_path / "项目台账.xlsx"
    call_command("export", "projects", "--program", program.slug, "-o", str(out))
    rows = _rows(out.read_bytes())
    assert rows[0] == mapping.get("projects").headers
    assert sorted(row[0] for row in rows[1:]) == ["P001", "P002"]
    template = tmp_path / "模板.xlsx"
    call_command("export", "projects", "--template", "-o", str(template))
    assert "填写说明" in _rows(template.read_bytes())[0][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nonsense", "--program", "nantong-yining-11"], "没有名为“nonsense”的台账"),
        (["projects", "--program", "nope"], "没有标识为“nope”的援疆项目组"),
        (["projects"], "请用 --program 指定援疆项目组"),
        (["projects", "--program", "nantong-yining-11", "-o", "x.csv"], "须以 .xlsx 结尾"),
        (["projects", "--program", "nantong-yining-11", "-o", "/nonexistent/dir/x.xlsx"], "不存在"),
    ],
)
def test_export_command_errors(tmp_path, program, args, message):
    if "-o" not in args:
        args = [*args, "-o", str(tmp_path / "x.xlsx")]
    with pytest.raises(CommandError) as exc:
        call_command("export", *args)
    assert message in str(exc.value)
    assert exc.value.returncode == 2


def test_exported_values_round_trip_through_parse(projects):
    """Money in 万元 written as the exact Decimal: back in 元 it is the stored amount to the cent."""
    with acting_as(None, source="test"):
        AidProject.objects.filter(code="P002").update(other_funds=Decimal("0.01"))
    out = io.BytesIO()
    exporting.export_queryset(
        out, exporting.sheet_for_kind("projects"), AidProject.objects.filter(code="P002")
    )
    headers, row = _rows(out.getvalue())
    values = dict(zip(headers, row, strict=True))
    assert Decimal(str(values["其他资金（万元）"])) * 10000 == Decimal("0.01")


def test_whole_amounts_are_plain_numbers_in_the_xml(program):
    make_project(program, 1, aid_funds=Decimal("4800000"))
    out = io.BytesIO()
    exporting.export_queryset(out, exporting.sheet_for_kind("projects"), AidProject.objects.all())
    import zipfile

    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>480</v>" in xml and "E+" not in xml


def test_template_index_lists_every_ledger(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("interop:template_index")).content.decode()
    for ledger in mapping.ledgers():
        assert reverse("interop:template", args=[ledger.kind]) in html
    client.logout()
    assert client.get(reverse("interop:template_index")).status_code == 302


def test_township_drop_down_is_a_suggestion_of_the_programs_townships(client, clerk, program, projects):
    client.force_login(clerk)
    for response in (
        client.get(PROJECTS, {"export": "xlsx"}),
        client.get(reverse("interop:template", args=["projects"])),
    ):
        wb = openpyxl.load_workbook(io.BytesIO(_body(response)))
        ws = wb["项目台账"]
        header_row = 1 if ws.freeze_panes == "A2" else 2
        headers = [c.value for c in ws[header_row]]
        letter = openpyxl.utils.get_column_letter(headers.index("建设地点（乡镇）") + 1)
        (dv,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter)]
        assert not dv.showErrorMessage  # 乡 or 镇, or a name not in the list: the importer decides
        names = list(program.townships().values_list("name", flat=True))
        if dv.formula1.startswith('"'):
            assert dv.formula1 == '"' + ",".join(names) + '"'
        else:
            lists = wb[exporting.LISTS_SHEET]
            col = dv.formula1.split("!$")[1].split("$")[0]
            assert [c.value for c in lists[col]][: len(names)] == names
