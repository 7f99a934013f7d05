"""Batches and the handover (接力棒): unfinished projects carried into the next batch keep their
history, count as 续建 there, and are counted once in the province's roll-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_project, make_transaction
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.handover import carry_over_candidates, hand_over
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period, calendar_year
from yuanjiang.projects.models import AidProject

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def batches(reference):
    """第十批 (2020-2023) → 第十一批 (2023-2026) of 南通 → 伊宁县."""
    with acting_as(None, source="test"):
        tenth = Program.objects.create(
            slug="nantong-yining-10",
            name="江苏援伊·南通工作组（第十批）",
            provider=Organization.objects.get(slug="nantong-wg"),
            recipient_region_id=Organization.objects.get(slug="nantong-wg").region_id,
            batch=10,
            term_start=D(2020, 4, 1),
            term_end=D(2023, 3, 31),
        )
        eleventh = Program.objects.create(
            slug="nantong-yining-11",
            name="江苏援伊·南通工作组（第十一批）",
            provider=tenth.provider,
            recipient_region=tenth.recipient_region,
            batch=11,
            term_start=D(2023, 4, 1),
            term_end=D(2026, 3, 31),
            predecessor=tenth,
        )
    return tenth, eleventh


def test_handover_carries_unfinished_projects_as_continuing(batches):
    tenth, eleventh = batches
    open1 = make_project(tenth, 1, plan_year=2022, aid_funds="1000", actual_start=D(2022, 5, 1))
    open2 = make_project(tenth, 2, plan_year=2022, aid_funds="500", actual_start=D(2022, 6, 1))
    done = make_project(
        tenth,
        3,
        plan_year=2022,
        aid_funds="800",
        actual_start=D(2022, 5, 1),
        actual_completion=D(2022, 12, 1),
    )
    assert done.actual_completion
    make_transaction(open1, "disbursement", "600", D(2022, 8, 1))
    make_transaction(open1, "disbursement", "100", D(2023, 6, 1), review_status="submitted")  # not counted
    new11 = make_project(eleventh, 11, plan_year=2023, aid_funds="300")
    assert set(carry_over_candidates(tenth, D(2023, 4, 1))) == {open1, open2}  # not done
    history = ObjectChange.objects.filter(object_id=str(open1.pk), content_type__model="aidproject").count()

    with acting_as(None, source="test"):
        result = hand_over(tenth, eleventh, [open1, open2], D(2023, 4, 1))
    c1, c2 = sorted(result.projects, key=lambda p: p.code)
    # Linked to the origin, which keeps its history (its money, its change log) in the outgoing batch.
    assert c1.carried_from == open1 and c1.program == eleventh and c1.plan_year == 2022
    assert c1.aid_funds == Decimal("400")  # 1000 planned − 600 disbursed (approved) before the handover
    assert open1.transactions.count() == 2 and c1.transactions.count() == 0
    open1.refresh_from_db()
    assert open1.program == tenth and open1.handed_over_on == D(2023, 4, 1)
    assert (
        ObjectChange.objects.filter(object_id=str(open1.pk), content_type__model="aidproject").count()
        == history + 1
    )

    # In the new batch: 续建 (planned before the period, not completed before it starts).
    year1 = Period(D(2023, 4, 1), D(2024, 3, 31), "首年")
    figures = evaluate(None, Scope(program=eleventh), year1)
    assert figures["projects.count_continuing"].value == 2
    assert figures["projects.count_new"].value == 1
    assert figures["projects.aid_funds_planned"].value == Decimal("400") + Decimal("500") + Decimal("300")
    assert set(AidProject.objects.filter(program=eleventh)) == {c1, c2, new11}

    # The province's roll-up counts each project once, whichever period.
    province = Scope(organization=Organization.objects.get(slug="jiangsu"))
    span = Period(D(2020, 4, 1), D(2026, 3, 31), "两批")
    both = evaluate(None, province, span)
    assert both["projects.count"].value == 4  # open1, open2, done, new11 — not the two copies again
    assert both["projects.aid_funds_planned"].value == Decimal("1000") + 500 + 800 + 300
    after = evaluate(None, province, calendar_year(2024))
    assert after["projects.count_continuing"].value == 3  # the two copies and new11, not the origins too
    before = evaluate(None, Scope(program=tenth), calendar_year(2022))
    assert before["projects.count_new"].value == 3  # the outgoing batch's own year is unchanged

    # Completing the carried project counts once too.
    c1.actual_completion = D(2024, 6, 1)
    with acting_as(None, source="test"):
        c1.save()
    assert evaluate(None, province, calendar_year(2024))["projects.completed_total"].value == 2  # done + c1


def test_handover_refuses_bad_choices_and_saves_nothing(batches):
    tenth, eleventh = batches
    open1 = make_project(tenth, 1, plan_year=2022, actual_start=D(2022, 5, 1))
    done = make_project(
        tenth, 2, plan_year=2022, actual_start=D(2022, 5, 1), actual_completion=D(2022, 12, 1)
    )
    with pytest.raises(ValidationError) as err, acting_as(None, source="test"):
        hand_over(tenth, eleventh, [open1, done], D(2023, 4, 1))
    assert "已于2022年12月1日完工" in str(err.value) or "完工" in str(err.value)
    assert not AidProject.objects.filter(program=eleventh).exists()
    open1.refresh_from_db()
    assert open1.handed_over_on is None
    with pytest.raises(ValidationError) as err, acting_as(None, source="test"):
        hand_over(eleventh, tenth, [open1], D(2023, 4, 1))
    assert "上一批次不是" in str(err.value)
    with acting_as(None, source="test"):
        hand_over(tenth, eleventh, [open1], D(2023, 4, 1))
    with pytest.raises(ValidationError) as err, acting_as(None, source="test"):
        hand_over(tenth, eleventh, [open1], D(2023, 4, 1))
    assert "不能再次移交" in str(err.value)


def test_succession_and_predecessor_checks(batches, other_program):
    tenth, eleventh = batches
    assert eleventh.succession() == [tenth, eleventh] == tenth.succession()
    other_program.predecessor = tenth
    with pytest.raises(ValidationError) as err:
        other_program.full_clean()
    assert "不属同一结对关系" in str(err.value)


def test_demo_shows_the_previous_batch_and_its_two_continuing_projects(demo):
    tenth = Program.objects.get(slug="nantong-yining-10")
    assert "示意" in tenth.name and demo.program.predecessor == tenth
    carried = AidProject.objects.filter(program=demo.program, carried_from__isnull=False)
    assert carried.count() == 2
    assert all(p.carried_from.program == tenth and "示意" in p.name for p in carried)
    first = evaluate(None, Scope(program=demo.program), Period(D(2023, 4, 1), D(2024, 6, 30)))
    assert (first["projects.count"].value, first["projects.count_new"].value) == (15, 15)  # the article's
    second = evaluate(None, Scope(program=demo.program), calendar_year(2024))
    continuing = second["projects.count_continuing"].value
    assert set(carried) <= set(
        registry.get("projects.count_continuing").records(Scope(program=demo.program), calendar_year(2024))
    )
    # The province over both batches: the carried projects once, not twice.
    both = evaluate(None, Scope(organization=Organization.objects.get(slug="jiangsu")), calendar_year(2024))
    nanjing = evaluate(None, Scope(program=demo.second_program), calendar_year(2024))
    assert both["projects.count_continuing"].value == continuing + nanjing["projects.count_continuing"].value


def test_handover_carries_a_fund_and_agreements_counted_once(batches):
    from tests.cases.education import make_donation, make_fund, make_grant
    from tests.factories_talent import make_agreement
    from yuanjiang.education.models import Fund, FundDonation

    tenth, eleventh = batches
    fund = make_fund(tenth, 1, founded_on=D(2021, 3, 1))
    make_donation(fund, "10000", D(2021, 3, 1))
    make_grant(fund, "3000", D(2022, 9, 1))
    signed = make_agreement(tenth, 1, kind="framework", signed_on=D(2022, 5, 1))
    make_agreement(tenth, 2, kind="framework", signed_on=D(2021, 5, 1))  # not carried
    handed = D(2023, 4, 1)
    with acting_as(None, source="test"):
        result = hand_over(tenth, eleventh, [], handed, funds=[fund], agreements=[signed])

    # The fund continues in the new batch with the unspent balance, linked to its origin.
    (copy,) = result.funds
    assert copy.program == eleventh and copy.carried_from == fund and copy.name == fund.name
    (opening,) = FundDonation.objects.filter(fund=copy)
    assert opening.is_carry_over and opening.amount == Decimal("7000") and opening.date == handed
    fund.refresh_from_db()
    assert fund.handed_over_on == handed and fund.donations.count() == 1 and fund.grants.count() == 1
    # The origin takes no more entries after the handover; the copy does.
    with pytest.raises(ValidationError) as err:
        make_donation(fund, "500", D(2023, 5, 1))
    assert "已于2023年4月1日移交下一批次" in str(err.value)
    first = fund.donations.get()
    first.amount = Decimal("9000")
    with pytest.raises(ValidationError), acting_as(None, source="test"):
        first.save()  # the carried balance would no longer match
    with pytest.raises(ValidationError), acting_as(None, source="test"):
        fund.grants.get().delete()
    make_donation(copy, "2000", D(2023, 6, 1))
    make_grant(copy, "1000", D(2023, 9, 1))
    # The agreement: a continuing copy in the new batch, the origin with its history in the old one.
    (acopy,) = result.agreements
    assert acopy.program == eleventh and acopy.carried_from == signed and acopy.signed_on == signed.signed_on
    signed.refresh_from_db()
    assert signed.program == tenth and signed.handed_over_on == handed
    assert signed.review_status == acopy.review_status == "approved"  # the stamp is not an edit

    year1 = Period(D(2023, 4, 1), D(2024, 3, 31), "首年")
    mine = evaluate(None, Scope(program=eleventh), year1)
    assert mine["education.fund_donations"].value == Decimal("2000")  # new money only, not the 结转
    assert mine["education.fund_balance"].value == Decimal("7000") + 2000 - 1000
    old = evaluate(None, Scope(program=tenth), Period(D(2020, 4, 1), D(2023, 3, 31)))
    assert old["education.fund_donations"].value == Decimal("10000")  # history kept in the old batch
    assert old["talent.agreements"].value == 2

    # The province over both batches: each yuan and each signing once.
    province = Scope(organization=Organization.objects.get(slug="jiangsu"))
    span = Period(D(2020, 4, 1), D(2026, 3, 31), "两批")
    both = evaluate(None, province, span)
    assert both["education.fund_donations"].value == Decimal("12000")
    assert both["education.fund_balance"].value == Decimal("10000") + 2000 - 3000 - 1000
    assert both["talent.agreements"].value == 2  # not the continuing copy again
    assert Fund.objects.filter(name=fund.name).count() == 2


def test_carried_fund_and_agreement_pages_link_both_ways(client, batches):
    from django.urls import reverse

    from tests.cases.education import make_donation, make_fund
    from tests.factories import make_user
    from tests.factories_talent import make_agreement
    from yuanjiang.accounts.models import Role

    tenth, eleventh = batches
    fund = make_fund(tenth, 1, founded_on=D(2021, 3, 1))
    make_donation(fund, "800", D(2021, 3, 1))
    signed = make_agreement(tenth, 1, signed_on=D(2022, 5, 1))
    with acting_as(None, source="test"):
        result = hand_over(tenth, eleventh, [], D(2023, 4, 1), funds=[fund], agreements=[signed])
    client.force_login(
        make_user("sup", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu"))
    )
    old = client.get(reverse("education:fund_detail", args=[fund.pk])).content.decode()
    assert "已于2023年4月1日移交下一批次" in old and result.funds[0].get_absolute_url() in old
    new = client.get(result.funds[0].get_absolute_url()).content.decode()
    assert "上一批次结转" in new and fund.get_absolute_url() in new
    page = client.get(result.agreements[0].get_absolute_url()).content.decode()
    assert "接续自" in page and signed.get_absolute_url() in page


def test_handover_of_a_fund_refuses_later_entries_and_saves_nothing(batches):
    from tests.cases.education import make_donation, make_fund
    from yuanjiang.education.models import Fund

    tenth, eleventh = batches
    fund = make_fund(tenth, 1, founded_on=D(2021, 3, 1))
    make_donation(fund, "1000", D(2023, 6, 1))  # after the handover date below
    open1 = make_project(tenth, 1, plan_year=2022, actual_start=D(2022, 5, 1))
    with pytest.raises(ValidationError) as err, acting_as(None, source="test"):
        hand_over(tenth, eleventh, [open1], D(2023, 4, 1), funds=[fund])
    assert "移交日期之后的收支记录" in str(err.value)
    assert not Fund.objects.filter(program=eleventh).exists()
    assert not AidProject.objects.filter(program=eleventh).exists()


def test_baton_view_queries_do_not_grow_with_the_batches(client, batches):
    """接力棒: each batch over its own term so far, all in one pass (registry.evaluate_each) — as many
    queries at four batches as at two, and each batch's figures as evaluate() gives them alone."""
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import make_user
    from tests.kit import count_queries
    from yuanjiang.accounts.models import Role
    from yuanjiang.org.periods import since_term_start
    from yuanjiang.org.views import ROLLUP_METRICS

    tenth, eleventh = batches
    for n, program in enumerate((tenth, eleventh), start=1):
        p = make_project(program, n, plan_year=program.term_start.year, actual_start=program.term_start)
        make_transaction(p, "disbursement", "100", program.term_start)
    with acting_as(None, source="test"):
        hand_over(tenth, eleventh, [AidProject.objects.get(program=tenth)], D(2023, 4, 1))
    client.force_login(
        make_user("sup", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu"))
    )
    url = reverse("org:program_baton", args=[eleventh.slug])
    client.get(url)  # compiled once per process
    two = count_queries(lambda: client.get(url))

    with acting_as(None, source="test"):
        ninth = Program.objects.create(
            slug="nantong-yining-9",
            name="江苏援伊·南通工作组（第九批）",
            provider=tenth.provider,
            recipient_region=tenth.recipient_region,
            batch=9,
            term_start=D(2017, 4, 1),
            term_end=D(2020, 3, 31),
        )
        twelfth = Program.objects.create(
            slug="nantong-yining-12",
            name="江苏援伊·南通工作组（第十二批）",
            provider=tenth.provider,
            recipient_region=tenth.recipient_region,
            batch=12,
            term_start=D(2026, 4, 1),
            term_end=D(2029, 3, 31),
            predecessor=eleventh,
        )
        tenth.predecessor = ninth
        tenth.save()
    for n, program in enumerate((ninth, twelfth), start=3):
        make_project(program, n, plan_year=program.term_start.year, actual_start=program.term_start)
    response = client.get(url)
    four = count_queries(lambda: client.get(url))
    assert four == two, (two, four)
    batches_shown = response.context["batches"]
    assert [b["program"] for b in batches_shown] == [ninth, tenth, eleventh, twelfth]
    today = timezone.localdate()
    for b in batches_shown:
        alone = evaluate(ROLLUP_METRICS, Scope(program=b["program"]), since_term_start(b["program"], today))
        assert [f.value for f in b["figures"]] == [alone[c].value for c in ROLLUP_METRICS], b["program"]
    assert batches_shown[2]["figures"][ROLLUP_METRICS.index("projects.count_continuing")].value == 1
