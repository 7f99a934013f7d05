"""Bad input: every file that is not a usable ledger gets a clear Chinese message and saves nothing."""

import io
import zipfile

import openpyxl
import pytest

from tests.test_interop_import import MESSY_MERGES, messy_rows, xlsx
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import mapping, reading
from yuanjiang.interop.importing import ImportRefused, commit, preview
from yuanjiang.interop.reading import ReadError
from yuanjiang.projects.models import AidProject


@pytest.fixture
def ledger():
    return mapping.get("projects")


def _refused(program, clerk, ledger, data, name, match):
    with pytest.raises(ReadError, match=match):
        preview(ledger, program, data, name, clerk)
    with pytest.raises(ReadError, match=match):
        commit(ledger, program, data, name, clerk)
    assert not AidProject.objects.exists()
    assert not ObjectChange.objects.filter(changeset__source__startswith="导入").exists()


def test_not_a_spreadsheet(program, clerk, ledger):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    _refused(program, clerk, ledger, png, "photo.xlsx", "不是Excel或CSV表格文件")
    _refused(program, clerk, ledger, b"%PDF-1.4 hello", "a.pdf", "不是Excel或CSV表格文件")
    # text under an Excel name (a renamed file, an error page saved by a browser) is not read as CSV
    _refused(program, clerk, ledger, "项目编号,项目名称\n".encode(), "ledger.xlsx", "内容不是Excel表格")


def test_corrupt_xlsx(program, clerk, ledger):
    data = xlsx(messy_rows(), MESSY_MERGES)
    _refused(program, clerk, ledger, data[: len(data) // 2], "cut.xlsx", "不是有效的Excel文件")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    _refused(program, clerk, ledger, buf.getvalue(), "zip.xlsx", "不是有效的Excel文件")


def test_encrypted_xlsx(program, clerk, ledger):
    # What Excel writes for a password-protected workbook: an OLE compound file holding an
    # EncryptedPackage stream (the marker is what the reader looks for).
    data = (
        reading._OLE
        + b"\x00" * 504
        + "EncryptedInfo".encode("utf-16-le")
        + reading._ENCRYPTED_MARK
        + b"\x00" * 600
    )
    _refused(program, clerk, ledger, data, "secret.xlsx", "文件已加密")


def test_empty_sheet_and_empty_file(program, clerk, ledger):
    _refused(program, clerk, ledger, xlsx([]), "empty.xlsx", "是空的")
    _refused(program, clerk, ledger, b"", "empty.csv", "文件是空的")


def test_no_recognizable_header(program, clerk, ledger):
    data = xlsx([["姓名", "电话", "住址"], ["张三", "123", "某地"]])
    _refused(program, clerk, ledger, data, "other.xlsx", "找不到项目台账的表头")


def test_header_without_data_rows(program, clerk, ledger):
    data = xlsx([["项目编号", "项目名称", "项目类别", "计划年度"]])
    _refused(program, clerk, ledger, data, "h.xlsx", "没有数据行")


def test_missing_required_column(program, clerk, ledger):
    data = xlsx([["项目编号", "项目名称", "计划年度"], ["A", "B", 2023]])
    _refused(program, clerk, ledger, data, "h.xlsx", "缺少必填列：「项目类别」")


def test_file_over_the_size_limit_is_refused_before_reading(program, clerk, ledger, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file must not be parsed")

    monkeypatch.setattr(reading, "detect_format", never)
    big = b"0" * (100 * 1024 * 1024)
    _refused(program, clerk, ledger, big, "big.csv", "超过20MB的上限")


def test_formula_injection_cells_are_stored_as_text(program, clerk, ledger):
    rows = [
        ["项目编号", "项目名称", "项目类别", "计划年度", "实施单位", "建设内容及规模"],
        ["F1", '=HYPERLINK("http://evil.example","点我")', "教育", 2023, "=cmd|' /C calc'!A0", "@SUM(1+1)"],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # a text cell that starts with "=", as a user can type it ('=…)
    buf = io.BytesIO()
    wb.save(buf)
    csv_data = "\n".join(",".join(f'"{str(v).replace(chr(34), chr(34) * 2)}"' for v in row) for row in rows)
    for data, name in ((buf.getvalue(), "f.xlsx"), (csv_data.encode(), "f.csv")):
        plan = preview(ledger, program, data, name, clerk)
        assert plan.ok, [str(e) for e in plan.errors]
        commit(ledger, program, data, name, clerk)
        project = AidProject.objects.get()
        assert project.name == '=HYPERLINK("http://evil.example","点我")'
        assert project.implementing_unit == "=cmd|' /C calc'!A0"
        assert project.content == "@SUM(1+1)"
    assert AidProject.objects.count() == 1  # the second import matched the first


def test_a_real_formula_is_read_as_its_value(program, clerk, ledger):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称", "项目类别", "计划年度", "援疆资金（万元）"])
    ws.append(["F2", "公式项目", "教育", 2023, "=1+2"])
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes no cached value: the cell reads as empty, never as the formula's text.
    plan = preview(ledger, program, buf.getvalue(), "f.xlsx", clerk)
    assert plan.ok
    assert plan.rows[0].obj.aid_funds == 0


def test_errors_in_many_rows_save_nothing(program, clerk, ledger):
    rows = [["项目编号", "项目名称", "项目类别", "计划年度", "实际开工日期"]]
    rows += [[f"E{i}", f"项目{i}", "教育", 2023, "2023-04-01"] for i in range(30)]
    rows.append(["E99", "坏行", "教育", "二〇二三年", "2023-04-01"])
    with pytest.raises(ImportRefused) as exc:
        commit(ledger, program, xlsx(rows), "m.xlsx", clerk)
    assert [str(i) for i in exc.value.issues] == ["第32行「计划年度」：二〇二三年 不是数字"] or len(
        exc.value.issues
    ) == 1
    assert not AidProject.objects.exists()


def test_closed_period_is_an_error_on_the_row(program, clerk, ledger):
    import datetime as dt

    from django.utils import timezone

    from yuanjiang.review.models import PeriodClose

    PeriodClose.objects.create(
        program=program, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), closed_at=timezone.now()
    )
    rows = [
        ["项目编号", "项目名称", "项目类别", "计划年度", "实际开工日期"],
        ["C1", "项目", "教育", 2023, "2023-05-01"],
    ]
    plan = preview(ledger, program, xlsx(rows), "c.xlsx", clerk)
    assert len(plan.errors) == 1
    assert str(plan.errors[0]).startswith("第2行「实际开工日期」：实际开工日期（2023-05-01）在已结账的期间")


def test_closes_read_after_an_import_are_fresh(program, clerk):
    """The import reads closed periods once; afterwards the same thread sees a new close at once."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import make_project
    from yuanjiang.projects.models import FundTransaction
    from yuanjiang.review.errors import PeriodClosedError
    from yuanjiang.review.models import PeriodClose

    project = make_project(program, 1, code="A1")
    ledger = mapping.get("transactions")
    rows = [["项目编号", "类型", "日期", "金额（万元）"], ["A1", "下达", "2023-06-01", 10]]
    commit(ledger, program, xlsx(rows), "t.xlsx", clerk)
    PeriodClose.objects.create(
        program=program, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), closed_at=timezone.now()
    )
    with pytest.raises(PeriodClosedError):
        FundTransaction.objects.create(project=project, kind="commitment", date=dt.date(2023, 7, 1), amount=1)
    rows.append(["A1", "下达", "2023-07-01", 5])
    plan = preview(ledger, program, xlsx(rows), "t.xlsx", clerk)
    assert len(plan.errors) == 1 and "已结账" in str(plan.errors[0])


def test_values_nobody_expects_are_row_errors_and_save_nothing(program, clerk):
    """Year 9999, a 150 % progress, a 16-digit amount, a negative amount, a huge text: each is an error
    on its row and column (the models' own rules, run on every imported row); nothing is saved."""
    projects = mapping.get("projects")
    rows = [
        ["项目编号", "项目名称", "项目类别", "计划年度", "援疆资金（元）", "实际开工日期", "建设内容及规模"]
    ]
    rows.append(["X1", "九九年", "教育", 2023, 100, "9999-01-01", ""])
    rows.append(["X2", "十六位", "教育", 2023, "1234567890123456", "2023-05-01", ""])
    rows.append(["X3", "负数", "教育", 2023, -5, "2023-05-01", ""])
    rows.append(["X4", "长文", "教育", 2023, 100, "2023-05-01", "字" * 20000])
    with pytest.raises(ImportRefused) as exc:
        commit(projects, program, xlsx(rows), "odd.xlsx", clerk)
    text = [str(i) for i in exc.value.issues]
    # every row is refused on its own columns (a row may have two: 总投资 defaults to the aid funds)
    assert {t.split("行")[0] for t in text} == {"第2", "第3", "第4", "第5"}, text
    assert any("实际开工日期" in t and t.startswith("第2行") for t in text), text
    assert any("不能超过9999999999999.99元" in t and t.startswith("第3行") for t in text), text
    assert any("不能为负数" in t and t.startswith("第4行") for t in text), text
    assert any("不能超过5000个字" in t and t.startswith("第5行") for t in text), text
    assert not AidProject.objects.exists()
