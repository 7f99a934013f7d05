"""End to end in a real browser (headless Chromium driven by Playwright) against the live server.

The demo lead signs in, sees 15 projects, 15 started and 开工率 100% on the program overview, clicks
15 and gets the 15 projects listed. Runs when Chromium is installed (CI installs it, see .ci/run);
with YJ_REQUIRE_BROWSER=1 a missing browser is a failure, not a skip.
"""

import os

import pytest


@pytest.mark.django_db(transaction=True)
def test_demo_lead_sees_15_projects_all_started_and_clicks_through(demo, live_server, browser_page):
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
def test_demo_investment_pipeline_and_park_pages(demo, live_server, browser_page):
    """产业援疆: the overview's figures, the pipeline page (a figure opens its records) and the park page."""
    from yuanjiang.investment.models import Park

    park = Park.objects.get(name="伊宁县青创园")
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_clerk")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.goto(f"{live_server.url}/programs/nantong-yining-11/?period=2023-04-01:2024-06-30")
    page.locator("details.domain").evaluate_all("ds => ds.forEach(d => { d.open = true; })")  # unfold
    assert page.locator(".figure:has-text('专题招商活动') .value").inner_text() == "13次"
    assert page.locator(".figure:has-text('园区落户项目') .value").inner_text() == "11个"

    page.goto(f"{live_server.url}/investment/pipeline/nantong-yining-11/?period=2023-04-01:2024-06-30")
    stages = page.locator(".pipeline .stage h2")
    assert [stages.nth(i).inner_text().split()[0] for i in range(stages.count())] == [
        "洽谈",
        "签约",
        "落户",
        "开工",
        "投产",
    ]
    landed = page.locator(".stage[data-stage=landed]")
    assert landed.locator("a.moved").inner_text() == "10个"
    landed.locator("a.moved").click()
    page.wait_for_url("**/metrics/investment.projects_landed/**")
    assert page.locator("h1").inner_text() == "落户产业援疆项目：10个"
    assert page.locator("table.list").get_by_text("中国天楹重力储能及风光新能源项目").count() == 1
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["YJ_SCREENSHOTS"], "landed.png"), full_page=True)

    page.goto(f"{live_server.url}/investment/parks/{park.pk}/")
    assert page.locator("h1").inner_text() == "伊宁县青创园"
    # header + the article's 11 tenants + 2 of the demo's second year (示意; the park page reads today)
    assert page.locator("table.tenants tr").count() == 12 + 2
    assert page.locator(".figure:has-text('已落户项目') .value").inner_text() == "13个"
    assert page.locator(".figure:has-text('带动就业（实际）') .value").inner_text() == "436人"
    assert page.locator("table.upgrades").get_by_text("伊宁县青创园基础设施改造提升项目").count() == 1
    if os.environ.get("YJ_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["YJ_SCREENSHOTS"], "park.png"), full_page=True)


def test_supervisor_home_page_opens_on_since_term_start_with_figures(demo, live_server, browser_page):
    """The front command's home page: 进疆以来 of its programs, never an empty calendar year."""

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "js_supervisor")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/orgs/jiangsu-yili-front/")
    figures = {
        page.locator(".figure .label").nth(i).inner_text(): page.locator(".figure .value").nth(i).inner_text()
        for i in range(page.locator(".figure").count())
    }
    assert figures["援疆项目数"] not in ("0个", "—")
    assert figures["已开工项目数"] not in ("0个", "—")
    assert figures["开工率"] not in ("0%", "—")
    assert figures["计划援疆资金"].endswith("元") and figures["计划援疆资金"] != "0元"
    assert page.locator(".period-picker .periods a.active").inner_text() == "进疆以来"
    # A custom period typed with a Chinese input method's full-width colon is understood.
    page.fill("#id_period", "2024-01-01：2024-12-31")
    page.click(".period-picker button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".period-picker .periods a.active").inner_text() == "2024年"
    assert page.locator("#period_error").count() == 0
    # A reversed one gets a message next to the box, and the page still shows figures.
    page.fill("#id_period", "2024-06-30:2023-04-01")
    page.click(".period-picker button[type=submit]")
    page.wait_for_load_state()
    assert "不能早于开始日期" in page.locator("#period_error").inner_text()
    assert page.locator(".figure").count() >= 8


@pytest.mark.django_db(transaction=True)
def test_pages_and_admin_run_under_the_content_security_policy(demo, live_server, browser_page):
    """No page (the admin included) needs anything the Content-Security-Policy blocks, and the
    styles still apply (the stylesheet is served by whitenoise)."""
    from yuanjiang.education.models import Fund
    from yuanjiang.investment.models import Park
    from yuanjiang.reports.models import Publication

    park = Park.objects.get(name="伊宁县青创园")
    fund = Fund.objects.order_by("pk").first()
    period = "?period=2023-04-01:2024-06-30"
    page = browser_page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # A claims check, made through its form, to open its page below.
    page.goto(f"{live_server.url}/claims/")
    page.select_option("#id_program", label="江苏援伊·南通工作组（第十一批）")
    page.fill("#id_text", "南通工作组15个援疆项目全部开工，义诊受益群众2536人次。")
    page.fill("#id_period", "2023-04-01:2024-06-30")
    page.click("form:has(#id_text) button[type=submit]")
    page.wait_for_url("**/claims/*/")
    claims_check = page.url.removeprefix(live_server.url)
    assert page.locator(".claims-layout .claim").count() >= 1
    for path in (
        "/programs/nantong-yining-11/",
        "/projects/",
        "/changes/",
        "/password/",
        "/admin/",
        "/admin/projects/aidproject/",
        "/admin/projects/aidproject/add/",
        f"/investment/pipeline/nantong-yining-11/{period}",
        f"/investment/parks/{park.pk}/",
        "/talent/workers/",
        "/health/",
        "/health/coverage/?program=nantong-yining-11&period=2023-04-01:2024-06-30",
        "/education/comparison/",
        f"/education/funds/{fund.pk}/",
        "/culture/events/",
        f"/reports/program/nantong-yining-11/{period}",
        "/claims/",
        claims_check,
        "/metrics/reported/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or (
            "content-security-policy" in response.headers
        )
    page.goto(f"{live_server.url}/projects/")
    header_color = page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert header_color == "rgb(179, 38, 30)"  # app.css applied
    # The apps' rules moved from inline <style> blocks into app.css apply too.
    page.goto(f"{live_server.url}/investment/pipeline/nantong-yining-11/{period}")
    assert page.evaluate("getComputedStyle(document.querySelector('.pipeline')).display") == "grid"
    # Publishing asks first (yj/confirm.js, data-confirm): dismissing it publishes nothing.
    page.goto(f"{live_server.url}/reports/program/nantong-yining-11/{period}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button[data-confirm]")
    page.wait_for_timeout(300)
    assert Publication.objects.count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button[data-confirm]")
    assert Publication.objects.count() == 1
    assert not violations, violations
