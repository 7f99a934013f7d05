"""The claims check in a real browser: the demo lead pastes the seed article, sees its claims marked,
the 20-township claim flagged against the county's 18, and opens the records behind a figure.
Runs when Chromium is installed (tests/browser.py)."""

import os
from pathlib import Path

import pytest

SEED = Path(__file__).parent / "cnnum" / "data" / "seed" / "000_33cfab6a1a367774.txt"


@pytest.mark.django_db(transaction=True)
def test_demo_lead_checks_the_seed_article(demo, live_server, browser_page):

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_lead")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.click("nav a:has-text('数字核对')")
    page.wait_for_url("**/claims/")
    page.select_option("#id_program", label="江苏援伊·南通工作组（第十一批）")
    page.fill("#id_title", "首年成绩单")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.fill("#id_period", "2023-04-01:2024-06-30")
    page.click("button:has-text('核对')")
    page.wait_for_url("**/claims/*/")
    assert page.locator("h1").inner_text() == "首年成绩单"
    assert page.locator(".claims-text a.claim").count() == 30
    assert page.locator(".claims-text a.claim.v-over").count() == 0
    assert page.locator(".claims-text a.claim.v-under").count() == 0
    flagged = page.locator(".claims-text a.claim.v-reference")
    assert flagged.count() == 1 and flagged.inner_text().startswith("20个")
    assert "受援县乡镇数" in page.locator(".claims-side").inner_text()
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["YJ_SCREENSHOTS"], "claims-check.png"), full_page=True)
    page.click(".claims-side a:has-text('义诊受益群众')")
    page.wait_for_url("**/metrics/health.free_clinic_beneficiaries/**")
    assert page.locator("h1").inner_text().startswith("义诊受益群众")
