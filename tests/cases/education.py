"""Education models in the generic test kit (tests/kit.py), and builders for the education tests."""

import datetime as dt
from decimal import Decimal

from tests.factories import township
from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass


def make_school(program, n, **fields):
    defaults = {"program": program, "name": f"套件学校{n}", "township": township(program), "stage": "senior"}
    defaults.update(fields)
    with acting_as(None, source="test"):
        return School.objects.create(**defaults)


def make_class(school, n, track="pilot", cohort=2022, **fields):
    defaults = {
        "school": school,
        "name": f"套件班{n}",
        "cohort": cohort,
        "grade": "g11",
        "track": track,
        "established_on": dt.date(2023, 9, 1),
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return TeachingClass.objects.create(**defaults)


def make_result(
    teaching_class, seq=0, *, exam_name=None, exam_date=dt.date(2024, 1, 10), subject="math", **stats
):
    defaults = {"n": 40, "mean": Decimal("80"), "sd": Decimal("12"), "pass_rate": Decimal("70")}
    defaults.update(stats)
    with acting_as(None, source="test"):
        return ExamResult.objects.create(
            teaching_class=teaching_class,
            exam_name=exam_name or f"套件考试{seq}",
            exam_date=exam_date,
            subject=subject,
            **defaults,
        )


def make_fund(program, n, founded_on=dt.date(2023, 8, 1)):
    with acting_as(None, source="test"):
        return Fund.objects.create(program=program, name=f"套件基金{n}", founded_on=founded_on)


def make_donation(
    fund, amount="1000", date=dt.date(2023, 8, 18), donor="南通市红十字会", review_status="approved"
):
    with acting_as(None, source="test"):
        return FundDonation.objects.create(
            fund=fund,
            donor=donor,
            donor_kind="organization",
            date=date,
            amount=Decimal(amount),
            review_status=review_status,
        )


def make_grant(
    fund,
    amount="100",
    date=dt.date(2023, 9, 10),
    note="",
    kind="bursary",
    recipients=2,
    review_status="approved",
):
    with acting_as(None, source="test"):
        return FundGrant.objects.create(
            fund=fund,
            kind=kind,
            recipient_kind="student",
            recipients=recipients,
            amount=Decimal(amount),
            date=date,
            note=note,
            review_status=review_status,
        )


def _grant(program, n):
    fund = make_fund(program, n)
    make_donation(fund, "5000")
    return make_grant(fund, "100", note=f"套件资助{n}")


register(
    ScopedCase(
        name="school",
        make=make_school,
        list_url="education:school_list",
        detail_url="education:school_detail",
        edit_url="education:school_edit",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="teachingclass",
        make=lambda program, n: make_class(make_school(program, n), n),
        list_url="education:teachingclass_list",
        detail_url="education:teachingclass_detail",
        edit_url="education:teachingclass_edit",
        delete_url="education:teachingclass_delete",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="examresult",
        make=lambda program, n: make_result(make_class(make_school(program, n), n), n),
        list_url="education:examresult_list",
        edit_url="education:examresult_edit",
        delete_url="education:examresult_delete",
        text=lambda obj: obj.exam_name,
    )
)
register(
    ScopedCase(
        name="fund",
        make=make_fund,
        list_url="education:fund_list",
        detail_url="education:fund_detail",
        edit_url="education:fund_edit",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="funddonation",
        make=lambda program, n: make_donation(make_fund(program, n), donor=f"套件捐赠方{n}"),
        list_url="education:funddonation_list",
        edit_url="education:funddonation_edit",
        delete_url="education:funddonation_delete",
        text=lambda obj: obj.donor,
    )
)
register(
    ScopedCase(
        name="fundgrant",
        make=_grant,
        list_url="education:fundgrant_list",
        edit_url="education:fundgrant_edit",
        delete_url="education:fundgrant_delete",
        text=lambda obj: obj.note,
    )
)
