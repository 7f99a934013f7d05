"""The API's pages in a real browser: a clerk creates a token on 接口令牌 (shown once), and the API
documentation page renders every operation from our own static files (no CDN; the site's CSP holds).
Runs when Chromium is installed (tests/browser.py)."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_clerk_creates_a_token_and_reads_the_docs(live_server, browser_page, clerk):
    from yuanjiang.api.models import ApiToken, digest

    page = browser_page
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None,
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-clerk")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click("a:has-text('接口令牌')")
    page.wait_for_url("**/api/tokens/")
    page.fill("#token-name", "省平台对接")
    page.click("button:has-text('创建令牌')")
    raw = page.locator("#new-token").inner_text()
    assert digest(raw) == ApiToken.objects.get(user=clerk).key_digest
    page.goto(f"{live_server.url}/api/tokens/")
    assert page.locator("#new-token").count() == 0
    assert "省平台对接" in page.locator("table.list").inner_text()
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() > 100
    assert "援疆成效台账 API" in page.locator(".info .title").inner_text()
    assert not outside, outside
