"""教育援疆: the comparison page, the fund's never-negative balance, validation through the real web
forms (Chinese message on the field, nothing saved), metrics and query counts."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.cases.education import (
    make_class,
    make_donation,
    make_fund,
    make_grant,
    make_result,
    make_school,
)
from tests.factories import make_project
from tests.kit import count_queries
from yuanjiang.education import services
from yuanjiang.education.models import ExamResult, FundDonation, FundGrant, School, TeachingClass
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Region
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import ProjectOutput

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# The comparison page


def pilot_and_control(program, n=1):
    school = make_school(program, n)
    return school, make_class(school, 10 * n, "pilot"), make_class(school, 10 * n + 1, "control")


def test_comparison_page_hand_computed_case(client, clerk, program):
    _school, pilot, control = pilot_and_control(program)
    make_result(pilot, exam_name="期末考试", n=40, mean=Decimal("85"), sd=Decimal("10"))
    make_result(control, exam_name="期末考试", n=40, mean=Decimal("80"), sd=Decimal("12"))
    client.force_login(clerk)
    page = client.get(reverse("education:comparison"), {"program": program.slug}).content.decode()
    # Hand-computed: difference 5, SE √6.1, df 75.5, t 1.9919, CI [0.08, 9.92].
    assert "5.00" in page
    assert "[0.08, 9.92]" in page
    assert "75.5" in page
    assert "南通班高于对照班（差异显著）" in page
    assert "Welch" in page and "Welch–Satterthwaite" in page  # the method is stated
    assert "<svg" in page  # the trend chart


def test_comparison_page_overlapping_case_is_no_significant_difference(client, clerk, program):
    _school, pilot, control = pilot_and_control(program)
    for exam, date, pm, cm in (
        ("期中考试", dt.date(2023, 11, 9), "78", "76"),
        ("期末考试", dt.date(2024, 1, 11), "79", "77"),
    ):
        make_result(pilot, exam_name=exam, exam_date=date, n=30, mean=Decimal(pm), sd=Decimal("15"))
        make_result(control, exam_name=exam, exam_date=date, n=30, mean=Decimal(cm), sd=Decimal("14"))
    client.force_login(clerk)
    page = client.get(reverse("education:comparison")).content.decode()
    assert "[-5.50, 9.50]" in page  # 2 ± 2.0019 × 3.7461
    assert "无显著差异" in page
    assert "差异显著" not in page.replace("无显著差异", "")
    # The page never writes 提升 (improvement), not even in the caveat.
    assert "提升" not in page and "不能单独据此认定为试点的成效" in page


def test_comparison_pools_classes_and_skips_other_schools_and_programs(client, clerk, program, other_program):
    school, pilot, control = pilot_and_control(program)
    second_control = make_class(school, 99, "control")
    make_result(pilot, exam_name="期末考试", n=2, mean=Decimal("3"), sd=Decimal("0"))
    make_result(control, exam_name="期末考试", n=2, mean=Decimal("1"), sd=Decimal("0"))
    make_result(second_control, exam_name="期末考试", n=2, mean=Decimal("1"), sd=Decimal("0"))
    theirs_school, theirs_pilot, theirs_control = pilot_and_control(other_program, 2)
    make_result(theirs_pilot, exam_name="他方考试", n=40, mean=Decimal("90"), sd=Decimal("5"))
    make_result(theirs_control, exam_name="他方考试", n=40, mean=Decimal("60"), sd=Decimal("5"))
    client.force_login(clerk)
    page = client.get(reverse("education:comparison")).content.decode()
    assert "2.00" in page and "4 / 1.00 / 0.00" in page  # two control classes pooled: n 4, mean 1
    assert "他方考试" not in page and theirs_school.name not in page


def test_comparison_page_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    url = reverse("education:comparison")
    _school, pilot, control = pilot_and_control(program)
    for k in range(2):
        make_result(pilot, exam_name=f"考试{k}", exam_date=dt.date(2024, 1, 1 + k))
        make_result(control, exam_name=f"考试{k}", exam_date=dt.date(2024, 1, 1 + k))
    small = count_queries(lambda: client.get(url, {"program": program.slug}))
    for n in range(2, 6):
        _s, p, c = pilot_and_control(program, n)
        for k in range(6):
            for subject in ("math", "chinese"):
                make_result(p, exam_name=f"考试{k}", exam_date=dt.date(2024, 2, 1 + k), subject=subject)
                make_result(c, exam_name=f"考试{k}", exam_date=dt.date(2024, 2, 1 + k), subject=subject)
    large = count_queries(lambda: client.get(url, {"program": program.slug}))
    assert small == large, (small, large)


def test_comparison_bad_parameters_are_not_errors(client, clerk, program, other_program):
    theirs = make_school(other_program, 5)
    client.force_login(clerk)
    for params in ({"program": "nope"}, {"school": theirs.pk}, {"school": "x"}, {"track": "<script>"}):
        response = client.get(reverse("education:comparison"), params)
        assert response.status_code == 200
        assert theirs.name not in response.content.decode()


# Exam results: bad input


def post_result(client, teaching_class, **overrides):
    data = {
        "exam_name": "期末考试",
        "exam_date": "2024-01-11",
        "subject": "math",
        "full_score": "150",
        "n": "40",
        "mean": "80",
        "sd": "12",
        "pass_rate": "70",
        "excellent_rate": "20",
    }
    data.update(overrides)
    return client.post(reverse("education:examresult_create", args=[teaching_class.pk]), data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("n", "1", "参考人数至少为2人：少于2人无法计算标准差，也会暴露个人成绩。"),
        ("n", "0", "参考人数至少为2人：少于2人无法计算标准差，也会暴露个人成绩。"),
        ("sd", "-0.5", "标准差不能为负数。"),
        ("pass_rate", "100.5", "比率不能超过100%。"),
        ("pass_rate", "-1", "比率不能小于0%。"),
        ("excellent_rate", "101", "比率不能超过100%。"),
        ("mean", "151", "平均分不能高于满分（150分）。"),
        ("mean", "-3", "平均分不能为负数。"),
    ],
)
def test_exam_result_bad_input(client, clerk, program, field, value, message):
    _school, pilot, _control = pilot_and_control(program)
    client.force_login(clerk)
    response = post_result(client, pilot, **{field: value})
    assert response.status_code == 200
    assert message in errors(response, field)
    assert not ExamResult.objects.exists()


def test_exam_result_attacker_input(client, clerk, program, other_program):
    _school, pilot, _control = pilot_and_control(program)
    _s, theirs, _c = pilot_and_control(other_program, 2)
    client.force_login(clerk)
    for overrides in (
        {"n": "99999999999999999999"},
        {"mean": "1e400"},
        {"sd": "NaN"},
        {"exam_date": "0001-01-01"},
        {"exam_date": "9999-12-31"},
        {"excellent_rate": "90", "pass_rate": "50"},
    ):
        response = post_result(client, pilot, **overrides)
        assert response.status_code == 200, overrides
        assert response.context["form"].errors, overrides
    assert post_result(client, theirs).status_code == 404  # another program's class
    assert not ExamResult.objects.exists()
    assert post_result(client, pilot).status_code == 302
    assert ExamResult.objects.count() == 1


# Schools and classes


def test_school_township_and_projects_must_be_the_programs(client, clerk, program, other_program):
    mine = make_project(program, 1, name="本组学校项目")
    theirs = make_project(other_program, 2, name="他组学校项目")
    client.force_login(clerk)
    base = {
        "program": program.pk,
        "name": "新学校",
        "stage": "primary",
        "township": program.townships()[0].pk,
    }
    foreign_township = Region.objects.get(code="654002100")
    response = client.post(reverse("education:school_create"), {**base, "township": foreign_township.pk})
    assert errors(response, "township") == ["所选乡镇不存在，或不属于本项目组的受援县。"]
    response = client.post(reverse("education:school_create"), {**base, "aid_projects": [theirs.pk]})
    assert errors(response, "aid_projects")
    assert not School.objects.exists()
    response = client.post(reverse("education:school_create"), {**base, "aid_projects": [mine.pk]})
    assert response.status_code == 302
    assert list(School.objects.get().aid_projects.all()) == [mine]


def test_class_cannot_be_added_to_another_programs_school(client, clerk, program, other_program):
    theirs = make_school(other_program, 1)
    client.force_login(clerk)
    data = {
        "name": "高一（9）班",
        "cohort": "2023",
        "grade": "g10",
        "track": "pilot",
        "established_on": "2023-09-01",
    }
    assert client.post(reverse("education:teachingclass_create", args=[theirs.pk]), data).status_code == 404
    mine = make_school(program, 2)
    response = client.post(
        reverse("education:teachingclass_create", args=[mine.pk]), {**data, "established_on": "9999-01-01"}
    )
    assert errors(response, "established_on")
    assert not TeachingClass.objects.exists()


# The fund


def post_grant(client, fund, **overrides):
    data = {
        "kind": "scholarship",
        "recipient_kind": "student",
        "recipients": "10",
        "amount": "1000",
        "date": "2023-09-10",
    }
    data.update(overrides)
    return client.post(reverse("education:fundgrant_create", args=[fund.pk]), data)


def test_grant_that_would_overdraw_the_fund_is_refused_with_the_balance(client, clerk, program):
    fund = make_fund(program, 1)
    make_donation(fund, "1000", date=dt.date(2023, 8, 18))
    make_donation(fund, "5000", date=dt.date(2023, 12, 1))
    client.force_login(clerk)
    # On 2023-09-10 the fund holds only 1000 元 (the 5000 元 came later).
    response = post_grant(client, fund, amount="1500", date="2023-09-10")
    message = errors(response, "amount")[0]
    assert "超出基金余额" in message and "1000元" in message and "2023年9月10日" in message
    assert not FundGrant.objects.exists()
    assert post_grant(client, fund, amount="1000", date="2023-09-10").status_code == 302
    # The grant before the fund had anything at all.
    response = post_grant(client, fund, amount="1", date="2023-08-01")
    assert "余额为0元" in errors(response, "amount")[0]
    assert FundGrant.objects.count() == 1


def test_grant_that_would_make_a_later_grant_bounce_is_refused(client, clerk, program):
    fund = make_fund(program, 1)
    make_donation(fund, "1000", date=dt.date(2023, 8, 18))
    make_grant(fund, "800", date=dt.date(2023, 12, 1))
    client.force_login(clerk)
    # On 2023-09-10 the fund holds 1000 元, but 800 元 are already promised later: at most 200 元.
    response = post_grant(client, fund, amount="500", date="2023-09-10")
    message = errors(response, "amount")[0]
    assert "最多可支付200元" in message and "2023年12月1日" in message
    assert FundGrant.objects.count() == 1


def test_donation_cut_or_deletion_that_a_later_grant_relies_on_is_refused(client, clerk, program):
    fund = make_fund(program, 1)
    donation = make_donation(fund, "1000")
    make_grant(fund, "800")
    client.force_login(clerk)
    response = client.post(
        reverse("education:funddonation_edit", args=[donation.pk]),
        {
            "donor": donation.donor,
            "donor_kind": "organization",
            "date": "2023-08-18",
            "amount": "500",
            "expected_version": donation.version,
        },
    )
    assert "余额将为-300元" in errors(response, "amount")[0]
    response = client.post(reverse("education:funddonation_delete", args=[donation.pk]), follow=True)
    assert response.status_code == 200
    assert "删除后" in response.content.decode() and "本次未删除" in response.content.decode()
    donation.refresh_from_db()
    assert donation.amount == Decimal("1000") and FundDonation.objects.count() == 1
    # A grant may always be deleted; afterwards the donation may go.
    grant = FundGrant.objects.get()
    client.post(reverse("education:fundgrant_delete", args=[grant.pk]))
    client.post(reverse("education:funddonation_delete", args=[donation.pk]))
    assert not FundDonation.objects.exists()


def test_save_checks_the_balance_even_without_a_form(program):
    from django.core.exceptions import ValidationError

    fund = make_fund(program, 1)
    make_donation(fund, "100")
    with pytest.raises(ValidationError):
        make_grant(fund, "100.01")
    assert not FundGrant.objects.exists()


def test_balance_at_any_date(program):
    fund = make_fund(program, 1)
    make_donation(fund, "1000", date=dt.date(2023, 8, 18))
    make_grant(fund, "300", date=dt.date(2023, 9, 10))
    make_donation(fund, "50", date=dt.date(2024, 1, 1))
    assert services.fund_balance(fund, dt.date(2023, 8, 17)) == 0
    assert services.fund_balance(fund, dt.date(2023, 8, 18)) == 1000
    assert services.fund_balance(fund, dt.date(2023, 9, 10)) == 700
    assert services.fund_balance(fund, dt.date(2024, 6, 30)) == 750


def test_fund_entries_bad_input(client, clerk, program):
    fund = make_fund(program, 1, founded_on=dt.date(2023, 8, 1))
    make_donation(fund, "100000")
    client.force_login(clerk)
    url = reverse("education:funddonation_create", args=[fund.pk])
    donation = {"donor": "爱心企业", "donor_kind": "enterprise", "date": "2023-09-01", "amount": "10"}
    assert errors(client.post(url, {**donation, "amount": "-10"}), "amount") == ["金额必须大于0。"]
    assert errors(client.post(url, {**donation, "date": "2023-07-01"}), "date")  # before the fund
    assert client.post(url, {**donation, "amount": "1" + "0" * 30}).status_code == 200
    assert FundDonation.objects.count() == 1
    assert errors(post_grant(client, fund, recipients="-3"), "recipients")
    assert errors(post_grant(client, fund, recipients="0"), "recipients") == ["受助人数至少为1。"]
    assert not FundGrant.objects.exists()


def test_fund_detail_queries_are_fixed(client, clerk, program):
    fund = make_fund(program, 1)
    make_donation(fund, "100000")
    make_grant(fund, "10")
    client.force_login(clerk)
    url = reverse("education:fund_detail", args=[fund.pk])
    small = count_queries(lambda: client.get(url))
    for _ in range(10):
        make_donation(fund, "10", date=dt.date(2023, 10, 1))
        make_grant(fund, "10", date=dt.date(2023, 10, 2))
    large = count_queries(lambda: client.get(url))
    assert small == large, (small, large)
    page = client.get(url).content.decode()
    assert "99990元" in page or "9.999万元" in page


# Metrics


def test_fund_and_class_metrics(program, other_program):
    fund = make_fund(program, 1)
    make_donation(fund, "1000", date=dt.date(2023, 8, 18))
    make_donation(fund, "500", date=dt.date(2024, 8, 1))  # after the period
    make_grant(fund, "300", date=dt.date(2023, 9, 10), recipients=3)
    make_grant(fund, "100", date=dt.date(2023, 3, 1) + dt.timedelta(days=200), recipients=1)
    theirs = make_fund(other_program, 2)
    make_donation(theirs, "99999")
    school = make_school(program, 1)
    make_class(school, 1, "pilot")
    make_class(school, 2, "one_plus_three")
    make_class(school, 3, "control")
    make_class(
        school,
        4,
        "pilot",
        established_on=dt.date(2024, 9, 1) if dt.date.today() >= dt.date(2024, 9, 1) else dt.date(2024, 7, 1),
    )
    figures = evaluate(
        [
            "education.fund_donations",
            "education.fund_grants",
            "education.fund_grant_recipients",
            "education.fund_balance",
            "education.pilot_classes",
        ],
        Scope(program=program),
        PERIOD,
    )
    values = {code: f.value for code, f in figures.items()}
    assert values == {
        "education.fund_donations": 1000,
        "education.fund_grants": 400,
        "education.fund_grant_recipients": 4,
        "education.fund_balance": 600,
        "education.pilot_classes": 2,
    }


def test_school_places_come_from_project_outputs(program):
    school_project = make_project(program, 1, plan_year=2023)
    other = make_project(program, 2, plan_year=2023)
    later = make_project(program, 3, plan_year=2026)
    from yuanjiang.core.context import acting_as

    with acting_as(None, source="test"):
        ProjectOutput.objects.create(project=school_project, name="学位", quantity=Decimal("3000"), unit="个")
        ProjectOutput.objects.create(
            project=school_project, name="总建筑面积", quantity=Decimal("40000"), unit="平方米"
        )
        ProjectOutput.objects.create(project=other, name="新增寄宿", quantity=Decimal("200"), unit="学位")
        ProjectOutput.objects.create(project=later, name="学位", quantity=Decimal("900"), unit="个")
    figure = evaluate(["education.school_places"], Scope(program=program), PERIOD)["education.school_places"]
    assert figure.value == 3200


@pytest.mark.django_db
def test_demo_figures(demo):
    out = StringIO()
    call_command(
        "metrics",
        "--program",
        "nantong-yining-11",
        "--period",
        "2023-04-01:2024-06-30",
        "--format",
        "json",
        stdout=out,
    )
    metrics = json.loads(out.getvalue())["metrics"]
    assert metrics["education.fund_donations"]["value"] == 1180000
    assert metrics["education.school_places"]["value"] >= 3000
    assert metrics["education.pilot_classes"]["value"] == 4
    assert metrics["education.fund_balance"]["value"] == 1180000 - metrics["education.fund_grants"]["value"]
    no2 = School.objects.get(name="伊宁县第二中学")
    tracks = sorted(no2.classes.values_list("grade", "track"))
    for grade in ("g10", "g11", "g12"):
        assert (grade, "control") in tracks and (grade, "pilot") in tracks
    assert no2.classes.filter(track="one_plus_three").count() == 1
    assert ExamResult.objects.filter(note__startswith="示例数据").count() == ExamResult.objects.count() > 0
    assert len(set(ExamResult.objects.values_list("exam_date", flat=True))) >= 4
    # 文旅: 四季游 events, and the tourist figure as a reported value with its (illustrative) source.
    from yuanjiang.culture.models import CultureEvent
    from yuanjiang.metrics.models import ManualValue

    assert CultureEvent.objects.filter(name__contains="四季游").count() >= 2
    # The article's period holds the events up to 2024-06-30; the demo's second year (示意) follows.
    article = dt.date(2024, 6, 30)
    assert metrics["culture.events"]["value"] == CultureEvent.objects.filter(date__lte=article).count()
    later = CultureEvent.objects.filter(date__gt=article)
    assert later.exists() and all("示例数据" in e.description for e in later)
    assert metrics["culture.tourist_visits"]["basis"] == "报送数"
    reported = ManualValue.objects.get(metric="culture.tourist_visits")
    assert reported.source and "示例" in reported.source and reported.note.startswith("示例数据")


def test_fund_page_balance_at_a_date_and_balance_metric_records(client, clerk, program):
    fund = make_fund(program, 1)
    make_donation(fund, "1000", date=dt.date(2023, 8, 18))
    make_grant(fund, "300", date=dt.date(2023, 9, 10))
    client.force_login(clerk)
    url = reverse("education:fund_detail", args=[fund.pk])
    assert "截至2023年9月9日的余额：<b>1000元</b>" in client.get(url, {"on": "2023-09-09"}).content.decode()
    assert "截至2023年9月10日的余额：<b>700元</b>" in client.get(url, {"on": "2023-09-10"}).content.decode()
    assert "截至2023年8月1日的余额：<b>0元</b>" in client.get(url, {"on": "2023-08-01"}).content.decode()
    bad = client.get(url, {"on": "2023-13-45"})
    assert bad.status_code == 200 and "不是有效日期" in bad.content.decode()
    page = client.get(
        reverse("metrics:metric_records", args=["education.fund_balance"]),
        {"program": program.slug, "period": "2023-04-01:2024-06-30"},
    ).content.decode()
    assert "700元" in page and "教育基金累计捐赠" in page and "−" in page


def test_school_and_class_pages_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    school, pilot, _control = pilot_and_control(program)
    school.aid_projects.add(make_project(program, 1))
    make_result(pilot, 1)
    school_url = reverse("education:school_detail", args=[school.pk])
    class_url = reverse("education:teachingclass_detail", args=[pilot.pk])
    small = (count_queries(lambda: client.get(school_url)), count_queries(lambda: client.get(class_url)))
    for n in range(2, 12):
        make_class(school, 100 + n)
        make_result(pilot, n)
        school.aid_projects.add(make_project(program, n))
    large = (count_queries(lambda: client.get(school_url)), count_queries(lambda: client.get(class_url)))
    assert small == large, (small, large)


def test_comparison_only_within_one_grade(client, clerk, program):
    school = make_school(program, 1)
    one_plus_three = make_class(school, 1, "one_plus_three", cohort=2023, grade="g9")
    senior_control = make_class(school, 2, "control", cohort=2023, grade="g10")
    make_result(one_plus_three, exam_name="期末考试", mean=Decimal("95"))
    make_result(senior_control, exam_name="期末考试", mean=Decimal("60"))
    client.force_login(clerk)
    page = client.get(reverse("education:comparison"), {"track": "one_plus_three"}).content.decode()
    assert "缺少同届同年级对照班的该科成绩" in page and "差异显著" not in page
