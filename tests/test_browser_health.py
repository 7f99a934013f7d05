"""The township coverage view in a real browser: the demo lead opens 义诊乡镇覆盖 for the article's
period, sees every township of 伊宁县 covered and 100%, and clicks a township to get its activities.
Runs when Chromium is installed (tests/browser.py)."""

import os

import pytest


@pytest.mark.django_db(transaction=True)
def test_demo_lead_opens_the_township_coverage_and_a_township(demo, live_server, browser_page):

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_lead")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.goto(f"{live_server.url}/health/coverage/?program=nantong-yining-11&period=2023-04-01:2024-06-30")
    assert page.locator("h1").inner_text() == "义诊乡镇覆盖 · 伊宁县"
    tiles = page.locator(".township-grid a.township")
    assert tiles.count() == 18
    assert page.locator(".township-grid a.township.covered").count() == 18
    assert "18个乡镇中，18个在统计期内开展过义诊" in page.locator("#coverage-summary").inner_text()
    figures = {
        page.locator(".figure .label").nth(i).inner_text(): page.locator(".figure .value").nth(i).inner_text()
        for i in range(page.locator(".figure").count())
    }
    assert figures["义诊乡镇覆盖率"] == "100%"
    assert figures["义诊覆盖乡镇"] == "18个"
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["YJ_SCREENSHOTS"], "township-coverage.png"), full_page=True
        )
    page.click("a.township:has-text('愉群翁回族乡')")
    page.wait_for_url("**/health/?**")
    assert page.locator("h1").inner_text() == "医疗援疆活动"
    rows = page.locator("table.list tr")
    assert rows.count() == 3  # header + two free clinics in 愉群翁回族乡
    assert page.locator("table.list").get_by_text("“通医在伊走基层”主题巡回义诊（愉群翁回族乡）").count() == 2
