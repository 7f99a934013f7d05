"""The report card (成绩单): definitions refused with the line named, honest rendering of empty
periods, the five renderings read back, roll-ups, targets, publishing and what changed since."""

import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from tests.kit import count_queries
from yuanjiang.accounts.models import Role
from yuanjiang.common.templatetags.yj import metric_url
from yuanjiang.core.context import acting_as
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services
from yuanjiang.reports.models import Publication, PublicationFile, ReportDefinition, Target

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
SENTENCE = "3个援疆项目实现66.7%开工"


def good(lines: str, title: str = "{scope}成绩单") -> str:
    return f'title = "{title}"\n\n[[section]]\ntitle = "总体情况"\nlines = [\n{lines}\n]\n'


def parse(raw: str):
    return defs.parse(raw, name="t", source="t.toml")


def build(program, period=PERIOD, name="default"):
    return services.report_build(defs.load(name), Scope(program=program), period)


def projects(program, n=3, started=2, start_at=1):
    for i in range(start_at, start_at + n):
        p = make_project(
            program,
            i,
            aid_funds=Decimal("2950000"),
            actual_start=dt.date(2023, 6, 1) if i - start_at < started else None,
        )
        make_transaction(p, "disbursement", "1000000", dt.date(2023, 7, 1))


# ---- definitions ----------------------------------------------------------------------------------


def test_default_definition_loads_and_names_only_declared_metrics():
    d = defs.load("projects")
    assert d.sections[0].title == "总体情况"
    assert "projects.count" in d.codes and "projects.started_rate" in d.codes
    known = {m.code for m in registry.all_metrics()}
    assert set(d.codes) <= known


def test_default_definition_is_the_whole_seed_article_and_every_metric_is_declared():
    d = defs.load()
    assert [s.title for s in d.sections] == ["总体情况", "产业援疆", "智力援疆", "文化润疆与文旅"]
    known = {m.code for m in registry.all_metrics()}
    assert set(d.codes) <= known
    assert {"investment.park_upgrade_funds", "training.aid_funds", "health.new_techniques"} <= set(d.codes)
    assert defs.load("projects").codes[0] == "projects.count"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('  "{projects.cnt}个援疆项目",', "未知指标“projects.cnt”"),
        ('  "{projects.count个援疆项目",', "没有对应的“}”"),
        ('  "{projects.count:p0}个",', "精度“p0”无效"),
        ('  "{projects.count:p9}个",', "精度“p9”无效"),
        ('  "{projects.count:px}个",', "精度“px”无效"),
        ('  "{projects.count:exact,p1}个",', "同时指定了 exact 与精度"),
        ('  "{projects.count:rounded}个",', "写法“rounded”无效"),
        ('  "{projects.count:}个",', "冒号后缺少写法"),
        ('  "{}个",', "没有指标代码"),
        ('  "项目}个",', "多余的“}”"),
        ('  "{projects.count{x}}",', "未闭合或嵌套"),
    ],
)
def test_bad_lines_are_refused_with_the_line_named(line, message):
    raw = good('  "{projects.count}援疆项目实现{projects.started_rate}开工。",\n' + line)
    with pytest.raises(defs.DefinitionError) as exc:
        parse(raw)
    text = str(exc.value)
    assert message in text
    assert "t.toml第7行" in text  # the file line of the bad sentence
    assert "“总体情况”第2句" in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("title = ", "不是有效的 TOML"),
        ('title = "x"\n', "至少需要一节"),
        ('title = "x"\ncolour = 1\n[[section]]\ntitle="a"\nlines=["b"]\n', "未知的键 colour"),
        ('title = "x"\n[[section]]\ntitle="a"\nlines=[]\n', "没有任何句子"),
        ('title = "{projects.count}"\n[[section]]\ntitle="a"\nlines=["b"]\n', "标题中只能使用"),
        ('[[section]]\ntitle="a"\nlines=["b"]\n', "缺少标题"),
    ],
)
def test_bad_definitions_are_refused(raw, message):
    with pytest.raises(defs.DefinitionError, match=message):
        parse(raw)


def test_placeholder_writings():
    d = parse(
        good(
            '  "{projects.aid_funds_planned:p1}｜{projects.aid_funds_planned:exact}｜{projects.aid_funds_planned}｛{{x}}｝",'
        )
    )
    ph = d.sections[0].lines[0].placeholders
    assert [p.display(Decimal("2950000"), "元") for p in ph] == ["近300万元", "295万元", "295万元"]
    assert d.sections[0].lines[0].parts[-1] == "｛{x}｝"
    assert ph[0].display(None, "%") == "—"


def test_admin_definition_is_checked_on_save(admin_client):
    url = reverse("admin:reports_reportdefinition_add")
    response = admin_client.post(url, {"name": "bad", "source": good('  "{projects.nope}个",'), "note": ""})
    assert response.status_code == 200
    assert "未知指标“projects.nope”" in response.content.decode()
    assert not ReportDefinition.objects.exists()
    response = admin_client.post(
        url, {"name": "default", "source": good('  "{projects.count}",'), "note": ""}
    )
    assert "系统内置模板的名称" in response.content.decode()
    response = admin_client.post(url, {"name": "mine", "source": good('  "共{projects.count}",'), "note": ""})
    assert response.status_code == 302
    assert defs.load("mine").codes == ("projects.count",)


# ---- the computed report and its renderings ----------------------------------------------------------


def test_a_period_with_no_records_prints_no_zero_and_no_dash(program, monkeypatch):
    # Before issue 21 this card read "0个援疆项目实现—开工": a sentence whose figures are empty or
    # zero is now left out (or replaced by its declared alternative), in every format.
    monkeypatch.setattr(
        registry.RateMetric, "rate", lambda self, num, den: None if not den else num * 100 / den
    )
    report = build(program, Period(dt.date(2030, 1, 1), dt.date(2030, 12, 31)))
    payload = json.loads(render.render(report, "json"))
    assert payload["sections"] == []
    for fmt in render.FORMATS:
        assert render.render(report, fmt)


def test_json_is_exactly_the_issues_shape(program):
    projects(program)
    payload = json.loads(render.render(build(program), "json"))
    assert set(payload) == {"title", "program", "period", "sections"}
    assert payload["program"] == program.slug
    assert payload["period"] == {"start": "2023-04-01", "end": "2024-06-30"}
    line = payload["sections"][0]["lines"][0]
    assert set(line) == {"text", "figures"}
    assert line["text"].startswith(SENTENCE)
    assert line["figures"][0] == {"metric": "projects.count", "value": 3, "unit": "个", "display": "3个"}
    funds = payload["sections"][0]["lines"][1]["figures"][0]
    assert funds == {
        "metric": "projects.aid_funds_planned",
        "value": 8850000,
        "unit": "元",
        "display": "885万元",
    }


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdf_embeds_its_fonts_and_reads_back(program, tmp_path):
    projects(program)
    path = tmp_path / "card.pdf"
    path.write_bytes(render.render(build(program), "pdf"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    assert any("CJK" in row for row in rows)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert SENTENCE in flat
    assert "一、总体情况" in flat and "援疆工作成绩单" in flat
    assert "—1—" in flat  # the page number


def test_docx_reads_back_with_official_layout(program):
    from docx import Document
    from docx.shared import Mm, Pt

    projects(program)
    doc = Document(io.BytesIO(render.render(build(program), "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "江苏援伊·南通工作组（第十一批）\n援疆工作成绩单"
    assert any(t.startswith(SENTENCE) for t in texts)
    assert "一、总体情况" in texts
    s = doc.sections[0]
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    assert abs(s.page_width - Mm(210)) < Mm(0.1)
    assert doc.styles["Normal"].font.size == Pt(16)
    body = next(p for p in doc.paragraphs if p.text.startswith(SENTENCE))
    east_asia = body.runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "仿宋_GB2312"
    title_font = (
        doc.paragraphs[0]
        .runs[0]
        ._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    )
    assert title_font == "方正小标宋简体"
    footer_xml = s.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    font_table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert "仿宋_GB2312" in font_table.blob.decode() and 'w:altName w:val="仿宋"' in font_table.blob.decode()


def test_xlsx_has_every_figure_and_the_records_behind_them(program):
    from openpyxl import load_workbook

    projects(program)
    wb = load_workbook(io.BytesIO(render.render(build(program), "xlsx")))
    figures = wb["全部数字"]
    rows = list(figures.iter_rows(min_row=5, values_only=True))
    by_code = {r[2]: r for r in rows}
    assert by_code["projects.count"][3:7] == ("援疆项目数", 3, "个", "3个")
    assert by_code["projects.aid_funds_planned"][4] == 8850000
    records = wb["1.总体情况记录"]
    cells = [c for row in records.iter_rows(values_only=True) for c in row if c is not None]
    assert "测试项目1" in cells and "测试项目3" in cells
    assert any(
        isinstance(c, str) and c.startswith("援疆项目数（projects.count）= 3个，3条记录") for c in cells
    )


def test_render_queries_do_not_grow_with_records(program):
    formats = ("json", "html", "docx", "xlsx", "pdf")
    projects(program, n=2)
    small = {fmt: count_queries(lambda fmt=fmt: render.render(build(program), fmt)) for fmt in formats}
    projects(program, n=25, start_at=100)
    for fmt in formats:
        assert count_queries(lambda fmt=fmt: render.render(build(program), fmt)) == small[fmt], fmt


def test_extreme_periods_and_dates_do_not_break_any_rendering(client, clerk, program):
    projects(program, n=1)
    from yuanjiang.projects.models import AidProject

    AidProject.objects.filter(program=program).update(actual_start=dt.date(1, 1, 1), plan_year=1)
    # Periods the parser refuses can still reach the renderer from code: nothing may break.
    for period in (
        Period(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        Period(dt.date(9999, 12, 31), dt.date(9999, 12, 31)),
    ):
        report = build(program, period)
        for fmt in render.FORMATS:
            assert render.render(report, fmt), (period, fmt)
    client.force_login(clerk)
    response = client.get(
        reverse("reports:report", args=["program", program.slug]), {"period": "0001-01-01:9999-12-31"}
    )
    assert response.status_code == 200
    assert "年份1超出范围" in response.content.decode()


def test_rollup_over_two_programs_sums_and_keeps_provenance(program, other_program):
    projects(program, n=3, started=2)
    projects(other_program, n=2, started=2, start_at=50)
    front = Organization.objects.get(slug="jiangsu-yili-front")
    report = services.report_build(defs.load(), Scope(organization=front), PERIOD)
    assert report.as_json()["organization"] == "jiangsu-yili-front"
    # The roll-up definition's wording (default-rollup.toml): for a whole command, no brand names.
    assert report.definition.name == "default-rollup"
    assert (
        report.as_json()["sections"][0]["lines"][0]["text"]
        == "各工作组共实施5个援疆项目，新建项目开工率80%。"
    )
    rows = {row.metric.code: row for row in report.rollup.rows}
    slugs = [p.slug for p in report.rollup.programs]
    assert sorted(slugs) == sorted([program.slug, other_program.slug])
    count = rows["projects.count"]
    cells = dict(zip(slugs, count.cells, strict=True))
    assert cells[program.slug][0] == 3 and cells[other_program.slug][0] == 2 and count.total == 5
    assert rows["projects.aid_funds_planned"].total == sum(
        v for v, _ in rows["projects.aid_funds_planned"].cells
    )
    assert f"program={program.slug}" in cells[program.slug][1]
    assert f"program={other_program.slug}" in cells[other_program.slug][1]
    assert "org=jiangsu-yili-front" in count.total_url
    # Each program's link lists only its own records.
    from django.test import Client

    client = Client()
    client.force_login(make_user("boss", Role.SUPERVISOR, organization=front))
    page = client.get(cells[other_program.slug][1]).content.decode()
    assert "测试项目50" in page and "测试项目1<" not in page
    # The web page and the documents carry the table.
    from docx import Document
    from openpyxl import load_workbook

    table = Document(io.BytesIO(render.render(report, "docx"))).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "指标" and header[-1] == "合计" and "南通工作组" in header
    assert [c.text for c in table.rows[1].cells][-1] == "5个"
    sheet = load_workbook(io.BytesIO(render.render(report, "xlsx")))["各援疆项目组"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "projects.count")
    assert sorted(row[3:5]) == [2, 3] and row[5] == 5
    html = client.get(
        reverse("reports:report", args=["org", front.slug]), {"period": PERIOD.token}
    ).content.decode()
    assert "各援疆项目组情况" in html and cells[program.slug][1].replace("&", "&amp;") in html


def test_rollup_queries_do_not_grow_with_programs_or_records(program, other_program):
    front = Organization.objects.get(slug="jiangsu-yili-front")
    projects(program, n=2)
    small = count_queries(lambda: services.report_build(defs.load(), Scope(organization=front), PERIOD))
    projects(other_program, n=10, start_at=50)
    assert (
        count_queries(lambda: services.report_build(defs.load(), Scope(organization=front), PERIOD)) == small
    )


def test_rollup_reads_each_figure_once_and_builds_links_only_when_printed(program, other_program, client):
    """The roll-up and its programs' table come from one read of each table (grouped by program):
    the report card with its table runs at most one query more than without it (the programs); its
    links are metric_url's, built when printed; the JSON download builds no programs' table."""
    front = Organization.objects.get(slug="jiangsu-yili-front")
    projects(program, n=3)
    projects(other_program, n=2, start_at=50)
    scope = Scope(organization=front)
    services.report_build(defs.load(), scope, PERIOD)  # compiled
    codes = list(defs.load().codes)
    with CaptureQueriesContext(connection) as ctx:
        services.report_build(defs.load(), scope, PERIOD)
    # The figures' statements are evaluate_with_programs' (each table read grouped by program, a
    # distinct count's total over the scope once more), then the targets and the programs.
    figures = count_queries(lambda: registry.evaluate_with_programs(codes, codes, scope, PERIOD))
    assert len(ctx.captured_queries) <= figures + 2
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in ctx.captured_queries if " FROM " in q["sql"]]
    assert all(tables.count(t) <= 3 for t in tables), tables
    report = services.report_build(defs.load(), scope, PERIOD)
    row = report.rollup.rows[0]
    assert "cells" not in row.__dict__  # not built yet
    expected = [
        services.metric_url(row.metric.code, {"program": p.slug}, PERIOD) for p in report.rollup.programs
    ]
    assert [url for _v, url in row.cells] == expected
    boss = make_user("boss2", Role.SUPERVISOR, organization=front)
    client.force_login(boss)
    url = reverse("reports:download", args=["org", front.slug])
    built = []
    original = services._rollup
    services._rollup = lambda *a: built.append(a) or original(*a)
    try:
        response = client.get(url, {"period": PERIOD.token, "format": "json"})
        assert response.status_code == 200 and built == []
        assert client.get(url, {"period": PERIOD.token, "format": "xlsx"}).status_code == 200
        assert len(built) == 1
    finally:
        services._rollup = original


# ---- the web page -----------------------------------------------------------------------------------


def test_web_page_links_every_figure_and_offers_downloads(client, clerk, program):
    projects(program)
    client.force_login(clerk)
    url = reverse("reports:report", args=["program", program.slug])
    page = client.get(url, {"period": PERIOD.token}).content.decode()
    shown = {f.code for f in build(program).figures}
    assert "projects.count" in shown and "projects.completed" not in shown  # none completed: left out
    for code in shown:
        link = metric_url(code, Scope(program=program), PERIOD)
        assert link.replace("&", "&amp;") in page, code
        assert link == services.metric_url(code, {"program": program.slug}, PERIOD)
    assert "3个</a>援疆项目实现" in page
    for fmt in ("docx", "pdf", "xlsx", "json"):
        assert f"format={fmt}" in page
    assert "发布本期成绩单" not in page  # a clerk does not publish
    for fmt, ctype in (
        ("json", "application/json"),
        ("docx", "wordprocessingml"),
        ("xlsx", "spreadsheetml"),
        ("pdf", "application/pdf"),
    ):
        response = client.get(
            reverse("reports:download", args=["program", program.slug]),
            {"period": PERIOD.token, "format": fmt},
        )
        assert response.status_code == 200 and ctype in response["Content-Type"], fmt
        assert "attachment" in response["Content-Disposition"]
    assert (
        client.get(reverse("reports:download", args=["program", program.slug]), {"format": "exe"}).status_code
        == 404
    )


def test_another_programs_report_card_is_404(client, clerk, other_program):
    client.force_login(clerk)
    assert client.get(reverse("reports:report", args=["program", other_program.slug])).status_code == 404
    assert (
        client.get(
            reverse("reports:download", args=["program", other_program.slug]), {"format": "json"}
        ).status_code
        == 404
    )
    assert client.get(reverse("reports:report", args=["org", "jiangsu-yili-front"])).status_code == 404
    assert client.post(reverse("reports:publish", args=["program", other_program.slug])).status_code == 404


@pytest.mark.parametrize(
    "query", [{"period": "2024-13-01:2024-12-31"}, {"definition": "nope"}, {"definition": "../etc"}]
)
def test_bad_query_is_a_404_with_a_message(client, clerk, program, query):
    client.force_login(clerk)
    response = client.get(reverse("reports:report", args=["program", program.slug]), query)
    if "period" in query:  # a bad period is a message next to the box, the default period shown
        assert response.status_code == 200 and 'id="period_error"' in response.content.decode()
    else:
        assert response.status_code == 404


# ---- targets ------------------------------------------------------------------------------------------


def target_form(program, **overrides):
    data = {
        "program": program.pk,
        "metric": "projects.completed",
        "period_start": "2023-04-01",
        "period_end": "2024-06-30",
        "value": "3",
        "note": "年度目标任务书",
    }
    data.update(overrides)
    return data


def test_targets_are_entered_on_the_web_and_shown_against_actual(client, clerk, program):
    projects(program, n=3, started=2)
    make_project(program, 9, actual_start=dt.date(2023, 6, 1), actual_completion=dt.date(2023, 12, 1))
    client.force_login(clerk)
    response = client.post(reverse("reports:target_create"), target_form(program))
    assert response.status_code == 302, response.content.decode()
    client.post(reverse("reports:target_create"), target_form(program, metric="projects.count", value="3"))
    report = build(program)
    completed = report.figures_by_code["projects.completed"]
    assert completed.target == 3 and completed.value == 1 and completed.behind
    assert not report.figures_by_code["projects.count"].behind
    page = client.get(
        reverse("reports:report", args=["program", program.slug]), {"period": PERIOD.token}
    ).content.decode()
    assert "已完工项目数目标 3个" in page and "未达目标" in page and "已达目标" in page
    doc = render.render(report, "html").decode()
    assert "未达目标" in doc
    # A target for another period is not this report's target.
    assert build(program, Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))).has_targets is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "-1"}, "value", "不能为负数"),
        ({"value": "1e30"}, "value", "目标值"),
        ({"value": "abc"}, "value", "请输入数字"),
        ({"metric": "projects.nope"}, "metric", "所选指标不存在"),
        ({"metric": "projects.started_rate", "value": "120"}, "value", "不能超过100%"),
        ({"period_end": "2023-01-01"}, "period_end", "不能早于起始日期"),
        ({"period_start": "9999-01-01", "period_end": "9999-12-31"}, "period_start", "2000年至2100年"),
        ({"period_start": "0001-01-01"}, "period_start", "2000年至2100年"),
    ],
)
def test_bad_targets_get_a_chinese_message_and_save_nothing(
    client, clerk, program, overrides, field, message
):
    client.force_login(clerk)
    response = client.post(reverse("reports:target_create"), target_form(program, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not Target.objects.exists()


def test_target_for_another_program_is_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    response = client.post(reverse("reports:target_create"), target_form(other_program))
    assert "不在您的权限范围内" in " ".join(response.context["form"].errors["program"])
    assert not Target.objects.exists()


def test_duplicate_target_is_refused(client, clerk, program):
    client.force_login(clerk)
    client.post(reverse("reports:target_create"), target_form(program))
    response = client.post(reverse("reports:target_create"), target_form(program, value="5"))
    assert response.status_code == 200 and "已有此指标的目标" in response.content.decode()
    assert Target.objects.get().value == 3


def test_rollup_targets_add_up_counts_but_not_rates(program, other_program):
    with acting_as(None, source="test"):
        for p, v in ((program, 4), (other_program, 6)):
            Target.objects.create(
                program=p, metric="projects.count", period_start=PERIOD.start, period_end=PERIOD.end, value=v
            )
            Target.objects.create(
                program=p,
                metric="projects.started_rate",
                period_start=PERIOD.start,
                period_end=PERIOD.end,
                value=100,
            )
    front = Organization.objects.get(slug="jiangsu-yili-front")
    report = services.report_build(defs.load(), Scope(organization=front), PERIOD)
    assert report.figures_by_code["projects.count"].target == 10
    assert report.figures_by_code["projects.started_rate"].target is None


# ---- publishing ---------------------------------------------------------------------------------------


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


def test_publish_then_change_a_record_shows_what_changed_and_why(client, lead, clerk, program):
    projects(program, n=3, started=2)
    client.force_login(lead)
    report_url = reverse("reports:report", args=["program", program.slug])
    page = client.get(report_url, {"period": PERIOD.token}).content.decode()
    assert "发布本期成绩单" in page
    response = client.post(
        reverse("reports:publish", args=["program", program.slug]) + f"?period={PERIOD.token}"
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.published_by == lead and publication.program == program
    assert publication.snapshot["report"]["sections"][0]["lines"][0]["text"].startswith(SENTENCE)
    assert len(publication.sha256) == 64
    assert set(publication.files.values_list("format", flat=True)) == set(render.FORMATS)
    stored_pdf = publication.files.get(format="pdf")
    assert bytes(stored_pdf.content).startswith(b"%PDF")
    page = client.get(report_url, {"period": PERIOD.token}).content.decode()
    assert "本期成绩单已于" in page and "记录至今未改变已发布的数字" in page

    # A clerk records that the third project has started.
    from yuanjiang.projects.models import AidProject, ProgressReport

    third = AidProject.objects.get(program=program, code="P003")
    with acting_as(clerk, source="test"):
        third.actual_start = dt.date(2024, 5, 1)
        third.save()
        # A change to a record no published figure counts is not blamed.
        ProgressReport.objects.create(
            project=AidProject.objects.get(program=program, code="P001"),
            report_date=dt.date(2024, 6, 1),
            progress_percent=40,
            image_progress="主体施工",
        )
    page = client.get(report_url, {"period": PERIOD.token}).content.decode()
    assert "发布后记录有变动" in page
    assert "开工率" in page
    assert "66.7%" in page and "+33.3个百分点" in page  # the rate: 66.7% published, 100% now
    assert "测试项目3" in page and "实际开工日期" in page and "clerk" in page
    assert 'class="fig changed' in page
    # The snapshot did not move.
    publication.refresh_from_db()
    assert publication.snapshot["values"]["projects.started_rate"] == "66.7"
    assert publication.snapshot["records"]["projects.started_new"]["model"] == "projects.aidproject"
    assert len(publication.snapshot["records"]["projects.started_new"]["ids"]) == 2
    assert "进度40%" not in page


def test_publications_are_immutable(lead, program):
    projects(program, n=1)
    pub = services.report_publish(report=build(program), user=lead, formats=["json"])
    with pytest.raises(PermissionError):
        pub.save()
    with pytest.raises(PermissionError):
        pub.delete()
    with pytest.raises(PermissionError):
        Publication.objects.filter(pk=pub.pk).update(title="x")
    with pytest.raises(PermissionError):
        Publication.objects.all().delete()
    stored = pub.files.get()
    with pytest.raises(PermissionError):
        stored.save()
    with pytest.raises(PermissionError):
        PublicationFile.objects.all().delete()
    assert services.content_hash(pub.snapshot, {"json": bytes(stored.content)}) == pub.sha256


def test_only_a_lead_publishes_and_publications_are_scoped(client, clerk, lead, other_clerk, program):
    projects(program)
    client.force_login(clerk)
    url = reverse("reports:publish", args=["program", program.slug])
    assert client.post(url).status_code == 403
    assert not Publication.objects.exists()
    pub = services.report_publish(report=build(program), user=lead, formats=["json"])
    detail = client.get(pub.get_absolute_url())
    assert detail.status_code == 200
    assert "一、总体情况" in detail.content.decode() and pub.sha256 in detail.content.decode()
    assert client.get(reverse("reports:publication_file", args=[pub.pk, "json"])).status_code == 200
    client.force_login(other_clerk)
    assert client.get(pub.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:publication_file", args=[pub.pk, "json"])).status_code == 404


# ---- command line -------------------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_cli_writes_every_format(program, tmp_path):
    projects(program)
    for fmt in ("json", "html", "docx", "xlsx", "pdf"):
        path = tmp_path / f"card.{fmt}"
        run("--program", program.slug, "--period", PERIOD.token, "--format", fmt, "-o", str(path))
        assert path.stat().st_size > 100, fmt
    payload = json.loads((tmp_path / "card.json").read_text())
    assert payload["sections"][0]["lines"][0]["text"].startswith(SENTENCE)


def test_cli_org_rollup_to_stdout(program, other_program):
    projects(program, n=1, started=1)
    projects(other_program, n=1, started=0, start_at=9)
    payload = json.loads(run("--org", "jiangsu-yili-front", "--period", "2023", "--format", "json"))
    assert payload["organization"] == "jiangsu-yili-front"
    assert payload["sections"][0]["lines"][0]["text"] == "各工作组共实施2个援疆项目，新建项目开工率50%。"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "jiangsu-yili-front", "--format", "json"), "须指定 --period"),
        (("--program", "nantong-yining-11", "--format", "pdf"), "请用 -o"),
        (("--program", "nantong-yining-11", "--definition", "nope"), "没有名为“nope”的成绩单模板"),
        (("--program", "nope"), "没有标识为“nope”"),
        (("--program", "nantong-yining-11", "--period", "2024-02-30:2024-03-01"), "2024年2月没有30日"),
    ],
)
def test_cli_errors_are_chinese_messages(program, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_pdf_without_its_system_packages_says_what_to_install(program, monkeypatch):
    from yuanjiang.reports.render import pdf

    monkeypatch.setattr(pdf, "_cjk_fonts", lambda: [])
    with pytest.raises(CommandError, match=r"apt-get install .*fonts-noto-cjk"):
        run("--program", program.slug, "--format", "pdf", "-o", "/tmp/never.pdf")


def test_the_programs_own_definition_is_the_default_everywhere(client, program, clerk):
    """Program.report_definition (chosen at set-up) is used by the web page, `./yj report --program`
    and the API when no definition is asked for; asking for one still wins."""
    from tests.test_api import api

    projects(program)
    with acting_as(None, source="test"):
        ReportDefinition.objects.create(name="brief", source=good('  "共{projects.count}",', "{scope}简报"))
        program.report_definition = "brief"
        program.save()

    client.force_login(clerk)
    url = reverse("reports:report", args=["program", program.slug])
    assert client.get(url).context["report"].definition.name == "brief"
    assert client.get(url, {"definition": "default"}).context["report"].definition.name == "default"
    out = io.StringIO()
    call_command("report", program=program.slug, period="2023-04-01:2024-06-30", stdout=out)
    assert json.loads(out.getvalue())["title"].endswith("简报")
    out = io.StringIO()
    call_command("report", program=program.slug, definition="default", stdout=out)
    assert json.loads(out.getvalue())["title"].endswith("援疆工作成绩单")
    card = api(clerk).get(f"/api/v1/report-cards/program/{program.slug}/")
    assert card.status_code == 200 and card.json()["title"].endswith("简报")
    asked = api(clerk).get(f"/api/v1/report-cards/program/{program.slug}/", {"definition": "default"})
    assert asked.json()["title"].endswith("援疆工作成绩单")
