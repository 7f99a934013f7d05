"""智力援疆 demo records for 南通工作组（第十一批）, reconstructed from the seed article.

The article gives, for the first year (首年答卷):
- "协调引进经济招商、农林科技等紧缺领域人才进疆开展工作86人次" → visits totalling 86 人次, all in
  shortage fields (经济招商, 农林科技 and others);
- "推动中国科学院植物研究所顾春笋团队与伊宁县人民政府签订框架协议" → one framework agreement;
- "投入援疆资金480万元，组织伊宁县党政干部、乡村干部、专业技术人才赴内地或就地培训3100余人次" →
  42 courses (as the training project NTYN-2023-03 of demo/data.py reports) for 3 150 人次 and
  exactly 4 800 000 元, all paid by that project;
- the people it names: 组长施张范, 副组长杨永辉, 医生赵东生 (伊宁县人民医院心血管内科副主任), 教师曹荣彬
  (伊宁县第二中学高三南通班).

Everything else — the other aid workers and their names, units and terms, each visit, the dates, the
agreement's date, each course — is illustrative and marked so (示例数据).
"""

import datetime as dt
from decimal import Decimal

from yuanjiang.demo.data import DEMO_NOTE
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution
from yuanjiang.talent import services
from yuanjiang.talent.choices import (
    AgreementKind,
    Audience,
    GroupRole,
    Sector,
    TermKind,
    TrainingMode,
    WorkerKind,
)
from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse

D = dt.date.fromisoformat
TRAINING_PROJECT = "NTYN-2023-03"  # 干部人才培训项目, 援疆资金 4 800 000 元 (demo/data.py)
FROM_ARTICLE = "见报道"
ILLUSTRATIVE = "示例数据：人员及任职信息为示意"
TERM = (D("2023-04-01"), D("2026-03-31"))  # the batch's three-year term

# (name, kind, sector, group role, home unit, host unit, post, term kind, start, end, note)
WORKERS = (
    (
        "施张范",
        WorkerKind.CADRE,
        Sector.GENERAL,
        GroupRole.LEADER,
        "南通市（派出单位示意）",
        "伊宁县",
        "江苏援伊·南通工作组组长",
        TermKind.LONG,
        *TERM,
        f"{FROM_ARTICLE}；任职信息为示意",
    ),
    (
        "杨永辉",
        WorkerKind.CADRE,
        Sector.INDUSTRY,
        GroupRole.DEPUTY,
        "南通市（派出单位示意）",
        "伊宁县",
        "江苏援伊·南通工作组副组长",
        TermKind.LONG,
        *TERM,
        f"{FROM_ARTICLE}；任职信息为示意",
    ),
    (
        "赵东生",
        WorkerKind.DOCTOR,
        Sector.HEALTH,
        GroupRole.MEMBER,
        "南通市第一人民医院（示意）",
        "伊宁县人民医院",
        "心血管内科副主任",
        TermKind.SHORT,
        D("2023-08-01"),
        D("2025-01-31"),
        f"{FROM_ARTICLE}；派出单位与任期为示意",
    ),
    (
        "曹荣彬",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.MEMBER,
        "南通市（派出学校示意）",
        "伊宁县第二中学",
        "高三南通班学科教师",
        TermKind.SHORT,
        D("2023-08-15"),
        D("2025-01-20"),
        f"{FROM_ARTICLE}；派出学校与任期为示意",
    ),
    (
        "陈立群",
        WorkerKind.CADRE,
        Sector.GENERAL,
        GroupRole.TEAM_HEAD,
        "南通市委组织部",
        "中共伊宁县委组织部",
        "副部长",
        TermKind.LONG,
        *TERM,
        ILLUSTRATIVE,
    ),
    (
        "顾海峰",
        WorkerKind.CADRE,
        Sector.INDUSTRY,
        GroupRole.TEAM_HEAD,
        "南通市商务局",
        "伊宁县商务和工业信息化局",
        "副局长",
        TermKind.LONG,
        *TERM,
        ILLUSTRATIVE,
    ),
    (
        "钱晓东",
        WorkerKind.CADRE,
        Sector.GENERAL,
        GroupRole.MEMBER,
        "南通市通州区人民政府办公室",
        "伊宁县人民政府办公室",
        "副主任",
        TermKind.LONG,
        *TERM,
        ILLUSTRATIVE,
    ),
    (
        "黄志明",
        WorkerKind.PROFESSIONAL,
        Sector.AGRICULTURE,
        GroupRole.MEMBER,
        "南通市农业科学研究院",
        "伊宁县农业农村局",
        "农技推广专家",
        TermKind.LONG,
        *TERM,
        ILLUSTRATIVE,
    ),
    (
        "徐静",
        WorkerKind.PROFESSIONAL,
        Sector.PLANNING,
        GroupRole.MEMBER,
        "南通市自然资源和规划局",
        "伊宁县自然资源局",
        "规划技术专家",
        TermKind.LONG,
        *TERM,
        ILLUSTRATIVE,
    ),
    (
        "季红梅",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.TEAM_HEAD,
        "江苏省南通中学",
        "伊宁县第二中学",
        "副校长",
        TermKind.SHORT,
        D("2023-08-15"),
        D("2025-01-20"),
        ILLUSTRATIVE,
    ),
    (
        "朱文博",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.MEMBER,
        "南通市第一中学",
        "伊宁县第二中学",
        "高二数学教师",
        TermKind.SHORT,
        D("2023-08-15"),
        D("2025-01-20"),
        ILLUSTRATIVE,
    ),
    (
        "邱雅琴",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.MEMBER,
        "海安高级中学",
        "伊宁县第二中学",
        "高一英语教师",
        TermKind.SHORT,
        D("2023-08-15"),
        D("2025-01-20"),
        ILLUSTRATIVE,
    ),
    (
        "沈国庆",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.MEMBER,
        "如皋中学",
        "伊宁县第三中学",
        "物理教师",
        TermKind.SHORT,
        D("2023-08-15"),
        D("2024-01-15"),
        f"{ILLUSTRATIVE}；半年期满离岗",
    ),
    (
        "陆思远",
        WorkerKind.TEACHER,
        Sector.EDUCATION,
        GroupRole.MEMBER,
        "南通市实验小学",
        "伊宁县南通实验学校",
        "语文教师",
        TermKind.SHORT,
        D("2024-02-20"),
        D("2025-07-10"),
        ILLUSTRATIVE,
    ),
    (
        "蔡明亮",
        WorkerKind.DOCTOR,
        Sector.HEALTH,
        GroupRole.TEAM_HEAD,
        "南通市第一人民医院",
        "伊宁县人民医院",
        "副院长",
        TermKind.SHORT,
        D("2023-08-01"),
        D("2025-01-31"),
        ILLUSTRATIVE,
    ),
    (
        "吴晓燕",
        WorkerKind.DOCTOR,
        Sector.HEALTH,
        GroupRole.MEMBER,
        "南通市中医院",
        "伊宁县中医医院",
        "针灸科医师",
        TermKind.SHORT,
        D("2023-08-01"),
        D("2025-01-31"),
        ILLUSTRATIVE,
    ),
    (
        "刘建新",
        WorkerKind.DOCTOR,
        Sector.HEALTH,
        GroupRole.MEMBER,
        "南通大学附属医院",
        "伊宁县人民医院",
        "麻醉科医师",
        TermKind.SHORT,
        D("2023-08-01"),
        D("2024-01-31"),
        f"{ILLUSTRATIVE}；半年期满离岗",
    ),
    (
        "孙卫东",
        WorkerKind.DOCTOR,
        Sector.HEALTH,
        GroupRole.MEMBER,
        "南通市妇幼保健院",
        "伊宁县妇幼保健院",
        "儿科医师",
        TermKind.SHORT,
        D("2024-02-01"),
        D("2025-07-31"),
        ILLUSTRATIVE,
    ),
    (
        "周海波",
        WorkerKind.FLEXIBLE,
        Sector.AGRICULTURE,
        GroupRole.MEMBER,
        "江苏省农业科学院",
        "伊宁县林业和草原局",
        "林果技术柔性援疆专家",
        TermKind.FLEXIBLE,
        D("2024-04-10"),
        D("2024-07-10"),
        ILLUSTRATIVE,
    ),
)

# (experts, field code, institution (name, kind) or None, host unit, start, end, people, person-times, work)
# Person-times sum to 86, every field a shortage field (紧缺领域).
VISITS = (
    (
        "顾春笋团队",
        "agri-tech",
        ("中国科学院植物研究所", InstitutionKind.RESEARCH),
        "伊宁县农业农村局",
        D("2023-07-10"),
        D("2023-07-16"),
        4,
        4,
        "考察伊宁县特色林果及药用植物资源，对接科技合作",
    ),
    (
        "顾春笋团队",
        "agri-tech",
        ("中国科学院植物研究所", InstitutionKind.RESEARCH),
        "伊宁县人民政府",
        D("2024-05-20"),
        D("2024-05-25"),
        3,
        3,
        "签订科技合作框架协议，开展种质资源调查",
    ),
    (
        "南京大学生命科学学院桑蚕专家组",
        "agri-tech",
        ("南京大学生命科学学院", InstitutionKind.UNIVERSITY),
        "伊宁县农业农村局",
        D("2023-09-05"),
        D("2023-09-12"),
        5,
        5,
        "桑蚕优质高效种养技术指导",
    ),
    (
        "江苏省农业科学院果树专家",
        "agri-tech",
        ("江苏省农业科学院", InstitutionKind.RESEARCH),
        "伊宁县林业和草原局",
        D("2023-10-08"),
        D("2024-04-30"),
        3,
        9,
        "杏、苹果病虫害防治，三次往返现场指导",
    ),
    (
        "南通市招商专家组",
        "economy",
        None,
        "伊宁县商务和工业信息化局",
        D("2023-06-12"),
        D("2023-06-20"),
        8,
        8,
        "梳理伊宁县产业链图谱，编制招商项目库",
    ),
    (
        "南通市招商专家组",
        "economy",
        None,
        "伊宁县商务和工业信息化局",
        D("2023-11-06"),
        D("2023-11-12"),
        10,
        10,
        "陪同客商考察青创园及纺织产业园",
    ),
    (
        "南通市纺织行业专家",
        "economy",
        None,
        "伊宁县纺织产业园",
        D("2024-03-18"),
        D("2024-03-24"),
        6,
        6,
        "纺织企业生产管理与订单对接",
    ),
    (
        "南通市第一人民医院候鸟式专家",
        "health",
        ("南通市第一人民医院", InstitutionKind.HOSPITAL),
        "伊宁县人民医院",
        D("2023-09-18"),
        D("2024-05-31"),
        6,
        18,
        "心内科、骨科专家分批坐诊带教（每人三次）",
    ),
    (
        "南通市中医院候鸟式专家",
        "health",
        ("南通市中医院", InstitutionKind.HOSPITAL),
        "伊宁县中医医院",
        D("2023-10-16"),
        D("2024-04-26"),
        4,
        8,
        "针灸、康复技术指导（每人两次）",
    ),
    (
        "南通市教育名师工作室",
        "education",
        None,
        "伊宁县教育局",
        D("2023-12-04"),
        D("2023-12-10"),
        10,
        10,
        "高三备考送教及教研指导",
    ),
    (
        "南通市规划设计院专家",
        "planning",
        None,
        "伊宁县自然资源局",
        D("2024-04-15"),
        D("2024-04-21"),
        5,
        5,
        "县城更新及青创园规划咨询",
    ),
)

# Training: two phases matching the training project's progress reports (19 courses and 1 420 人次
# by October 2023, 42 courses and 3 150 人次 in all), 2 100 000 + 2 700 000 = 4 800 000 元.
# (audience, mode, name, place, organizer, days, participants, funds per course, count per phase)
COURSE_KINDS = (
    (
        Audience.CADRE,
        TrainingMode.MAINLAND,
        "伊宁县党政干部赴南通能力提升培训班",
        "南通市委党校",
        "中共伊宁县委组织部",
        7,
        40,
        "180000",
        (5, 6),
    ),
    (
        Audience.PROFESSIONAL,
        TrainingMode.MAINLAND,
        "专业技术人才赴南通跟岗实训班",
        "南通市相关医院、学校",
        "伊宁县人力资源和社会保障局",
        20,
        30,
        "150000",
        (3, 4),
    ),
    (
        Audience.VILLAGE,
        TrainingMode.LOCAL,
        "乡村干部就地培训班",
        "伊宁县委党校",
        "中共伊宁县委组织部",
        5,
        (110, 120),
        "60000",
        (6, 8),
    ),
    (
        Audience.PROFESSIONAL,
        TrainingMode.LOCAL,
        "南通名师名医送教送培班",
        "伊宁县",
        "江苏援伊·南通工作组",
        3,
        (94, 82),
        ("78000", "108000"),
        (5, 5),
    ),
)
PHASES = ((D("2023-05-20"), D("2023-09-15")), (D("2023-10-16"), D("2024-03-10")))


def _institution(ctx, name: str, kind: str) -> Institution:
    """Shared reference record: reuse the one another app's demo may already have created."""
    existing = Institution.objects.filter(name=name).first()
    return existing or ctx.save(Institution(name=name, kind=kind, note="演示数据（示意）"))


def _courses():
    """The 42 illustrative courses, spread evenly over each phase."""
    for phase, (first, last) in enumerate(PHASES):
        by_kind = []
        for audience, mode, name, place, organizer, days, people, funds, counts in COURSE_KINDS:
            n = people[phase] if isinstance(people, tuple) else people
            money = funds[phase] if isinstance(funds, tuple) else funds
            offset = sum(counts[:phase])
            by_kind.append(
                [
                    (
                        audience,
                        mode,
                        f"{name}（第{offset + i + 1}期）",
                        place,
                        organizer,
                        days,
                        n,
                        Decimal(money),
                    )
                    for i in range(counts[phase])
                ]
            )
        # Interleave the kinds, so that each kind's courses spread over the phase.
        rows = [kind[i] for i in range(max(map(len, by_kind))) for kind in by_kind if i < len(kind)]
        span = (last - first).days
        for i, row in enumerate(rows):
            start = first + dt.timedelta(days=span * i // max(len(rows) - 1, 1))
            yield start, row


def load(ctx):
    services.reference_load()
    program = ctx.program
    for name, kind, sector, role, home, host, post, term_kind, start, end, note in WORKERS:
        ctx.save(
            AidWorker(
                program=program,
                name=name,
                kind=kind,
                sector=sector,
                group_role=role,
                home_unit=home,
                host_unit=host,
                post=post,
                term_kind=term_kind,
                term_start=start,
                term_end=end,
                note=note,
            )
        )

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
                note=DEMO_NOTE,
            )
        )

    ctx.save(
        Agreement(
            program=program,
            kind=AgreementKind.FRAMEWORK,
            title="中国科学院植物研究所与伊宁县人民政府科技合作框架协议",
            signed_on=D("2024-05-22"),
            institution=_institution(ctx, "中国科学院植物研究所", InstitutionKind.RESEARCH),
            government_party="伊宁县人民政府",
            counterpart_team="顾春笋团队",
            subject="在特色林果、药用植物资源保护与利用、种质资源调查等方面开展科技合作（事项为示意）。",
            note="协议见报道；签订日期与事项为示意。",
        )
    )

    project = ctx.projects[TRAINING_PROJECT]
    for start, (audience, mode, name, place, organizer, days, participants, funds) in _courses():
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
                aid_funds=funds,
                project=project,
                note=DEMO_NOTE,
            )
        )

    # The second, illustrative program has a roster of its own (scoping: neither sees the other's).
    for name, kind, host, post in (
        ("韩立", WorkerKind.CADRE, "伊宁市人民政府", "南京工作组组长（示意）"),
        ("许文", WorkerKind.DOCTOR, "伊宁市人民医院", "骨科医师（示意）"),
    ):
        ctx.save(
            AidWorker(
                program=ctx.second_program,
                name=name,
                kind=kind,
                home_unit="南京市（示意）",
                host_unit=host,
                post=post,
                term_start=D("2023-04-01"),
                term_end=D("2026-03-31"),
                note="南京工作组纯属示意，仅用于演示数据权限。",
            )
        )
