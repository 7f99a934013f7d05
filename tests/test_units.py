"""Units shown one way: a column header that states a unit has cells in that unit with fixed
decimals (援疆资金（万元） → 480.00); cells carrying their own unit sit under headers without one; the
history writes money as the record page does; cards are honest with the exact value on hover."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_project, make_transaction
from tests.kit import all_cases
from yuanjiang.common import formatting
from yuanjiang.metrics import registry

pytestmark = pytest.mark.django_db

UNIT_IN_HEADER = re.compile(r"（([^（）]*元[^（）]*)）$")
LEDGER_CELL = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")
UNIT_IN_CELL = re.compile(r"\d\s*(万亿|亿|万)?元")


class Tables(HTMLParser):
    """Every <table>: its header row texts and its data rows' cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"headers": [], "rows": []})
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = [tag, ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((self._cell[0], self._cell[1].strip()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._row and all(kind == "th" for kind, _ in self._row):
                table["headers"] = [text for _, text in self._row]
            else:
                table["rows"].append([text for _, text in self._row])
            self._row = None


def check_units(html: str, where: str) -> int:
    """Assert headers agree with cells; return the number of money cells checked."""
    parser = Tables()
    parser.feed(html)
    checked = 0
    for table in parser.tables:
        headers = table["headers"]
        for row in table["rows"]:
            if len(row) != len(headers):
                continue  # an "empty" row spanning the table
            for header, cell in zip(headers, row, strict=True):
                unit = UNIT_IN_HEADER.search(header)
                if unit:
                    assert unit.group(1) == formatting.LEDGER_UNIT, f"{where}: column {header} is not in 万元"
                    assert cell == "—" or LEDGER_CELL.match(cell), f"{where}: {header} shows {cell!r}"
                    checked += 1
                elif "元" not in header:
                    continue
                else:
                    assert not header.endswith("（元）"), f"{where}: {header}"
    return checked


@pytest.fixture
def money_records(program):
    project = make_project(program, 1, aid_funds="194550623", actual_start=dt.date(2023, 6, 1))
    make_transaction(project, "disbursement", "41200000", dt.date(2024, 5, 20))
    make_transaction(project, "commitment", "194550623", dt.date(2023, 5, 1))
    return project


def test_every_list_states_the_unit_of_its_money_cells(client, clerk, program, money_records):
    client.force_login(clerk)
    checked = 0
    for n, case in enumerate(all_cases(), start=10):
        case.make(program, n)
        if case.list_url:
            response = client.get(reverse(case.list_url))
            assert response.status_code == 200
            checked += check_units(response.content.decode(), case.list_url)
    body = client.get(reverse("projects:aidproject_list")).content.decode()
    assert "援疆资金（万元）" in body and "19,455.06" in body
    assert 'title="194,550,623.00元"' in body  # the exact amount on hover
    assert checked >= 3


def test_project_page_metric_records_and_rollup_agree_with_their_headers(
    client, clerk, supervisor, program, money_records
):
    client.force_login(clerk)
    body = client.get(money_records.get_absolute_url()).content.decode()
    assert check_units(body, "project page") >= 2
    assert "金额（万元）" in body and "4,120.00" in body
    for metric in registry.all_metrics():
        url = reverse("metrics:metric_records", args=[metric.code])
        body = client.get(url, {"program": program.slug, "period": "2023-01-01:2024-12-31"}).content.decode()
        check_units(body, metric.code)
    client.force_login(supervisor)
    body = client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"])).content.decode()
    assert check_units(body, "roll-up") >= 2
    assert "计划援疆资金（万元）" in body


def test_history_writes_money_as_the_record_page_does(client, clerk, program, money_records):
    client.force_login(clerk)
    body = client.get(money_records.get_absolute_url()).content.decode()
    history = body[body.index('id="history"') :]
    assert "4120万元" in history
    assert "41200000" not in history
    assert "金额（元）" not in history


def test_cards_are_honest_with_the_exact_value_on_hover(client, clerk, program, money_records):
    client.force_login(clerk)
    body = client.get(reverse("org:program_detail", args=[program.slug]), {"period": "2023"}).content.decode()
    card = re.search(r'projects\.aid_funds_planned[^"]*">(.*?)</a>', body).group(1)
    assert "1.94550623亿元" not in card
    assert formatting.honest(194550623, "元") in card  # 近1.95亿元 or the like, as prose writes it
    assert 'title="精确值：194,550,623.00元"' in card


def test_formatting_helpers():
    assert formatting.ledger(4800000) == "480.00"
    assert formatting.ledger("194550623") == "19,455.06"
    assert formatting.ledger(None) == "—"
    assert formatting.ledger_header("援疆资金（元）") == "援疆资金（万元）"
    assert formatting.ledger_header("计划援疆资金") == "计划援疆资金（万元）"
    assert formatting.full(194550623, "元") == "194,550,623.00元"
    assert formatting.full(15, "个") == "15个"
    assert formatting.exact(None, "%") == "—"
