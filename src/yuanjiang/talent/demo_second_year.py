"""智力援疆 (talent) in the demo's second year (2024-07-01 to 2025-06-30): wholly illustrative (示意).

Visits of experts in shortage fields, two framework agreements, and the year's training courses:
those of the second half of 2024 paid from the program's own training funds (no aid project), those
of 2025 charged to the 2025 training project (NTYN-2025-03, demo/second_year.py). Nothing is dated
before 2024-07-01: the first year's 86 人次, 42 courses and 3 150 人次 stay the article's.
"""

import datetime as dt
from decimal import Decimal

from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.talent.choices import AgreementKind, Audience, TrainingMode
from yuanjiang.talent.demo_records import D, _institution
from yuanjiang.talent.models import Agreement, TalentField, TalentVisit, TrainingCourse

NOTE = "示例数据（第二年，示意）"
TRAINING_PROJECT_2025 = "NTYN-2025-03"

# (experts, field, institution (name, kind) or None, host, start, end, people, person-times, work)
VISITS = (
    (
        "南通市招商专家组（示意）",
        "economy",
        None,
        "伊宁县商务和工业信息化局",
        D("2024-08-18"),
        D("2024-08-24"),
        4,
        4,
        "梳理农副产品精深加工产业链，研判招商项目（示意）",
    ),
    (
        "江苏省农业科学院果树专家",
        "agri-tech",
        ("江苏省农业科学院", InstitutionKind.RESEARCH),
        "伊宁县林业和草原局",
        D("2024-09-10"),
        D("2024-09-20"),
        3,
        3,
        "杏树秋季修剪及病虫害防治现场指导（示意）",
    ),
    (
        "南通市规划设计专家（示意）",
        "planning",
        None,
        "伊宁县自然资源局",
        D("2024-11-04"),
        D("2024-11-15"),
        2,
        2,
        "县城南新区控制性详细规划评审（示意）",
    ),
    (
        "南京大学生命科学学院桑蚕专家组",
        "agri-tech",
        ("南京大学生命科学学院", InstitutionKind.UNIVERSITY),
        "伊宁县农业农村局",
        D("2025-04-14"),
        D("2025-04-22"),
        4,
        4,
        "春蚕饲养及小蚕共育技术指导（示意）",
    ),
    (
        "南通市第一人民医院专家团队（示意）",
        "health",
        None,
        "伊宁县人民医院",
        D("2025-05-12"),
        D("2025-06-10"),
        5,
        5,
        "胸痛中心、卒中中心建设指导（示意）",
    ),
)

# (audience, mode, name, place, organizer, start, days, participants, aid funds, charged to the 2025 project)
COURSES = (
    (
        Audience.CADRE,
        TrainingMode.MAINLAND,
        "伊宁县党政干部赴南通能力提升培训班（2024年秋季）",
        "南通市委党校",
        "中共伊宁县委组织部",
        D("2024-09-09"),
        7,
        40,
        "180000",
        False,
    ),
    (
        Audience.VILLAGE,
        TrainingMode.LOCAL,
        "乡村干部就地培训班（2024年第1期）",
        "伊宁县委党校",
        "中共伊宁县委组织部",
        D("2024-10-14"),
        5,
        120,
        "60000",
        False,
    ),
    (
        Audience.PROFESSIONAL,
        TrainingMode.MAINLAND,
        "专业技术人才赴南通跟岗实训班（2024年）",
        "南通市相关医院、学校",
        "伊宁县人力资源和社会保障局",
        D("2024-10-21"),
        20,
        30,
        "150000",
        False,
    ),
    (
        Audience.TEACHER,
        TrainingMode.LOCAL,
        "南通名师送教送培班（2024年冬季）",
        "伊宁县",
        "江苏援伊·南通工作组",
        D("2024-11-25"),
        3,
        110,
        "70000",
        False,
    ),
    (
        Audience.VILLAGE,
        TrainingMode.LOCAL,
        "乡村干部就地培训班（2024年第2期）",
        "伊宁县委党校",
        "中共伊宁县委组织部",
        D("2024-12-09"),
        5,
        115,
        "60000",
        False,
    ),
    (
        Audience.CADRE,
        TrainingMode.MAINLAND,
        "伊宁县党政干部赴南通能力提升培训班（2025年春季）",
        "南通市委党校",
        "中共伊宁县委组织部",
        D("2025-03-10"),
        7,
        40,
        "185000",
        True,
    ),
    (
        Audience.MEDICAL,
        TrainingMode.LOCAL,
        "南通名医送教送培班（2025年）",
        "伊宁县人民医院",
        "江苏援伊·南通工作组",
        D("2025-04-07"),
        3,
        90,
        "80000",
        True,
    ),
    (
        Audience.VILLAGE,
        TrainingMode.LOCAL,
        "乡村干部就地培训班（2025年第1期）",
        "伊宁县委党校",
        "中共伊宁县委组织部",
        D("2025-04-21"),
        5,
        120,
        "62000",
        True,
    ),
    (
        Audience.ENTREPRENEUR,
        TrainingMode.MAINLAND,
        "企业经营管理人才赴南通研修班（2025年）",
        "南通大学",
        "伊宁县商务和工业信息化局",
        D("2025-05-19"),
        10,
        35,
        "160000",
        True,
    ),
    (
        Audience.PROFESSIONAL,
        TrainingMode.ONLINE,
        "专业技术人才线上专题培训（2025年）",
        "线上",
        "伊宁县人力资源和社会保障局",
        D("2025-06-09"),
        2,
        260,
        "30000",
        True,
    ),
)


def load(ctx):
    program = ctx.program
    fields = {f.code: f for f in TalentField.objects.all()}
    for experts, field, institution, host, start, end, people, times, work in VISITS:
        ctx.save(
            TalentVisit(
                program=program,
                field=fields[field],
                institution=_institution(ctx, *institution) if institution else None,
                experts=experts,
                host_unit=host,
                start=start,
                end=end,
                people=people,
                person_times=times,
                work=work,
                note=NOTE,
            )
        )
    for signed_on, title, institution, team, subject in (
        (
            D("2024-11-08"),
            "江苏省农业科学院与伊宁县人民政府特色林果科技合作框架协议（示意）",
            ("江苏省农业科学院", InstitutionKind.RESEARCH),
            "江苏省农业科学院果树专家",
            "在杏、苹果良种引进和病虫害绿色防控方面开展合作（示意）。",
        ),
        (
            D("2025-05-16"),
            "南京大学生命科学学院与伊宁县人民政府桑蚕产业合作框架协议（示意）",
            ("南京大学生命科学学院", InstitutionKind.UNIVERSITY),
            "南京大学生命科学学院桑蚕专家组",
            "在桑蚕良种繁育、小蚕共育和茧丝加工方面开展合作（示意）。",
        ),
    ):
        ctx.save(
            Agreement(
                program=program,
                kind=AgreementKind.FRAMEWORK,
                title=title,
                signed_on=signed_on,
                institution=_institution(ctx, *institution),
                government_party="伊宁县人民政府",
                counterpart_team=team,
                subject=subject,
                note=NOTE,
            )
        )
    project = ctx.projects[TRAINING_PROJECT_2025]
    for audience, mode, name, place, organizer, start, days, participants, funds, charged in COURSES:
        ctx.save(
            TrainingCourse(
                program=program,
                name=name,
                audience=audience,
                mode=mode,
                place=place,
                organizer=organizer,
                start=start,
                end=start + dt.timedelta(days=days - 1),
                participants=participants,
                aid_funds=Decimal(funds),
                project=project if charged else None,
                note=NOTE,
            )
        )
