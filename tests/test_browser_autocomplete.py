"""The search-as-you-type boxes (common/autocomplete.py, yj/autocomplete.js) in a real browser: the
township filter of the project list offers matches from the scoped endpoint, choosing one posts the
township's ID, and the list is filtered. No CSP violation, no script error."""

import re

import pytest


@pytest.mark.django_db(transaction=True)
def test_township_filter_searches_as_you_type(demo, live_server, browser_page):
    from yuanjiang.org.models import Region

    town = Region.objects.get(name="吉里于孜镇")
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nt_lead")
    page.fill("#id_password", "yuanjiang")
    page.click("button[type=submit]")
    page.wait_for_url("**/programs/nantong-yining-11/")
    page.goto(f"{live_server.url}/projects/")
    box = page.locator("#id_township-search")
    assert box.count() == 1
    assert page.locator("select[name=township]").count() == 0
    with page.expect_response(re.compile(r"/autocomplete/township/")):
        box.fill("吉里")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('datalist option')).some(o => o.value === '吉里于孜镇')"
    )
    box.fill("吉里于孜镇")
    box.dispatch_event("change")
    assert page.locator("input[name=township]").input_value() == str(town.pk)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(rf"township={town.pk}"))
    assert page.locator("#id_township-search").input_value() == "吉里于孜镇"  # shown by name again
    assert "不存在" not in page.content()
    assert not errors, errors
