"""A work group's year in a real browser (issue 21): the clerk enters records in every domain (money
in 万元) and submits each page of them at once; the lead finds them in 待办, returns one with a reason; the clerk sees
the reason, fixes and resubmits; the lead approves, publishes and closes; a second publication of
the same period says what it replaces."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.cases.education import make_fund
from tests.factories import make_project, make_transaction, make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.projects.models import FundTransaction
from yuanjiang.review import inbox
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import PeriodClose
from yuanjiang.talent import services as talent_services

FIRST_YEAR = "2023-04-01:2024-03-31"


def enter(page, url, values: dict):
    """Fill a create form as a user does (a select takes the value given, or its first choice) and save."""
    page.goto(url)
    for name, value in values.items():
        search = page.locator(f"#id_{name}-search")
        if search.count():  # a search-as-you-type box (common/autocomplete.py): type, pick the match
            with page.expect_response(re.compile(rf"/autocomplete/{name}/")):
                search.fill(value[:2])
            page.wait_for_function(
                f"() => Array.from(document.querySelectorAll('datalist option')).some(o => o.value === {value!r})"
            )
            search.fill(value)
            search.dispatch_event("change")
            continue
        box = page.locator(f"form.record [name={name}]")
        if box.evaluate("el => el.tagName") == "SELECT":
            if value is None:
                value = box.locator("option:not([value=''])").first.get_attribute("value")
            box.select_option(value)
        elif value is not None:  # (None: a field the page fills itself, e.g. the only program)
            box.fill(value)
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    assert "/new/" not in page.url, page.locator(".errorlist").all_inner_texts()


def sign_in(browser, url, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_a_year_enter_submit_return_fix_approve_publish_close(live_server, chromium, program, clerk):
    browser = chromium
    make_user("lead", Role.LEAD, program=program)
    project = make_project(program, 1, aid_funds=Decimal("3000000"), total_investment=Decimal("3000000"))
    make_transaction(project, "commitment", "3000000", dt.date(2023, 6, 1))
    url = live_server.url

    # The clerk enters three disbursements, the amounts typed in 万元 (the unit shown by default).
    page = sign_in(browser, url, "clerk")
    for day, amount in ((1, "12.5"), (2, "30"), (3, "40")):
        page.goto(f"{url}/projects/{project.pk}/transactions/new/")
        assert page.locator("select[name=amount_unit]").input_value() == "万元"
        page.select_option("select[name=kind]", "disbursement")
        page.fill("input[name=date]", f"2023-07-0{day}")
        page.fill("input[name=amount]", amount)
        page.click("form.record button[type=submit]")
        page.wait_for_load_state()
    assert FundTransaction.objects.get(date=dt.date(2023, 7, 1)).amount == Decimal("125000")
    # …and a record in every other domain, each through its own form. (The talent fields are the
    # migrations' reference rows: an earlier transactional test's flush may have emptied them.)
    with acting_as(None, source="test"):
        talent_services.reference_load()
    fund = make_fund(program, 1)
    entries = {
        reverse("projects:progressreport_create", args=[project.pk]): {
            "report_date": "2023-07-15",
            "investment_completed": "20",  # 万元
            "progress_percent": "10",
        },
        reverse("investment:promotionevent_create"): {
            "program": program.name,
            "title": "年度专题招商",
            "kind": None,
            "date": "2023-07-20",
        },
        reverse("talent:talentvisit_create"): {
            "program": program.name,
            "field": None,
            "experts": "候鸟专家组",
            "start": "2023-07-22",
            "people": "3",
            "person_times": "3",
        },
        reverse("education:funddonation_create", args=[fund.pk]): {
            "donor": "南通某企业",
            "donor_kind": None,
            "date": "2023-08-10",
            "amount": "5",  # 万元
        },
        reverse("health:medicalactivity_create"): {
            "program": program.name,
            "kind": "free_clinic",
            "title": "乡镇义诊",
            "date": "2023-07-25",
            "beneficiaries": "120",
            "cases": "0",
        },
        reverse("culture:cultureevent_create"): {
            "program": program.name,
            "name": "文化润疆演出",
            "kind": None,
            "date": "2023-07-28",
            "place": "县文化馆",
        },
    }
    for create_url, values in entries.items():
        enter(page, url + create_url, values)
    # …and submits every page of drafts at once from 待办.
    page.goto(f"{url}/review/inbox/")
    ledgers = page.locator("#drafts ~ form[data-ledger]").evaluate_all("fs => fs.map(f => f.dataset.ledger)")
    assert len(ledgers) >= 7, ledgers  # disbursements and the six other domains
    for ledger in ledgers:
        page.goto(f"{url}/review/inbox/")
        page.click(f"#drafts ~ form[data-ledger='{ledger}'] button[value=submit]")
        page.wait_for_load_state()
    assert FundTransaction.objects.filter(review_status=ReviewStatus.SUBMITTED).count() == 3
    submitted = sum(
        m.objects.filter(review_status=ReviewStatus.SUBMITTED).count() for m in inbox.reviewable_models()
    )
    assert submitted == 3 + len(entries)

    # The lead sees 待办 3 in the navigation, returns one with a reason.
    lead = sign_in(browser, url, "lead")
    assert lead.locator("nav .inbox-link .badge").inner_text() == str(submitted)
    lead.click("nav .inbox-link")
    group = lead.locator("#to-review ~ form[data-ledger='projects.fundtransaction']").first
    group.locator(".select-all").uncheck()
    returned = FundTransaction.objects.get(date=dt.date(2023, 7, 2))
    group.locator(f"input[name=ids][value='{returned.pk}']").check()
    group.locator("input[name=reason]").fill("金额与拨付文件不符，应为35万元")
    group.locator("button[value=return]").click()
    lead.wait_for_load_state()
    returned.refresh_from_db()
    assert returned.review_status == ReviewStatus.RETURNED

    # The clerk sees the reason, fixes the amount and resubmits.
    page.goto(f"{url}/review/inbox/")
    assert (
        "金额与拨付文件不符，应为35万元" in page.locator("#returned ~ form.returned-group").first.inner_text()
    )
    page.click("#returned ~ form.returned-group a:has-text('修改')")
    assert page.locator("input[name=amount]").input_value() == "30"  # shown in 万元, as typed
    page.fill("input[name=amount]", "35")
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{url}/review/inbox/")
    form = page.locator("#returned ~ form.returned-group").first
    form.locator(f"input[name=ids][value='{returned.pk}']").check()
    form.locator("button[value=submit]").click()
    page.wait_for_load_state()
    returned.refresh_from_db()
    assert returned.amount == Decimal("350000") and returned.review_status == ReviewStatus.SUBMITTED

    # The lead approves everything, publishes the first year, closes it, publishes again.
    for ledger in ledgers:
        lead.goto(f"{url}/review/inbox/")
        lead.click(f"#to-review ~ form[data-ledger='{ledger}'] button[value=approve]")
        lead.wait_for_load_state()
    assert FundTransaction.objects.filter(review_status=ReviewStatus.APPROVED).count() == 4
    for model in inbox.reviewable_models():
        assert not model.objects.filter(review_status=ReviewStatus.SUBMITTED).exists(), model
    lead.on("dialog", lambda dialog: dialog.accept())
    lead.goto(f"{url}/reports/program/{program.slug}/?period={FIRST_YEAR}")
    lead.click("form button:has-text('发布本期成绩单')")
    lead.wait_for_load_state()
    assert "已发布" in lead.content()
    lead.goto(f"{url}/review/programs/{program.slug}/closes/")
    lead.select_option("select[name=period]", FIRST_YEAR)
    lead.click("form button:has-text('结账')")
    lead.wait_for_load_state()
    assert PeriodClose.objects.active().filter(program=program).count() == 1
    lead.goto(f"{url}/reports/program/{program.slug}/?period={FIRST_YEAR}")
    lead.click("form button:has-text('重新发布')")
    lead.wait_for_load_state()
    assert "本次发布取代了" in lead.content()
