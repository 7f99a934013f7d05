"""In a real browser: a supervisor sets up a new work group for another pairing (江阴 → 霍城县),
invites a clerk by a one-time link; the clerk signs up, enters a 义诊 in a township of 霍城县, and the
township coverage counts it against 霍城县's own township list (from the reference data)."""

import re

import pytest

from tests.factories import make_user
from yuanjiang.accounts.models import Role
from yuanjiang.health.townships import county_townships
from yuanjiang.org.models import Organization, Program, Region


def choose(page, name: str, text: str):
    """Pick `text` in an autocomplete box (common/autocomplete.py), as a user types it."""
    box = page.locator(f"#id_{name}-search")
    with page.expect_response(re.compile(rf"/autocomplete/{name}/")):
        box.fill(text[:2])
    page.wait_for_function(
        f"() => Array.from(document.querySelectorAll('datalist option')).some(o => o.value === {text!r})"
    )
    box.fill(text)
    box.dispatch_event("change")


@pytest.mark.django_db(transaction=True)
def test_supervisor_sets_up_a_work_group_and_its_clerk_counts_a_township(live_server, browser_page):
    from yuanjiang.core.context import acting_as
    from yuanjiang.org.services import reference_load

    with acting_as(None, source="test"):
        reference_load(counties=("654021", "654023"))
    make_user("front_sup", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu-yili-front"))
    huocheng = Region.objects.get(code="654023")
    own = list(county_townships([huocheng]).values_list("name", flat=True))
    assert "三宫乡" in own and "兵团六十六团分部" not in own and "良种繁育中心" not in own

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "front_sup")
    page.fill("#id_password", "pw-front_sup")
    page.click("button[type=submit]")
    page.wait_for_url("**/orgs/jiangsu-yili-front/")
    page.click("text=设立援疆项目组")
    page.wait_for_url("**/setup/program/")
    page.select_option("#id_provider", label="江苏援伊·江阴工作组")
    page.fill("#id_batch", "11")
    page.fill("#id_term_start", "2023-04-01")
    page.fill("#id_term_end", "2026-03-31")
    page.click("form.record button[type=submit]")
    page.wait_for_url("**/invitations/")
    program = Program.objects.get(provider__slug="jiangyin-wg", batch=11)
    assert program.recipient_region == huocheng
    assert f"乡镇{len(own) + 2}个" in page.locator("p.muted").first.inner_text()  # its list, 团场 included

    page.fill("#id_display_name", "李娜")
    page.select_option("#id_role", "clerk")
    page.click("form.record button[type=submit]")
    link = page.locator("#invitation-url").input_value()
    assert "/invite/" in link

    page.context.clear_cookies()
    page.goto(link)
    page.fill("#id_username", "lina")
    page.fill("#id_password1", "Yj-strong-pass-2024")
    page.fill("#id_password2", "Yj-strong-pass-2024")
    page.click("form.record button[type=submit]")
    page.wait_for_url(f"**/programs/{program.slug}/")
    assert "从这里开始" in page.locator("#first-steps").inner_text()

    page.goto(f"{live_server.url}/health/new/")
    if page.locator("#id_program-search").count():
        choose(page, "program", program.name)
    else:
        page.select_option("#id_program", label=program.name)
    page.select_option("#id_kind", label="义诊")
    page.fill("#id_title", "巡回义诊（三宫乡）")
    page.fill("#id_date", "2023-06-10")
    choose(page, "township", "三宫乡")
    page.click("form.record button[type=submit]")
    page.wait_for_url(re.compile(r"/health/\d+/$"))

    # The clerk's entry is not reviewed yet: the figures counting every record (草稿 included) show it.
    page.goto(
        f"{live_server.url}/health/coverage/?program={program.slug}&period=2023-04-01:2024-03-31&review=all"
    )
    assert page.locator("h1").inner_text() == "义诊乡镇覆盖 · 霍城县"
    assert page.locator(".township-grid a.township").count() == len(own)
    assert page.locator(".township-grid a.township.covered").count() == 1
    summary = page.locator("#coverage-summary").inner_text()
    assert f"{len(own)}个乡镇中，1个在统计期内开展过义诊" in summary
