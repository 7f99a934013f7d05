"""Importing ledgers as people keep them: the messy project ledger, idempotence, edits, scoping,
money and dates in their Chinese forms, the version check and the change log."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_transaction
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import cells, mapping
from yuanjiang.interop.importing import ImportRefused, commit, preview
from yuanjiang.projects.models import AidProject, FundTransaction


def xlsx(rows, merges=(), title="项目台账") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def messy_rows(*, bad=False):
    """A work group's own ledger: a title, a unit line, a two-row merged header, 万元 amounts,
    dates in three styles, full-width digits, blank rows, a 合计 row, an old 乡 township name."""
    rows = [
        ["伊宁县2023年度江苏援疆项目台账", None, None, None, None, None, None, None, None],
        ["填报单位：南通援伊工作组", None, None, None, None, None, None, "单位：万元", None],
        [],
        ["序号", "项目编号", "项目名称", "项目类别", "建设地点", "计划年度", "援疆资金", None, "开工时间"],
        [None, None, None, None, None, None, "计划", "已拨付", None],
        [1, "YN-01", "吉里于孜镇中心幼儿园", "教育", "阿热吾斯塘乡", 2023, 320.5, 100, "2023年4月"],
        [
            2,
            "YN-02",
            "县人民医院远程会诊中心",
            "医疗卫生",
            "吉里于孜镇",
            "２０２３",
            "１，２００",
            0,
            "2023.5.16",
        ],
        [],
        [3, "YN-03", "  农村道路硬化  ", "民生基础设施", "喀什镇", 2023, "80万元", None, dt.date(2023, 6, 1)],
        ["合计", None, None, None, None, None, 1600.5, 100, None],
        ["填表人：张三"],
    ]
    if bad:
        rows[5][8] = "2023年13月"  # not a date
        rows[6][3] = "水利"  # not a category
        rows[8][4] = "不存在乡"  # not a township of the county
    return rows


MESSY_MERGES = ("A1:I1", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "I4:I5")


@pytest.fixture
def ledger():
    return mapping.get("projects")


def test_messy_ledger_imports_with_expected_values(program, clerk, ledger):
    data = xlsx(messy_rows(), MESSY_MERGES)
    plan = preview(ledger, program, data, "台账.xlsx", clerk)
    assert plan.ok, [str(i) for i in plan.errors]
    assert plan.header_rows == (4, 5)
    assert plan.count("create") == 3
    assert plan.unmapped == ["援疆资金·已拨付"]
    # "单位：万元" above the header gives the unit of amount columns that state none.
    assert [str(w) for w in plan.warnings] == ["以下列未能对应到系统字段，未导入：「援疆资金·已拨付」"]
    result = commit(ledger, program, data, "台账.xlsx", clerk, expected=plan.versions)
    assert (result.created, result.updated) == (3, 0)
    p1, p2, p3 = AidProject.objects.filter(program=program).order_by("code")
    assert p1.name == "吉里于孜镇中心幼儿园" and p1.category == "education"
    assert p1.aid_funds == Decimal("3205000.00")
    assert p1.township.name == "阿热吾斯塘镇"  # written with its old 乡 name
    assert p1.actual_start == dt.date(2023, 4, 1)
    assert p2.plan_year == 2023 and p2.aid_funds == Decimal("12000000.00")
    assert p2.actual_start == dt.date(2023, 5, 16)
    assert p3.name == "农村道路硬化" and p3.aid_funds == Decimal("800000.00")
    assert p3.actual_start == dt.date(2023, 6, 1)
    entry = ObjectChange.objects.filter(object_id=str(p1.pk), content_type__model="aidproject").get()
    assert entry.source.startswith("导入:") and entry.source.endswith("台账.xlsx")
    assert entry.actor == clerk


def test_three_wrong_cells_give_three_chinese_errors_and_save_nothing(program, clerk, ledger):
    data = xlsx(messy_rows(bad=True), MESSY_MERGES)
    plan = preview(ledger, program, data, "台账.xlsx", clerk)
    messages = [str(i) for i in plan.errors]
    assert len(messages) == 3, messages
    assert messages[0] == "第6行「开工时间」：2023年13月 不是有效日期"
    assert messages[1].startswith("第7行「项目类别」：水利 不是可选的值")
    assert messages[2].startswith("第9行「建设地点」：“不存在乡”不是受援县的乡镇")
    with pytest.raises(ImportRefused) as exc:
        commit(ledger, program, data, "台账.xlsx", clerk)
    assert len(exc.value.issues) == 3
    assert not AidProject.objects.exists()
    assert not ObjectChange.objects.filter(changeset__source__startswith="导入").exists()


def test_total_row_mismatch_is_reported(program, clerk, ledger):
    rows = messy_rows()
    rows[9][6] = 1700
    plan = preview(ledger, program, xlsx(rows, MESSY_MERGES), "台账.xlsx", clerk)
    assert plan.ok
    warnings = [str(w) for w in plan.warnings]
    assert any(
        w.startswith("第10行「援疆资金·计划」：合计为1700万元，与上方各行之和1600.5万元不符")
        for w in warnings
    ), warnings


def test_reimport_changes_nothing_and_edits_update_exactly_those_fields(program, clerk, ledger):
    data = xlsx(messy_rows(), MESSY_MERGES)
    commit(ledger, program, data, "台账.xlsx", clerk)
    logged = ObjectChange.objects.count()
    plan = preview(ledger, program, data, "台账.xlsx", clerk)
    assert plan.count("same") == 3 and plan.count("update") == 0
    result = commit(ledger, program, data, "台账.xlsx", clerk)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert ObjectChange.objects.count() == logged
    rows = messy_rows()
    rows[6][6] = 1100  # YN-02 aid funds
    rows[8][2] = "农村道路硬化工程"  # YN-03 name: matched by its code
    edited = xlsx(rows, MESSY_MERGES)
    plan = preview(ledger, program, edited, "台账2.xlsx", clerk)
    updates = {r.obj.code: r.fields for r in plan.rows if r.action == "update"}
    assert updates == {"YN-02": ["aid_funds"], "YN-03": ["name"]}
    change = next(r for r in plan.rows if r.action == "update" and r.obj.code == "YN-02").changes
    assert change == [("援疆资金", "1200万元", "1100万元")]
    commit(ledger, program, edited, "台账2.xlsx", clerk, expected=plan.versions)
    assert ObjectChange.objects.count() == logged + 2
    p2 = AidProject.objects.get(code="YN-02")
    assert p2.aid_funds == Decimal("11000000.00") and p2.version == 2
    entry = ObjectChange.objects.filter(
        object_id=str(p2.pk), content_type__model="aidproject", action="update"
    ).get()
    assert entry.source.endswith("台账2.xlsx")


def test_version_check_refuses_a_record_changed_since_the_preview(program, clerk, ledger):
    commit(ledger, program, xlsx(messy_rows(), MESSY_MERGES), "a.xlsx", clerk)
    rows = messy_rows()
    rows[6][6] = 1100
    data = xlsx(rows, MESSY_MERGES)
    plan = preview(ledger, program, data, "b.xlsx", clerk)
    p2 = AidProject.objects.get(code="YN-02")
    p2.location_detail = "别人改了"
    p2.save()
    with pytest.raises(ImportRefused, match="已被他人修改"):
        commit(ledger, program, data, "b.xlsx", clerk, expected=plan.versions)
    assert AidProject.objects.get(code="YN-02").aid_funds == Decimal("12000000.00")


def test_match_by_name_when_the_sheet_has_no_code(program, clerk, ledger):
    project = make_project(
        program,
        1,
        name="县人民医院远程会诊中心",
        aid_funds=Decimal("5000000"),
        total_investment=Decimal("6000000"),
    )
    data = xlsx(
        [
            ["项目名称", "项目类别", "计划年度", "援疆资金（元）"],
            ["县人民医院远程会诊中心", "教育", 2023, "4,000,000"],
        ]
    )
    plan = preview(ledger, program, data, "x.xlsx", clerk)
    assert plan.ok, [str(e) for e in plan.errors]
    assert [(r.action, r.obj.pk, r.fields) for r in plan.rows] == [("update", project.pk, ["aid_funds"])]
    commit(ledger, program, data, "x.xlsx", clerk)
    project.refresh_from_db()
    assert project.aid_funds == Decimal("4000000.00")


def test_clerk_imports_only_into_own_programs(program, other_program, clerk, ledger):
    data = xlsx(messy_rows(), MESSY_MERGES)
    with pytest.raises(ImportRefused, match="没有向"):
        preview(ledger, other_program, data, "a.xlsx", clerk)
    with pytest.raises(ImportRefused):
        commit(ledger, other_program, data, "a.xlsx", clerk)
    assert not AidProject.objects.exists()


def test_rows_naming_another_programs_project_are_errors(program, other_program, clerk):
    mine = make_project(program, 1, code="A1")
    make_project(other_program, 2, code="B1")
    ledger = mapping.get("transactions")
    data = xlsx(
        [
            ["项目编号", "类型", "日期", "金额（万元）"],
            ["A1", "拨付", "2023/06/01", 10],
            ["B1", "拨付", "2023/06/01", 10],
        ]
    )
    plan = preview(ledger, program, data, "t.xlsx", clerk)
    assert [str(e) for e in plan.errors] == ["第3行「项目编号」：本项目组中没有编号或名称为“B1”的援疆项目"]
    rows = [["项目编号", "类型", "日期", "金额（万元）"], ["A1", "拨付", "2023/06/01", 10]]
    commit(ledger, program, xlsx(rows), "t.xlsx", clerk)
    assert FundTransaction.objects.get().project == mine
    assert FundTransaction.objects.get().amount == Decimal("100000.00")


def test_disbursements_over_aid_funds_checked_for_the_batch(program, clerk):
    project = make_project(program, 1, code="A1", aid_funds=Decimal("1000000"))
    make_transaction(project, "disbursement", "600000")
    ledger = mapping.get("transactions")
    data = xlsx(
        [
            ["项目编号", "类型", "日期", "金额（万元）"],
            ["A1", "拨付", "2023/07/01", 30],
            ["A1", "拨付", "2023/08/01", 30],
        ]
    )
    plan = preview(ledger, program, data, "t.xlsx", clerk)
    assert len(plan.errors) == 1 and plan.errors[0].row == 3 and "超过援疆资金" in str(plan.errors[0])


def test_transactions_reimport_pairs_rows_with_records(program, clerk):
    make_project(program, 1, code="A1", aid_funds=Decimal("1000000"))
    ledger = mapping.get("transactions")
    rows = [
        ["项目编号", "类型", "日期", "金额（万元）", "依据文件"],
        ["A1", "拨付", "2023/07/01", 10, ""],
        ["A1", "拨付", "2023/07/01", 10, ""],
    ]
    commit(ledger, program, xlsx(rows), "t.xlsx", clerk)
    assert FundTransaction.objects.count() == 2
    plan = preview(ledger, program, xlsx(rows), "t.xlsx", clerk)
    assert plan.count("same") == 2


def test_csv_in_gb18030_and_utf8(program, clerk, ledger):
    text = "项目编号,项目名称,项目类别,计划年度,援疆资金(万元),实际开工日期\nC1,测试,教育,2023,12.5,2023/04\n"
    for encoding in ("gb18030", "utf-8-sig", "utf-8"):
        plan = preview(ledger, program, text.encode(encoding), "a.csv", clerk)
        assert plan.ok, [str(e) for e in plan.errors]
        row = plan.rows[0]
        assert row.obj.aid_funds == Decimal("125000.00") and row.obj.actual_start == dt.date(2023, 4, 1)


def test_excel_serial_dates_and_units():
    column = mapping.get("projects").column("actual_start")
    assert cells.convert(column, 45017.0) == dt.date(2023, 4, 1)
    assert cells.convert(column, "45017") == dt.date(2023, 4, 1)
    assert cells.convert(column, "２０２３年４月１５日") == dt.date(2023, 4, 15)
    assert cells.convert(column, "2023-04-15") == dt.date(2023, 4, 15)
    assert cells.convert(column, "20230415") == dt.date(2023, 4, 15)
    with pytest.raises(cells.CellError, match="不是有效日期"):
        cells.convert(column, "2023-02-30")
    money = mapping.get("projects").column("aid_funds")
    assert cells.convert(money, "1.2亿元", Decimal(10000)) == Decimal("120000000.00")
    assert cells.convert(money, "120万", Decimal(10000)) == Decimal("1200000.00")
    assert cells.convert(money, "3,000", Decimal(1)) == Decimal("3000.00")
    assert cells.convert(money, 12.345678, Decimal(10000)) == Decimal("123456.78")
    with pytest.raises(cells.CellError, match="超过2位小数"):
        cells.convert(money, "0.0000001", Decimal(10000))
    people = mapping.get("culture-events").column("participants")
    assert cells.convert(people, "1,200人次") == 1200
    assert cells.convert(people, "1.2万人次") == 12000


def test_exported_cells_read_back_unchanged(program):
    """Column.to_cell is the inverse of reading: every column of a project."""
    ledger = mapping.get("projects")
    township = program.townships().first()
    project = make_project(
        program,
        7,
        township=township,
        aid_funds=Decimal("1234567.89"),
        actual_start=dt.date(2023, 5, 1),
        expected_jobs=12,
        content='=HYPERLINK("http://x")',
    )
    for column in ledger.columns:
        cell = column.to_cell(project)
        if column.kind == "fk":
            assert cell == township.name
            continue
        assert cells.convert(column, cell) == (
            getattr(project, column.field) if cell is not None else ("" if column.kind == "text" else None)
        ), column.field


def test_preview_queries_do_not_grow_with_rows(program, clerk, ledger):
    def sheet(n, funds):
        rows = [
            [
                "项目编号",
                "项目名称",
                "项目类别",
                "建设地点",
                "计划年度",
                "援疆资金（万元）",
                "总投资",
                "实际开工日期",
            ]
        ]
        for i in range(n):
            rows.append([f"Q{i:04d}", f"项目{i}", "教育", "喀什乡", 2023, funds + i, 500, "2023年5月"])
        return xlsx(rows)

    commit(ledger, program, sheet(6, 10), "seed.xlsx", clerk)
    counts = []
    for n in (10, 80):  # 6 updated (their aid funds), the others created
        data = sheet(n, 20)
        clerk_fresh = type(clerk).objects.get(pk=clerk.pk)
        with CaptureQueriesContext(connection) as ctx:
            plan = preview(ledger, program, data, "q.xlsx", clerk_fresh)
        assert plan.ok, [str(e) for e in plan.errors][:3]
        assert (plan.count("update"), plan.count("create")) == (6, n - 6)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_new_record_without_its_required_key_column_is_an_error(program, clerk, ledger):
    data = xlsx([["项目名称", "项目类别", "计划年度"], ["新项目", "教育", 2023]])
    plan = preview(ledger, program, data, "x.xlsx", clerk)
    assert [str(e) for e in plan.errors] == ["第2行「项目编号」：请填写项目编号。"]


def test_rows_naming_another_program_in_a_program_column_are_errors(program, other_program, clerk, ledger):
    rows = [
        ["援疆项目组", "项目编号", "项目名称", "项目类别", "计划年度"],
        [program.name, "G1", "本组项目", "教育", 2023],
        [other_program.name, "G2", "别组项目", "教育", 2023],
    ]
    plan = preview(ledger, program, xlsx(rows), "g.xlsx", clerk)
    assert [str(e) for e in plan.errors] == [
        f"第3行「援疆项目组」：本行属于“{other_program.name}”，不是本次导入的“{program}”；请按项目组分别导入（只能导入到本人负责的项目组）"
    ]
    assert "援疆项目组" not in plan.unmapped
    with pytest.raises(ImportRefused):
        commit(ledger, program, xlsx(rows), "g.xlsx", clerk)
    assert not AidProject.objects.exists()


def test_activity_ledgers_use_the_same_mapping(program, clerk):
    """An activity ledger (义诊台账) and progress reports: choices, townships, counts with units, dates."""
    from yuanjiang.health.models import MedicalActivity
    from yuanjiang.projects.models import ProgressReport

    rows = [
        ["2024年义诊台账"],
        ["序号", "活动类型", "活动名称", "日期", "乡镇", "受益群众（人次）", "病例数"],
        [1, "义诊", "巡回义诊（英塔木镇）", "2024.3.5", "英塔木镇", "1,200人次", "35"],
        [2, "健康科普", "健康讲座", "2024年4月", "麻扎", "３０", 4],
        ["合计", None, None, None, None, 1230, 39],
    ]
    plan = preview(mapping.get("medical-activities"), program, xlsx(rows), "义诊.xlsx", clerk)
    assert plan.ok, [str(e) for e in plan.errors]
    assert not plan.warnings, [str(w) for w in plan.warnings]
    commit(mapping.get("medical-activities"), program, xlsx(rows), "义诊.xlsx", clerk)
    first, second = MedicalActivity.objects.order_by("date")
    assert (first.kind, first.beneficiaries, first.cases, first.date) == (
        "free_clinic",
        1200,
        35,
        dt.date(2024, 3, 5),
    )
    assert first.review_status == "draft" and first.township.name == "英塔木镇"
    assert (second.kind, second.township.name, second.beneficiaries) == ("health_education", "麻扎乡", 30)

    make_project(program, 1, code="P1")
    rows = [
        ["项目编号", "填报日期", "形象进度（%）", "累计完成投资（万元）"],
        ["P1", "2024-05-01", "60%", 50],
    ]
    commit(mapping.get("progress"), program, xlsx(rows), "进度.xlsx", clerk)
    report = ProgressReport.objects.get()
    assert (report.progress_percent, report.investment_completed) == (60, Decimal("500000.00"))


def test_editing_an_approved_record_sends_it_back_to_draft(program, clerk):
    from yuanjiang.health.models import MedicalActivity

    ledger = mapping.get("medical-activities")
    rows = [["活动类型", "活动名称", "日期", "受益群众（人次）"], ["义诊", "义诊一", "2024-03-05", 100]]
    commit(ledger, program, xlsx(rows), "a.xlsx", clerk)
    MedicalActivity.objects.update(review_status="approved")
    rows[1][3] = 120
    result = commit(ledger, program, xlsx(rows), "b.xlsx", clerk)
    assert result.updated == 1
    activity = MedicalActivity.objects.get()
    assert (activity.beneficiaries, activity.review_status) == (120, "draft")
    assert "导入" in activity.review_note


def test_project_outputs_ledger(program, clerk):
    from yuanjiang.projects.models import ProjectOutput

    project = make_project(program, 1, code="P1", name="中心幼儿园")
    ledger = mapping.get("outputs")
    rows = [
        ["项目编号", "产出指标", "数量", "单位"],
        ["P1", "总建筑面积", "3,200.5", "平方米"],
        ["中心幼儿园", "学位", 360, "个"],
    ]
    commit(ledger, program, xlsx(rows), "产出.xlsx", clerk)
    assert sorted(ProjectOutput.objects.filter(project=project).values_list("name", "quantity", "unit")) == [
        ("学位", Decimal("360"), "个"),
        ("总建筑面积", Decimal("3200.5"), "平方米"),
    ]
    plan = preview(ledger, program, xlsx(rows), "产出.xlsx", clerk)
    assert plan.count("same") == 2


def _rows_for(kind, n):
    if kind == "transactions":
        head = ["项目编号", "类型", "日期", "金额（万元）"]
        return [head] + [
            ["P1", "拨付" if i % 2 else "下达", f"2023-06-{1 + i % 28:02d}", 1 + i % 3] for i in range(n)
        ]
    if kind == "progress":
        head = ["项目编号", "填报日期", "形象进度（%）"]
        return [head] + [["P1", dt.date(2023, 5, 1) + dt.timedelta(days=i), i % 100] for i in range(n)]
    if kind == "medical-activities":
        head = ["活动类型", "活动名称", "日期", "乡镇", "受益群众（人次）"]
        return [head] + [["义诊", f"义诊{i}", "2024-03-05", "英塔木乡", 10 + i] for i in range(n)]
    head = ["活动名称", "活动类型", "活动日期", "地点", "受援县乡镇", "参与人数（人次）"]
    return [head] + [[f"推介{i}", "文旅推介", "2024-03-05", "南通", "喀什镇", 100] for i in range(n)]


@pytest.mark.parametrize("kind", ["transactions", "progress", "medical-activities", "culture-events"])
def test_preview_queries_do_not_grow_with_rows_in_other_ledgers(program, clerk, kind):
    make_project(program, 1, code="P1", aid_funds=Decimal("100000000"), total_investment=Decimal("100000000"))
    ledger = mapping.get(kind)
    commit(ledger, program, xlsx(_rows_for(kind, 4)), "seed.xlsx", clerk)
    counts = []
    for n in (8, 60):
        data = xlsx(_rows_for(kind, n))
        fresh = type(clerk).objects.get(pk=clerk.pk)
        with CaptureQueriesContext(connection) as ctx:
            plan = preview(ledger, program, data, "q.xlsx", fresh)
        assert plan.ok, [str(e) for e in plan.errors][:3]
        assert plan.count("create") == n - 4
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_big_import_refreshes_the_planner_statistics(
    program, clerk, ledger, monkeypatch, django_capture_on_commit_callbacks
):
    """After committing OPTIMIZE_AFTER_ROWS rows or more, the importer runs core.maintenance.optimize
    (once the transaction commits); a small import does not."""
    from yuanjiang.interop import importing

    calls = []
    monkeypatch.setattr(importing.maintenance, "optimize", lambda *a, **k: calls.append(1))
    monkeypatch.setattr(importing, "OPTIMIZE_AFTER_ROWS", 3)

    def sheet(n, start):
        rows = [["项目编号", "项目名称", "项目类别", "建设地点", "计划年度", "援疆资金（万元）"]]
        rows += [[f"M{i:04d}", f"项目{i}", "教育", "喀什乡", 2023, 10] for i in range(start, start + n)]
        return xlsx(rows)

    with django_capture_on_commit_callbacks(execute=True):
        commit(ledger, program, sheet(2, 0), "small.xlsx", clerk)
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True):
        commit(ledger, program, sheet(3, 10), "big.xlsx", clerk)
    assert calls == [1]


def test_garbage_collector_resumes_only_when_the_last_import_in_any_thread_ends():
    import gc
    import threading

    from yuanjiang.interop.importing import _no_gc_pauses

    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other_import():
        with _no_gc_pauses():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_import)
    with _no_gc_pauses():
        thread.start()
        inside.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's import still runs: still paused
    release.set()
    thread.join(5)
    assert gc.isenabled()
