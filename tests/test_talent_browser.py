"""End to end in a real browser: the demo lead opens the 智力援疆 figures and the roster.

Runs when Chromium is installed (tests/browser.py).
"""

import os

import pytest


@pytest.mark.django_db(transaction=True)
def test_demo_lead_opens_the_talent_figures_and_the_roster(demo, live_server, browser_page):

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_lead")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.goto(f"{live_server.url}/programs/nantong-yining-11/?period=2023-04-01:2024-06-30")
    page.locator("details.domain").evaluate_all("ds => ds.forEach(d => { d.open = true; })")  # unfold
    figures = {
        page.locator(".figure .label").nth(i).inner_text(): page.locator(".figure .value").nth(i).inner_text()
        for i in range(page.locator(".figure").count())
    }
    # Cards write figures honestly (86 → 近90人次), the exact value on hover.
    assert figures["引进人才进疆"] == "近90人次"
    assert (
        page.locator(".figure:has-text('引进人才进疆') .value span").get_attribute("title")
        == "精确值：86人次"
    )
    assert figures["培训人次"] == "3100余人次"
    assert figures["培训投入援疆资金"] == "480万元"
    assert figures["签订框架协议"] == "1项"

    page.click(".figure:has-text('签订框架协议') .value")
    page.wait_for_url("**/metrics/talent.agreements/**")
    assert page.locator("table.list").get_by_text("顾春笋团队").count() == 1

    page.click("header nav >> text=智力援疆")
    page.wait_for_url("**/talent/workers/")
    assert page.locator("h1").inner_text() == "援疆干部人才花名册"
    roster = page.locator("table.list").last
    for name in ("施张范", "杨永辉", "赵东生", "曹荣彬"):
        assert roster.get_by_text(name, exact=True).count() == 1, name
    assert roster.get_by_text("韩立").count() == 0  # the other program's worker
    by_kind = page.locator("#by-kind").inner_text()
    assert "教师" in by_kind and "医生" in by_kind
    assert "伊宁县人民医院" in page.locator("#by-host-unit").inner_text()
    total = int(page.locator("#roster-total").inner_text())
    assert total == roster.locator("tr").count() - 1
    page.click("text=赵东生")
    page.wait_for_url("**/talent/workers/*/")
    assert "心血管内科副主任" in page.locator("table.kv").inner_text()
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["YJ_SCREENSHOTS"], "talent-worker.png"), full_page=True)
