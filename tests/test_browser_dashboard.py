"""The dashboards in a real browser (Playwright, Debian's chromium; the browser_page fixture of tests/browser.py):
charts drawn with data equal to the records behind them, chart points and townships opening those
records, a warning appearing and going with the facts, each demo role seeing what it may, no console
error, no critical accessibility violation (axe-core, vendored), phone layouts at 390 × 844.
With YJ_SCREENSHOTS=docs/screenshots the main pages are saved there (README shows them)."""

import datetime as dt
import itertools
import os

import pytest

PROGRAM = "/programs/nantong-yining-11/"
AXE = "/static/vendor/axe-core/axe.min.js"


def shot(page, name, full_page=True):
    folder = os.environ.get("YJ_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, name), full_page=full_page)


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    return errors


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def logout(page):
    page.click("header .user button[type=submit]")
    page.wait_for_url("**/login/**")


def chart_option(page, key):
    page.wait_for_selector(f"#chart-{key}[data-ready='1']")
    return page.evaluate(
        """key => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-' + key));
            return chart.getOption().series.map(s => ({name: s.name, type: s.type,
                data: s.data.map(p => (p && typeof p === 'object') ? p : {value: p})}));
        }""",
        key,
    )


def painted_pixels(page, key) -> int:
    """How many pixels of the chart's canvas are painted (not transparent)."""
    return page.evaluate(
        """key => {
            const canvas = document.querySelector('#chart-' + key + ' canvas');
            const ctx = canvas.getContext('2d');
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return n;
        }""",
        key,
    )


def click_point(page, key, series_index, data_index, value):
    """Click a chart's element at the pixel ECharts puts that data point (half-way up a bar)."""
    x, y = page.evaluate(
        """([key, s, i, v]) => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-' + key));
            return chart.convertToPixel({seriesIndex: s}, [i, v]);
        }""",
        [key, series_index, data_index, value],
    )
    chart = page.locator(f"#chart-{key}")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def critical_violations(page) -> list:
    page.add_script_tag(url=AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result
        if v["impact"] == "critical"
    ]


def list_count(page) -> int:
    """The number of records a list page lists (its first page holds up to 100: these are fewer)."""
    assert page.locator(".pagination").count() == 0
    return page.locator("table.list tr:has(td):not(:has(td.muted[colspan]))").count()


@pytest.mark.django_db(transaction=True)
def test_program_dashboard_charts_open_their_records(demo, live_server, browser_page):
    from yuanjiang.metrics import registry
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org import periods
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject

    program = Program.objects.get(slug="nantong-yining-11")
    page = browser_page
    errors = watch_console(page)
    login(page, live_server.url, "nt_lead")
    page.wait_for_url(f"**{PROGRAM}")
    # The headline: a dozen figures, codes out of sight (on hover only).
    assert page.locator(".figure.headline").count() == 12
    assert "projects.count" not in page.locator("main").inner_text()
    # 进疆以来 (today): the article's 15 projects and the 2025 plan's 4 of the demo's second year (示意).
    count = registry.evaluate(["projects.count"], Scope(program=program), periods.presets(program)[0])
    assert count["projects.count"].value == 15 + 4
    assert page.locator(".figure.headline:has-text('援疆项目数') .value").inner_text() == "19个"

    # Projects by category and status: a painted canvas whose data add up to the program's projects.
    series = chart_option(page, "projects")
    assert painted_pixels(page, "projects") > 1000
    total = sum(p["value"] for s in series for p in s["data"])
    # every project of the program: with the two 续建 of the 第十批 (projects/demo/first_year.toml)
    assert total == AidProject.objects.filter(program=program).count() == 15 + 2 + 4
    # The pipeline: each bar is the figure of the same name, and opens its records.
    figures = registry.evaluate(
        ["investment.projects_signed", "investment.enterprises_contacted"],
        Scope(program=program),
        periods.presets(program)[0],
    )
    (pipeline,) = chart_option(page, "pipeline")
    signed = next(p for p in pipeline["data"] if p["code"] == "investment.projects_signed")
    # the article's 11 and the second demo year's 5 (示意)
    assert signed["value"] == figures["investment.projects_signed"].value == 11 + 5
    index = pipeline["data"].index(signed)
    shot(page, "program-dashboard.png")
    click_point(page, "pipeline", 0, index, signed["value"] / 2)
    page.wait_for_url("**/metrics/investment.projects_signed/**")
    assert page.locator("h1").inner_text() == "签约项目：16个"
    assert page.locator("table.list tbody tr, table.list tr:has(td)").count() >= 16

    # A stacked bar opens the projects of its category and status, as many as it showed.
    page.goto(f"{live_server.url}{PROGRAM}")
    series = chart_option(page, "projects")
    s_index, d_index, point = next(
        (i, j, p) for i, s in enumerate(series) for j, p in enumerate(s["data"]) if p["value"] >= 1
    )
    if s_index == 0:
        click_point(page, "projects", 0, d_index, point["value"] / 2)
        page.wait_for_url("**/projects/?**")
        assert list_count(page) == point["value"]

    # The funds curve is cumulative: its last 拨付 point is the money disbursed in the period.
    page.goto(f"{live_server.url}{PROGRAM}")
    funds = chart_option(page, "funds")
    assert painted_pixels(page, "funds") > 1000
    disbursed = next(s for s in funds if s["name"] == "拨付")["data"]
    assert all(a["value"] <= b["value"] for a, b in itertools.pairwise(disbursed))

    # A township opens its projects.
    cell = page.locator(".town:has(a.town-projects:not(:text('项目 0')))").first
    n = int(cell.locator("a.town-projects").inner_text().split()[-1])
    cell.locator("a.town-projects").click()
    page.wait_for_url("**/projects/?**township=**")
    assert list_count(page) == n
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_warning_appears_when_the_planned_finish_passes_and_goes_when_completed(
    demo, live_server, browser_page
):
    from yuanjiang.core.context import acting_as
    from yuanjiang.projects.models import AidProject

    page = browser_page
    errors = watch_console(page)
    login(page, live_server.url, "nt_lead")
    page.goto(f"{live_server.url}{PROGRAM}")
    warning = page.locator(
        ".warnings-card li.warning[data-code='projects.finish_overdue']:has-text('NTYN-2023-01')"
    )
    assert warning.count() == 1
    assert "项目逾期未完工" in warning.inner_text()
    # It opens its record.
    warning.locator("a:has-text('NTYN-2023-01')").click()
    page.wait_for_url("**/projects/*/")
    assert "NTYN-2023-01" in page.locator("main").inner_text()

    # Acknowledged with a note, it leaves the dashboard and shows under 已确认 with the note.
    page.goto(f"{live_server.url}/warnings/programs/nantong-yining-11/")
    item = page.locator("li.warning[data-code='projects.finish_overdue']:has-text('NTYN-2023-01')").first
    item.locator("summary").click()
    item.locator("input[name=note]").fill("已报请延期")
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已确认" in page.locator("main").inner_text() and "已报请延期" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}{PROGRAM}")
    assert (
        page.locator(
            ".warnings-card li.warning[data-code='projects.finish_overdue']:has-text('NTYN-2023-01')"
        ).count()
        == 0
    )

    # The facts change (its planned finish moves, still passed): the warning is back.
    project = AidProject.objects.get(code="NTYN-2023-01")
    with acting_as(None, source="test"):
        project.planned_completion = dt.date(2024, 8, 31)
        project.save()
    page.reload()
    assert (
        page.locator(
            ".warnings-card li.warning[data-code='projects.finish_overdue']:has-text('NTYN-2023-01')"
        ).count()
        == 1
    )
    # Completed: no warning.
    with acting_as(None, source="test"):
        project.refresh_from_db()
        project.actual_completion = dt.date(2024, 10, 1)
        project.save()
    page.reload()
    assert (
        page.locator(
            ".warnings-card li.warning[data-code='projects.finish_overdue']:has-text('NTYN-2023-01')"
        ).count()
        == 0
    )
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_each_role_sees_what_it_may_without_console_errors_or_critical_violations(
    demo, live_server, browser_page
):
    from yuanjiang.projects.models import AidProject

    pk = AidProject.objects.get(code="NTYN-2023-01").pk
    page = browser_page
    errors = watch_console(page)
    base = live_server.url
    violations = {}

    # The lead: the dashboard, the warnings, a list, a record, a form.
    login(page, base, "nt_lead")
    for url in (
        PROGRAM,
        "/warnings/programs/nantong-yining-11/",
        "/projects/",
        f"/projects/{pk}/",
        f"/projects/{pk}/progress/new/",
    ):
        response = page.goto(base + url)
        assert response.status == 200, url
        violations[url] = critical_violations(page)
    shot(page, "progress-form.png")
    logout(page)

    # The front command: the roll-up, its programs side by side, sortable, exported.
    login(page, base, "js_supervisor")
    page.wait_for_url("**/orgs/jiangsu-yili-front/**")
    rows = page.locator("table.rollup tbody tr")
    from yuanjiang.org.models import Organization, Program

    front = Organization.objects.get(slug="jiangsu-yili-front")
    # every program under the front command: 南通 第十一批, its 第十批 (示意), 南京
    assert rows.count() == Program.objects.filter(provider__path__startswith=front.path).count() == 3
    assert page.locator("table.rollup tfoot .totals, table.rollup tfoot tr.totals").count() == 1
    # A rate has no total; a count does.
    header = [
        page.locator("table.rollup thead th").nth(i).inner_text()
        for i in range(page.locator("table.rollup thead th").count())
    ]
    totals = [page.locator("table.rollup tfoot tr > *").nth(i).inner_text() for i in range(len(header))]

    def column_of(label):
        return next(i for i, h in enumerate(header) if h.startswith(label))

    assert totals[column_of("开工率")] == "不相加"
    # a count's total is the sum of the programs' counts (the 第十批's two carried projects counted once)
    count_column = column_of("援疆项目数")
    cells = [rows.nth(i).locator("td").nth(count_column).inner_text() for i in range(rows.count())]
    assert totals[count_column] == f"{sum(int(c.rstrip('个')) for c in cells)}个", (
        cells,
        totals[count_column],
    )
    # Sorting by 援疆项目数, descending then ascending.
    names = lambda: [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]  # noqa: E731
    column = page.locator("table.rollup thead th:has-text('援疆项目数') button")

    def counts():
        return [
            int(rows.nth(i).locator("td").nth(count_column).inner_text().rstrip("个"))
            for i in range(rows.count())
        ]

    column.click()
    first, first_names = counts(), names()
    assert first in (sorted(first), sorted(first, reverse=True)) and len(set(first_names)) == len(first_names)
    column.click()
    assert counts() == list(reversed(first))  # the other direction
    violations["/orgs/jiangsu-yili-front/"] = critical_violations(page)
    shot(page, "rollup.png")
    with page.expect_download() as download:
        page.click("text=导出本表（Excel）")
    assert download.value.suggested_filename.endswith(".xlsx")
    # It reads every program under it; the Nanjing clerk reads none of Nantong's.
    assert page.goto(base + PROGRAM).status == 200
    logout(page)
    login(page, base, "nj_clerk")
    assert page.goto(base + PROGRAM).status == 404
    assert page.goto(base + "/warnings/programs/nantong-yining-11/").status == 404
    errors[:] = [e for e in errors if "404" not in e]  # the refused pages' own status
    logout(page)
    login(page, base, "auditor")
    assert page.goto(base + PROGRAM).status == 200
    assert page.goto(base + "/changes/").status == 200

    assert not {url: v for url, v in violations.items() if v}, violations
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_phone_layouts_at_390_by_844(demo, live_server, browser_page):
    from yuanjiang.projects.models import AidProject

    pk = AidProject.objects.get(code="NTYN-2023-01").pk
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    errors = watch_console(page)
    login(page, live_server.url, "nt_clerk")
    urls = [
        PROGRAM,
        "/projects/",
        f"/projects/{pk}/",
        "/projects/new/",
        f"/projects/{pk}/progress/new/",
        "/projects/transactions/",
        "/investment/",
        "/talent/trainings/",
        "/health/",
        "/education/comparison/",
        "/metrics/projects.count/?program=nantong-yining-11",
        "/warnings/programs/nantong-yining-11/",
    ]
    for url in urls:
        assert page.goto(live_server.url + url).status == 200, url
        # Nothing wider than the screen (a wide table scrolls inside itself), a compact header.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        assert page.locator("header.top").bounding_box()["height"] <= 72, url
    # A form's fields are stacked: each label above its input, the input as wide as the screen allows.
    page.goto(live_server.url + f"/projects/{pk}/progress/new/")
    row = page.locator("form.record .row").first
    label, field = (
        row.locator("label").first.bounding_box(),
        row.locator("input, select, textarea").first.bounding_box(),
    )
    assert label["y"] + label["height"] <= field["y"] + 1
    assert field["width"] >= 300
    # The photo can be taken with the phone's camera.
    camera = page.locator("input[type=file][capture]")
    assert camera.count() == 1 and camera.get_attribute("capture") == "environment"
    shot(page, "phone-progress-form.png")
    page.goto(live_server.url + PROGRAM)
    page.wait_for_selector("#chart-projects[data-ready='1']")
    assert painted_pixels(page, "projects") > 500
    shot(page, "phone-dashboard.png", full_page=False)
    assert not errors, errors
