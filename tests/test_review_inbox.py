"""The review inbox (待办, issue 21): to review with counts in the navigation, returned to me with the
reason, drafts, periods due to close; batch submit / approve / return; nobody approves their own
record (settings.REVIEW_NO_SELF_APPROVAL, on by default); an e-mail when SMTP is configured."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_project, make_transaction, make_user
from tests.kit import count_queries
from yuanjiang.accounts.models import Role
from yuanjiang.projects.models import FundTransaction
from yuanjiang.review import inbox, services
from yuanjiang.review.choices import ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(program):
    user = make_user("lead", Role.LEAD, program=program)
    user.email = "lead@example.org"
    user.save()
    return user


@pytest.fixture
def drafts(program, clerk):
    project = make_project(program, 1, aid_funds=Decimal("3000000"), total_investment=Decimal("3000000"))
    return [
        make_transaction(
            project, "disbursement", str(100000 + i), dt.date(2023, 7, 1 + i), review_status="draft"
        )
        for i in range(3)
    ]


def batch(client, action, objs, **extra):
    return client.post(
        reverse("review:inbox_batch"),
        {"label": "projects.fundtransaction", "action": action, "ids": [o.pk for o in objs], **extra},
    )


def test_a_page_of_drafts_is_submitted_at_once_and_the_lead_finds_them_counted(client, clerk, lead, drafts):
    client.force_login(clerk)
    page = client.get(reverse("review:inbox")).content.decode()
    assert "草稿：尚未提交（3）" in page
    response = batch(client, "submit", drafts)
    assert response.status_code == 302
    assert set(FundTransaction.objects.values_list("review_status", flat=True)) == {ReviewStatus.SUBMITTED}
    assert all(t.submitted_by == clerk for t in FundTransaction.objects.all())
    client.force_login(lead)
    home = client.get(reverse("home"), follow=True).content.decode()
    assert 'data-count="3"' in home  # 待办 3 in the navigation
    page = client.get(reverse("review:inbox")).content.decode()
    assert "待我审核（3）" in page


def test_return_with_a_reason_the_clerk_sees_it_fixes_and_resubmits(client, clerk, lead, drafts, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    clerk.email = "clerk@example.org"
    clerk.save()
    client.force_login(clerk)
    batch(client, "submit", drafts)
    client.force_login(lead)
    # A return without a reason is refused and changes nothing.
    batch(client, "return", drafts[:1])
    assert FundTransaction.objects.get(pk=drafts[0].pk).review_status == ReviewStatus.SUBMITTED
    batch(client, "return", drafts[:1], reason="金额与拨付文件不符")
    returned = FundTransaction.objects.get(pk=drafts[0].pk)
    assert returned.review_status == ReviewStatus.RETURNED and returned.review_note == "金额与拨付文件不符"
    assert len(mail.outbox) == 1 and "金额与拨付文件不符" in mail.outbox[0].body
    assert mail.outbox[0].to == ["clerk@example.org"]
    batch(client, "approve", drafts[1:])
    assert FundTransaction.objects.filter(review_status=ReviewStatus.APPROVED).count() == 2
    client.force_login(clerk)
    page = client.get(reverse("review:inbox")).content.decode()
    assert "退回给我（1）" in page and "金额与拨付文件不符" in page
    home = client.get(reverse("home"), follow=True).content.decode()
    assert 'data-count="1"' in home
    # Fixed (edited: back to 草稿), resubmitted, approved.
    returned.amount = Decimal("100500")
    returned.save()
    batch(client, "submit", [returned])
    client.force_login(lead)
    batch(client, "approve", [returned])
    assert FundTransaction.objects.get(pk=returned.pk).review_status == ReviewStatus.APPROVED


def test_nobody_approves_their_own_record(client, lead, drafts, settings):
    client.force_login(lead)
    batch(client, "submit", drafts[:1])
    assert inbox.counts(lead)["to_review"] == 0  # not offered to the submitter
    response = batch(client, "approve", drafts[:1])
    assert response.status_code == 302
    assert FundTransaction.objects.get(pk=drafts[0].pk).review_status == ReviewStatus.SUBMITTED
    with pytest.raises(services.PermissionDenied, match="自己提交的"):
        services.record_approve(FundTransaction.objects.get(pk=drafts[0].pk), lead)
    settings.REVIEW_NO_SELF_APPROVAL = False
    services.record_approve(FundTransaction.objects.get(pk=drafts[0].pk), lead)
    assert FundTransaction.objects.get(pk=drafts[0].pk).review_status == ReviewStatus.APPROVED


def test_a_clerk_cannot_approve_a_batch(client, clerk, drafts):
    client.force_login(clerk)
    batch(client, "submit", drafts)
    response = client.post(
        reverse("review:inbox_batch"),
        {"label": "projects.fundtransaction", "action": "approve", "ids": [d.pk for d in drafts]},
        follow=True,
    )
    assert "3条未审核通过" in response.content.decode()
    assert not FundTransaction.objects.filter(review_status=ReviewStatus.APPROVED).exists()


def test_periods_due_to_close_are_listed_for_the_lead(lead, program):
    due = inbox.periods_due(lead, today=dt.date(2024, 5, 1))
    assert [(p, period.label) for p, period in due] == [(program, "首年")]
    assert inbox.periods_due(lead, today=dt.date(2024, 3, 1)) == []


def test_the_inbox_and_the_counts_run_a_fixed_number_of_queries(client, clerk, lead, program, drafts):
    client.force_login(clerk)
    batch(client, "submit", drafts)
    client.force_login(lead)
    small = count_queries(lambda: client.get(reverse("review:inbox")))
    project = drafts[0].project
    for i in range(10):
        make_transaction(
            project, "disbursement", str(200000 + i), dt.date(2023, 8, 1 + i), review_status="draft"
        )
    client.force_login(clerk)
    batch(client, "submit", list(FundTransaction.objects.filter(review_status="draft")))
    client.force_login(lead)
    assert count_queries(lambda: client.get(reverse("review:inbox"))) == small
    assert count_queries(lambda: inbox.counts(lead)) <= 4  # memberships, programs, two UNIONs


def test_the_inbox_shows_what_is_behind(client, demo):
    """待办 lists the early warnings of the user's own work group, each opening its records (issue 23)."""
    from yuanjiang.accounts.models import User

    client.force_login(User.objects.get(username="nt_lead"))
    page = client.get(reverse("review:inbox")).content.decode()
    assert 'id="warnings"' in page and "NTYN-2023-01" in page  # past its planned finish, not completed
    assert reverse("warnings:program", args=["nantong-yining-11"]) in page
    client.force_login(User.objects.get(username="nj_clerk"))
    assert "NTYN-2023-01" not in client.get(reverse("review:inbox")).content.decode()
