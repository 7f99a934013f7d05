"""End to end in a real browser (headless Chromium driven by Playwright) against the live server.

The demo lead signs in, sees 15 projects, 15 started and 开工率 100% on the program overview, clicks
15 and gets the 15 projects listed. Runs when Chromium is installed (CI installs it, see .ci/run);
with YJ_REQUIRE_BROWSER=1 a missing browser is a failure, not a skip.
"""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is a development dependency")

if not CHROMIUM:
    if os.environ.get("YJ_REQUIRE_BROWSER") == "1":
        raise RuntimeError("YJ_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
    pytestmark = pytest.mark.skip(reason="no chromium on PATH (apt-get install chromium)")


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
        # Inside Playwright's loop the ORM used a connection of its own: close it before teardown.
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_demo_lead_sees_15_projects_all_started_and_clicks_through(live_server, browser_page):
    from yuanjiang.demo.services import demo_load

    demo_load()
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_lead")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.goto(f"{live_server.url}/programs/nantong-yining-11/?period=2023-04-01:2024-06-30")
    figures = {
        page.locator(".figure .label").nth(i).inner_text(): page.locator(".figure .value").nth(i).inner_text()
        for i in range(page.locator(".figure").count())
    }
    assert figures["援疆项目数"] == "15个"
    assert figures["已开工项目数"] == "15个"
    assert figures["开工率"] == "100%"
    page.click(".figure:has-text('援疆项目数') .value")
    page.wait_for_url("**/metrics/projects.count/**")
    assert page.locator("h1").inner_text() == "援疆项目数：15个"
    rows = page.locator("table.list tr")
    assert rows.count() == 16  # header + 15 projects
    assert page.locator("table.list").get_by_text("伊宁县南通第二实验学校").count() >= 1
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["YJ_SCREENSHOTS"], "metric-records.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_pages_and_admin_run_under_the_content_security_policy(live_server, browser_page):
    """No page (the admin included) needs anything the Content-Security-Policy blocks, and the
    styles still apply (the stylesheet is served by whitenoise)."""
    from yuanjiang.demo.services import demo_load

    demo_load()
    page = browser_page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in (
        "/programs/nantong-yining-11/",
        "/projects/",
        "/changes/",
        "/password/",
        "/admin/",
        "/admin/projects/aidproject/",
        "/admin/projects/aidproject/add/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or (
            "content-security-policy" in response.headers
        )
    page.goto(f"{live_server.url}/projects/")
    header_color = page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert header_color == "rgb(179, 38, 30)"  # app.css applied
    assert not violations, violations
