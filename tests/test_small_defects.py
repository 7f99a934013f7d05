"""The smaller defects of issue 21, each with a test that failed before: publishing a period twice
says what it replaces; the card's XLSX record links are hyperlinks; no page tells users to run a
command."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.investment.models import Enterprise
from yuanjiang.org.periods import Period
from yuanjiang.reports.models import Publication

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


@pytest.fixture
def records(program):
    p = make_project(program, 1, aid_funds=Decimal("2950000"), actual_start=dt.date(2023, 6, 1))
    make_transaction(p, "disbursement", "1000000", dt.date(2023, 7, 1))
    return p


def test_a_second_publication_of_a_period_says_what_it_replaces(client, lead, program, records):
    client.force_login(lead)
    url = reverse("reports:publish", args=["program", program.slug]) + f"?period={PERIOD.token}"
    first = client.post(url, follow=True).content.decode()
    assert "本次发布取代" not in first
    page = client.get(reverse("reports:report", args=["program", program.slug]), {"period": PERIOD.token})
    assert "重新发布（取代" in page.content.decode()
    second = client.post(url, follow=True).content.decode()
    older, newer = Publication.objects.order_by("id")
    assert newer.replaces == older and older.replaces is None
    assert "本次发布取代了" in second and "旧版本仍保留可查" in second
    detail = client.get(newer.get_absolute_url()).content.decode()
    assert "取代的发布" in detail and older.get_absolute_url() in detail


def test_the_cards_xlsx_links_figures_and_records_as_hyperlinks(client, lead, program, records):
    client.force_login(lead)
    response = client.get(
        reverse("reports:download", args=["program", program.slug]),
        {"period": PERIOD.token, "format": "xlsx"},
    )
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["全部数字"]
    links = [c.hyperlink.target for c in ws["J"][4:] if c.hyperlink is not None]
    assert links and all(link.startswith("http://testserver/metrics/") for link in links), links
    record_sheets = [s for s in wb.worksheets if s.title.endswith("记录")]
    record_links = [c.hyperlink.target for s in record_sheets for c in s["A"] if c.hyperlink is not None]
    assert any("/projects/" in link for link in record_links), record_links


def test_no_page_tells_users_to_run_a_command():
    """Pages speak to users, not operators: no template tells them to run ./yj (load_reference …)."""
    from pathlib import Path

    import yuanjiang

    root = Path(yuanjiang.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("templates/**/*.html")
        if "./yj" in p.read_text(encoding="utf-8") or "load_reference" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_change_log_names_the_reviewer_and_says_yes_or_no(lead, clerk, program, records):
    from yuanjiang.core import history
    from yuanjiang.core.models import ObjectChange
    from yuanjiang.projects.models import FundTransaction
    from yuanjiang.review import services

    lead.first_name, lead.last_name = "建国", "王"
    lead.save()
    txn = make_transaction(records, "disbursement", "50000", dt.date(2023, 8, 1), review_status="draft")
    services.record_submit(FundTransaction.objects.get(pk=txn.pk), clerk)
    services.record_approve(FundTransaction.objects.get(pk=txn.pk), lead)
    entries = history.fill(ObjectChange.objects.filter(object_id=str(txn.pk)).order_by("id"))
    rows = [row for e in entries for row in e.diff()]
    reviewer = [r for r in rows if r[0] == "审核人"]
    assert reviewer == [("审核人", None, "王建国")], rows
    assert ("提交人", None, "clerk") in rows
    # A single entry, outside a page, names them too.
    single = ObjectChange.objects.filter(object_id=str(txn.pk)).order_by("id").last()
    assert ("审核人", None, "王建国") in single.diff()
    with acting_as(None, source="test"):
        firm = Enterprise.objects.create(name="示例", owner=program)
        firm.is_leading = True
        firm.save()
    change = ObjectChange.objects.filter(object_id=str(firm.pk), action="update").last()
    assert ("龙头企业", "否", "是") in change.diff()


def test_pages_say_yes_or_no_and_name_card_definitions_for_users(client, clerk, program, records):
    with acting_as(None, source="test"):
        Enterprise.objects.create(name="示例龙头企业", is_leading=True, owner=program)
    client.force_login(clerk)
    page = client.get(reverse("investment:enterprise_list")).content.decode()
    assert "示例龙头企业" in page
    assert ">True<" not in page and ">False<" not in page and ">是<" in page
    card = client.get(reverse("reports:report", args=["program", program.slug]), {"period": PERIOD.token})
    text = card.content.decode()
    assert ">完整成绩单</option>" in text and ">援疆项目简表</option>" in text
    assert ">default</option>" not in text and ">projects</option>" not in text


def test_a_column_label_of_a_property_on_a_record_page_is_its_chinese_label():
    from yuanjiang.common.templatetags.yj import column_label
    from yuanjiang.investment.models import InvestmentProject

    # Before issue 21 a record (not its class) gave the raw name "stage".
    assert column_label(InvestmentProject(), "stage") == "阶段"
    assert column_label(InvestmentProject, "stage") == "阶段"
