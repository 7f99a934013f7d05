"""消费援疆 (consumption.Purchase): what is special to it. The generic kit (tests/cases/consumption.py
→ tests/test_kit.py, test_interop_export_kit.py, test_api.py, test_forms_property.py) already checks
scoping, the change log, edits, stale edits, deletes, exports and query counts for it."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.cases.consumption import make_purchase
from tests.factories import make_user
from yuanjiang.accounts.models import Role
from yuanjiang.api.models import ApiToken
from yuanjiang.consumption.models import Purchase
from yuanjiang.interop import mapping
from yuanjiang.interop.importing import commit, preview
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Program, Region
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import services as reports
from yuanjiang.review import services as review

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
CODES = ["consumption.purchase_amount", "consumption.batches", "consumption.farm_purchase_amount"]


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def purchase_data(program, **overrides):
    data = {
        "program": program.pk,
        "buyer": "南通市总工会",
        "buyer_kind": "union",
        "category": "farm",
        "products": "伊宁县大米",
        "supplier": "吉里于孜镇粮油合作社",
        "township": Region.objects.get(code="654021100").pk,
        "amount": "86",
        "amount_unit": "万元",
        "date": "2023-09-12",
        "channel": "institutional",
    }
    data.update(overrides)
    return data


def figures(program, period=PERIOD, **kwargs):
    result = evaluate(CODES, Scope(program=program, **kwargs), period)
    return {code: result[code].value for code in CODES}


def test_a_purchase_is_entered_in_wan_yuan_and_stored_in_yuan(client, clerk, program):
    client.force_login(clerk)
    response = client.post(reverse("consumption:purchase_create"), purchase_data(program))
    assert response.status_code == 302, errors(response, "__all__")
    purchase = Purchase.objects.get()
    assert (purchase.program, purchase.amount, purchase.review_status) == (
        program,
        Decimal("860000"),
        "draft",
    )
    page = client.get(purchase.get_absolute_url()).content.decode()
    assert "南通市总工会" in page and "吉里于孜镇" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "大于0"),
        ("amount", "-5", "大于0"),
        ("date", "9999-12-31", "采购日期不能晚于今天"),
        ("date", "1996-12-31", "采购日期不能早于1997年1月1日"),
        ("township", "FOREIGN", "所选乡镇不存在，或不属于本项目组的受援县。"),
        ("buyer", "", ""),
        ("category", "jewels", ""),
    ],
)
def test_bad_input_is_refused_with_its_message(client, clerk, program, other_program, field, value, message):
    if value == "FOREIGN":
        value = Region.objects.get(code="654002100").pk  # a township of the other program's county
    client.force_login(clerk)
    response = client.post(reverse("consumption:purchase_create"), purchase_data(program, **{field: value}))
    assert response.status_code == 200
    assert errors(response, field) and any(message in e for e in errors(response, field))
    assert not Purchase.objects.exists()


def test_the_model_refuses_a_township_outside_the_programs_county(program, other_program):
    from django.core.exceptions import ValidationError

    foreign = Region.objects.get(code="654002100")
    purchase = Purchase(
        program=program,
        buyer="某单位",
        buyer_kind="government",
        category="food",
        supplier="某合作社",
        township=foreign,
        amount=Decimal("1000"),
        date=dt.date(2024, 1, 1),
        channel="fair",
    )
    with pytest.raises(ValidationError) as exc:
        purchase.full_clean()
    assert exc.value.message_dict["township"] == [f"所选乡镇不属于{program.recipient_region}。"]


def test_a_purchase_for_another_program_is_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    response = client.post(
        reverse("consumption:purchase_create"),
        {**purchase_data(program), "program": other_program.pk, "township": ""},
    )
    assert errors(response, "program")
    assert not Purchase.objects.exists()


def test_figures_equal_the_records_behind_them(client, clerk, program, other_program):
    farm = make_purchase(program, 1, amount=Decimal("860000"), date=dt.date(2023, 9, 12))
    food = make_purchase(program, 2, amount=Decimal("180000.50"), category="food", date=dt.date(2024, 2, 5))
    make_purchase(program, 3, amount=Decimal("90000"), date=dt.date(2024, 7, 1))  # after the period
    make_purchase(program, 4, amount=Decimal("70000"), review_status="draft")  # not yet reviewed
    make_purchase(other_program, 5, amount=Decimal("999000"))
    assert figures(program) == {
        "consumption.purchase_amount": Decimal("1040000.50"),
        "consumption.batches": 2,
        "consumption.farm_purchase_amount": Decimal("860000"),
    }
    client.force_login(clerk)
    params = {"program": program.slug, "period": PERIOD.token}
    page = client.get(reverse("metrics:metric_records", args=["consumption.purchase_amount"]), params)
    listed = {p.pk for p in page.context["records"]}
    assert listed == {farm.pk, food.pk}
    assert "消费援疆采购额：104.00005万元" in page.content.decode()  # the records page: exact
    overview = client.get(reverse("org:program_detail", args=[program.slug]), {"period": PERIOD.token})
    text = " ".join(overview.content.decode().split())
    assert "消费援疆采购额" in text and "超100万元" in text and "2批次" in text  # the overview: honest
    farm_page = client.get(
        reverse("metrics:metric_records", args=["consumption.farm_purchase_amount"]), params
    )
    assert {p.pk for p in farm_page.context["records"]} == {farm.pk}


def test_a_draft_counts_once_approved(program, clerk, lead):
    purchase = make_purchase(program, 1, review_status="draft")
    assert figures(program)["consumption.purchase_amount"] == 0
    assert figures(program, review="all")["consumption.purchase_amount"] == Decimal("250000")
    review.record_submit(purchase, clerk)
    assert figures(program)["consumption.batches"] == 0
    review.record_approve(purchase, lead)
    assert figures(program) == {
        "consumption.purchase_amount": Decimal("250000"),
        "consumption.batches": 1,
        "consumption.farm_purchase_amount": Decimal("250000"),
    }


def test_another_programs_clerk_sees_none_of_it(client, program, other_program, other_clerk):
    purchase = make_purchase(program, 1, buyer="南通市总工会")
    client.force_login(other_clerk)
    assert "南通市总工会" not in client.get(reverse("consumption:purchase_list")).content.decode()
    assert client.get(purchase.get_absolute_url()).status_code == 404
    assert client.get(reverse("consumption:purchase_edit", args=[purchase.pk])).status_code == 404
    _token, raw = ApiToken.issue(other_clerk, "测试")
    api = client.get("/api/v1/consumption/purchase/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.status_code == 200 and api.json()["results"] == []
    export = client.get(reverse("consumption:purchase_list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert "南通市总工会" not in str([row for row in book.active.iter_rows(values_only=True)])
    records = reverse("metrics:metric_records", args=["consumption.purchase_amount"])
    own = client.get(records, {"program": other_program.slug, "period": PERIOD.token})
    assert own.status_code == 200 and list(own.context["records"]) == []
    assert client.get(records, {"program": program.slug, "period": PERIOD.token}).status_code == 404


def test_the_ledger_reads_the_headers_people_write(program, clerk):
    ledger = mapping.get("purchases")
    assert ledger.model is Purchase
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["采购方", "单位类型", "类别", "供应商", "乡镇", "采购额（万元）", "采购时间", "渠道"])
    ws.append(
        ["南通市总工会", "工会", "农产品", "粮油合作社", "吉里于孜镇", 86, dt.date(2023, 9, 12), "单位采购"]
    )
    ws.append(["南通某医院", "学校医院", "食品", "乳业公司", "墩麻扎", "18", "2024-02-05", "单位采购"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    plan = preview(ledger, program, data, "消费援疆.xlsx", clerk)
    assert not plan.errors, plan.errors
    result = commit(ledger, program, data, "消费援疆.xlsx", clerk)
    assert result.created == 2
    union = Purchase.objects.get(buyer="南通市总工会")
    assert (union.amount, union.category, union.township.code) == (Decimal("860000"), "farm", "654021100")
    again = commit(ledger, program, data, "消费援疆.xlsx", clerk)  # matched by buyer, supplier and date
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def _card_texts(program, text):
    report = reports.report_build(defs.load(), Scope(program=program), periods.parse(text, program=program))
    return [line.text for section in report.sections for line in section.lines]


def test_the_demos_report_card_has_the_consumption_line_with_its_records(demo):
    program = Program.objects.get(slug="nantong-yining-11")
    for text in ("进疆以来", "2025年上半年"):
        period = periods.parse(text, program=program)
        lines = [line for line in _card_texts(program, text) if "消费援疆" in line]
        assert len(lines) == 1, (text, lines)
        total = sum(
            p.amount for p in Purchase.objects.filter(program=program, date__range=(period.start, period.end))
        )
        assert total > 0 and figures(program, period)["consumption.purchase_amount"] == total
    assert all("示意" in p.note for p in Purchase.objects.all())


def test_no_consumption_line_without_purchases(program):
    from tests.factories import make_project

    make_project(program, 1, plan_year=2024)
    make_purchase(program, 2, date=dt.date(2022, 5, 1))  # outside the card's period
    texts = _card_texts(program, "2024")
    assert texts and not any("消费援疆" in t for t in texts)


def test_a_closed_period_freezes_its_purchases_and_their_figures(program, lead):
    from yuanjiang.core.context import acting_as
    from yuanjiang.org.periods import calendar_year
    from yuanjiang.review.errors import PeriodClosedError

    closed = make_purchase(program, 1, date=dt.date(2023, 9, 12))
    open_one = make_purchase(program, 2, date=dt.date(2024, 3, 1))
    review.close_period(program, calendar_year(2023), lead, "2023年度已上报")
    with acting_as(None, source="test"):
        closed.amount = Decimal("1")
        with pytest.raises(PeriodClosedError):
            closed.save()
        with pytest.raises(PeriodClosedError):
            make_purchase(program, 3, date=dt.date(2023, 12, 1))
        with pytest.raises(PeriodClosedError):
            Purchase.objects.filter(pk=open_one.pk).update(date=dt.date(2023, 6, 1))
        open_one.amount = Decimal("300000")
        open_one.save()  # 2024 is open
    year = figures(program, calendar_year(2023))
    assert (year["consumption.purchase_amount"], year["consumption.batches"]) == (Decimal("250000"), 1)
