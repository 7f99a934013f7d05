"""Demo records of 教育援疆 for the seed's work group (see demo/data.py for the conventions).

From the article (民生优先 part), reproduced exactly:
- "高中各年级均设立'南通班'及对照班": a 南通班 and a 对照班 in each senior grade of 伊宁县第二中学;
- "成立初高中'1+3'四年一贯制试点班": one "1+3" class;
- "去年8月，工作组成立'通伊'教育基金，沟通协调南通市红十字会、团市委及爱心企业捐赠启动资金118万元":
  the fund founded in August 2023 with start-up donations of exactly 1 180 000 元 from those donors;
- 伊宁县南通第二实验学校 (3000 学位) is the aid project NTYN-2023-01 of demo/data.py.

示例数据 (illustrative, not records of what happened): how the 118万元 splits among the donors, the
grants, class names, the aid teachers other than 曹荣彬 (named in the article's photo caption), and
every exam summary — generated below from a fixed formula, so the comparison page has something to
show; they are not real pupils' results.
"""

import datetime as dt
import math
from decimal import Decimal

from yuanjiang.education.choices import (
    DonorKind,
    Grade,
    GrantKind,
    RecipientKind,
    SchoolStage,
    Subject,
    Track,
)
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass

ILLUSTRATIVE = "示例数据：数值为示意，非真实成绩。"
JILIYUZI = "654021100"  # 吉里于孜镇 (county seat)
OPENED = dt.date(2023, 9, 1)

# (name, cohort, grade, track, aid teachers)
CLASSES = (
    ("高一（1）班", 2023, Grade.G10, Track.PILOT, "顾晓东（数学）、钱丽娟（英语）"),
    ("高一（4）班", 2023, Grade.G10, Track.CONTROL, ""),
    ("高二（1）班", 2022, Grade.G11, Track.PILOT, "沈建华（语文）、王海燕（化学）"),
    ("高二（3）班", 2022, Grade.G11, Track.CONTROL, ""),
    ("高三（2）班", 2021, Grade.G12, Track.PILOT, "曹荣彬（语文）、陈志刚（物理）"),
    ("高三（5）班", 2021, Grade.G12, Track.CONTROL, ""),
    ("“1+3”试点班", 2023, Grade.G9, Track.ONE_PLUS_THREE, "吴海波（数学）、黄雅琴（英语）"),
)

EXAMS = {
    "regular": (
        ("2023—2024学年第一学期期中考试", dt.date(2023, 11, 9)),
        ("2023—2024学年第一学期期末考试", dt.date(2024, 1, 11)),
        ("2023—2024学年第二学期期中考试", dt.date(2024, 4, 18)),
        ("2023—2024学年第二学期期末考试", dt.date(2024, 6, 27)),
    ),
    "senior3": (
        ("2023—2024学年第一学期期中考试", dt.date(2023, 11, 9)),
        ("2023—2024学年第一学期期末考试", dt.date(2024, 1, 11)),
        ("伊犁州高三第一次模拟考试", dt.date(2024, 3, 7)),
        ("伊犁州高三第二次模拟考试", dt.date(2024, 4, 25)),
    ),
}
SUBJECTS = (Subject.CHINESE, Subject.MATH, Subject.ENGLISH)
BASE = {Subject.CHINESE: 88.0, Subject.MATH: 72.0, Subject.ENGLISH: 76.0}
GRADE_SHIFT = {Grade.G10: 0.0, Grade.G11: -3.0, Grade.G12: -5.0, Grade.G9: 4.0}


def _share_at_least(score: float, mean: float, sd: float) -> Decimal:
    """Percent of a normal(mean, sd) class scoring at least `score` (illustrative rates)."""
    p = 0.5 * math.erfc((score - mean) / (sd * math.sqrt(2)))
    return Decimal(str(round(100 * p, 1)))


def _summary(track: str, grade: str, subject: str, exam_index: int, class_index: int):
    """A deterministic, illustrative class summary: the pilot's lead over its control grows across the
    year, from within noise (无显著差异) to a clear gap in some subjects."""
    mean = BASE[subject] + GRADE_SHIFT[grade] + ((class_index * 7 + exam_index * 3) % 5) - 2
    sd = 17.0 + ((class_index + exam_index + len(subject)) % 4)
    if track in (Track.PILOT, Track.ONE_PLUS_THREE):
        mean += 1.5 + 2.8 * exam_index + (1.0 if subject == Subject.MATH else 0.0)
        sd -= 1.0
    n = 46 + (class_index * 3 + exam_index) % 6
    return n, Decimal(str(round(mean, 1))), Decimal(str(round(sd, 1)))


def load(ctx):
    program = ctx.program
    seat = ctx.townships[JILIYUZI]
    no2 = ctx.save(
        School(
            program=program,
            name="伊宁县第二中学",
            township=seat,
            stage=SchoolStage.COMPLETE,
            note="“南通班”试点学校；高中各年级设南通班及对照班。",
        )
    )
    no2.aid_projects.set([ctx.projects["NTYN-2023-07"]])
    experimental = ctx.save(
        School(
            program=program,
            name="伊宁县南通第二实验学校",
            township=seat,
            stage=SchoolStage.NINE_YEAR,
            note="总建筑面积4万平方米，可容纳3000名学生，计划2024年9月1日交付。",
        )
    )
    experimental.aid_projects.set([ctx.projects["NTYN-2023-01"]])

    for index, (name, cohort, grade, track, teachers) in enumerate(CLASSES):
        cls = ctx.save(
            TeachingClass(
                school=no2,
                name=name,
                cohort=cohort,
                grade=grade,
                track=track,
                aid_teachers=teachers,
                established_on=OPENED,
                note="示例数据：班级名称、任课教师（曹荣彬除外）为示意。",
            )
        )
        exams = EXAMS["senior3" if grade == Grade.G12 else "regular"]
        for exam_index, (exam_name, exam_date) in enumerate(exams):
            for subject in SUBJECTS:
                n, mean, sd = _summary(track, grade, subject, exam_index, index // 2)
                ctx.save(
                    ExamResult(
                        teaching_class=cls,
                        exam_name=exam_name,
                        exam_date=exam_date,
                        subject=subject,
                        full_score=Decimal("150"),
                        n=n,
                        mean=mean,
                        sd=sd,
                        pass_rate=_share_at_least(90, float(mean), float(sd)),
                        excellent_rate=_share_at_least(120, float(mean), float(sd)),
                        note=ILLUSTRATIVE,
                    )
                )

    fund = ctx.save(
        Fund(
            program=program,
            name="“通伊”教育基金",
            founded_on=dt.date(2023, 8, 18),
            manager="伊宁县教育局",
            purpose="奖励取得优异成绩的学子和坚守教育一线的老师，资助品学兼优的困难学生。",
            note="启动资金118万元（据报道）；各捐赠方金额划分、资助明细为示例数据。",
        )
    )
    # 1 180 000 元 in all, as the article says; the split among donors is illustrative.
    for donor, kind, date, amount in (
        ("南通市红十字会", DonorKind.ORGANIZATION, dt.date(2023, 8, 18), "500000"),
        ("共青团南通市委员会", DonorKind.ORGANIZATION, dt.date(2023, 8, 18), "300000"),
        ("南通爱心企业（多家）", DonorKind.ENTERPRISE, dt.date(2023, 8, 25), "380000"),
    ):
        ctx.save(
            FundDonation(
                fund=fund,
                donor=donor,
                donor_kind=kind,
                date=date,
                amount=Decimal(amount),
                is_founding=True,
                note="启动资金（示例：金额划分为示意）",
            )
        )
    for kind, recipient_kind, recipients, amount, date, note in (
        (
            GrantKind.TEACHING_AWARD,
            RecipientKind.TEACHER,
            20,
            "40000",
            dt.date(2023, 9, 8),
            "教师节表彰一线教师",
        ),
        (
            GrantKind.BURSARY,
            RecipientKind.STUDENT,
            50,
            "100000",
            dt.date(2023, 9, 8),
            "资助品学兼优的困难学生",
        ),
        (
            GrantKind.SCHOLARSHIP,
            RecipientKind.STUDENT,
            60,
            "60000",
            dt.date(2024, 1, 26),
            "期末考试成绩优异学生",
        ),
        (GrantKind.BURSARY, RecipientKind.STUDENT, 30, "45000", dt.date(2024, 3, 1), "春季学期助学"),
    ):
        ctx.save(
            FundGrant(
                fund=fund,
                kind=kind,
                recipient_kind=recipient_kind,
                recipients=recipients,
                amount=Decimal(amount),
                date=date,
                note=f"{note}（示例数据）",
            )
        )
