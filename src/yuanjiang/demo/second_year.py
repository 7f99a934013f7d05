"""The demo's second year (示意): the aid projects from 2024-07-01 to DEMO_AS_OF (2025-06-30).

The first demo year reproduces the seed article (data.py, as of ARTICLE_AS_OF = 2024-06-30). This
module continues it, all of it illustrative (示例数据, every record says 示意):

- the 2023 projects' later money (final 拨付 and 支出) and progress reports, the completion and
  acceptance of those still open — except the 南通第二实验学校 (NTYN-2023-01), still not completed:
  its planned delivery of 2024-09-01 has passed, which is what the early warnings show;
- four projects of the 2025 annual plan (计划年度 2025).

Nothing here is dated before 2024-07-01, so the first year's figures and the article's period
(2023-04-01 to 2024-06-30) stay exactly as the article has them. No project has plan year 2024: a
program year's plans are those of its calendar years (docs/metrics.md, "Period rules"), so a 2024
plan would count among the first year's 15 projects.
"""

from yuanjiang.demo.data import (
    DRC,
    EDU_BUREAU,
    HEALTH_COMMISSION,
    HOUSING_BUREAU,
    JILIYUZI,
    D,
    Project,
    Report,
    Txn,
    yuan,
)
from yuanjiang.projects.choices import Category, DeliveryMode, Nature, TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport

NOTE = "示例数据（第二年，示意）"
FIRST_DAY = D("2024-07-01")  # nothing of the second year is dated earlier
TULUFANYUZI = "654021201"  # 吐鲁番于孜乡 (杏花沟)

# The 2023 projects after the article: (code, milestones to set, 拨付, 支出, progress reports).
# Milestones are those still empty in data.py; amounts keep 拨付 ≤ 下达 and 支出 ≤ 拨付.
LATER: tuple[tuple[str, dict, tuple[Txn, ...], tuple[Txn, ...], tuple[Report, ...]], ...] = (
    (
        "NTYN-2023-01",
        {},  # still not completed (the early warnings' overdue delivery)
        (
            Txn(D("2024-08-20"), yuan("15 000 000"), "伊县援疆拨〔2024〕26号（示意）", "按进度拨付"),
            Txn(D("2025-01-20"), yuan("5 000 000"), "伊县援疆拨〔2025〕02号（示意）", "按进度拨付"),
        ),
        (
            Txn(D("2024-09-25"), yuan("18 500 000"), "记-2024-0918（示意）", "装修及室外工程进度款"),
            Txn(D("2025-03-28"), yuan("9 600 000"), "记-2025-0321（示意）", "设备安装及室外工程款"),
        ),
        (
            Report(
                D("2024-09-10"),
                yuan("186 000 000"),
                92,
                "教学楼、实验楼装修完成，室外运动场施工中（示意）。",
                "部分教学设备未到货，交付推迟。",
                "10月底前完成室外工程，组织分部验收。",
            ),
            Report(
                D("2024-12-20"),
                yuan("192 000 000"),
                96,
                "室外工程基本完成，消防和节能专项验收准备中（示意）。",
                "冬季无法进行室外绿化。",
                "开春后完成绿化，申请消防验收。",
            ),
            Report(
                D("2025-05-28"),
                yuan("196 000 000"),
                98,
                "绿化完成，消防验收整改中（示意）。",
                "消防验收提出整改意见3项。",
                "6月完成整改，申请竣工验收。",
            ),
        ),
    ),
    (
        "NTYN-2023-05",
        {"actual_acceptance": D("2024-09-26")},
        (Txn(D("2024-10-15"), yuan("1 200 000"), "伊县援疆拨〔2024〕31号（示意）", "验收后结算"),),
        (Txn(D("2024-11-05"), yuan("1 300 000"), "记-2024-1102（示意）", "结算"),),
        (Report(D("2024-09-26"), yuan("7 200 000"), 100, "通过竣工验收（示意）。"),),
    ),
    (
        "NTYN-2023-08",
        {},
        (Txn(D("2024-08-05"), yuan("1 700 000"), "伊县援疆拨〔2024〕24号（示意）", "审计后结算"),),
        (Txn(D("2024-08-28"), yuan("1 700 000"), "记-2024-0825（示意）", "结算"),),
        (),
    ),
    (
        "NTYN-2023-09",
        {"actual_acceptance": D("2024-09-20")},
        (Txn(D("2024-10-10"), yuan("1 120 000"), "伊县援疆拨〔2024〕30号（示意）", "验收后结算"),),
        (Txn(D("2024-10-30"), yuan("1 150 000"), "记-2024-1024（示意）", "结算"),),
        (Report(D("2024-09-20"), yuan("5 600 000"), 100, "通过竣工验收，受益群众饮水达标（示意）。"),),
    ),
    (
        "NTYN-2023-10",
        {"actual_completion": D("2024-11-28"), "actual_acceptance": D("2025-03-25")},
        (
            Txn(D("2024-08-15"), yuan("4 500 000"), "伊县援疆拨〔2024〕25号（示意）", "按进度拨付"),
            Txn(D("2025-04-10"), yuan("1 500 000"), "伊县援疆拨〔2025〕06号（示意）", "验收后结算"),
        ),
        (
            Txn(D("2024-10-18"), yuan("4 600 000"), "记-2024-1015（示意）", "主体工程款"),
            Txn(D("2025-04-25"), yuan("1 600 000"), "记-2025-0420（示意）", "结算"),
        ),
        (
            Report(D("2024-09-30"), yuan("19 600 000"), 88, "厂房主体完工，配套管网施工中（示意）。"),
            Report(D("2024-11-28"), yuan("22 000 000"), 100, "一期标准化厂房完工（示意）。"),
        ),
    ),
    (
        "NTYN-2023-11",
        {"actual_acceptance": D("2024-10-28")},
        (Txn(D("2024-11-12"), yuan("650 000"), "伊县援疆拨〔2024〕33号（示意）", "验收后结算"),),
        (Txn(D("2024-11-26"), yuan("800 000"), "记-2024-1120（示意）", "结算"),),
        (),
    ),
    (
        "NTYN-2023-12",
        {"actual_acceptance": D("2024-07-12")},
        (Txn(D("2024-07-25"), yuan("300 000"), "伊县援疆拨〔2024〕21号（示意）", "绩效评价后拨付"),),
        (Txn(D("2024-08-09"), yuan("350 000"), "记-2024-0806（示意）", "结算"),),
        (),
    ),
    (
        "NTYN-2023-14",
        {"actual_acceptance": D("2024-08-28")},
        (Txn(D("2024-09-12"), yuan("450 000"), "伊县援疆拨〔2024〕28号（示意）", "验收后结算"),),
        (Txn(D("2024-09-26"), yuan("550 000"), "记-2024-0922（示意）", "结算"),),
        (),
    ),
    (
        "NTYN-2023-15",
        {"actual_completion": D("2024-10-25"), "actual_acceptance": D("2025-04-18")},
        (
            Txn(D("2024-07-15"), yuan("660 000"), "伊县援疆拨〔2024〕20号（示意）", "按进度拨付"),
            Txn(D("2025-05-06"), yuan("300 000"), "伊县援疆拨〔2025〕08号（示意）", "验收后结算"),
        ),
        (
            Txn(D("2024-09-05"), yuan("800 000"), "记-2024-0902（示意）"),
            Txn(D("2025-05-20"), yuan("500 000"), "记-2025-0516（示意）", "结算"),
        ),
        (
            Report(D("2024-08-20"), yuan("2 200 000"), 75, "蚕房主体完工，桑园灌溉设施施工中（示意）。"),
            Report(D("2024-10-25"), yuan("2 900 000"), 100, "蚕房、桑园灌溉及小蚕共育室全部完工（示意）。"),
        ),
    ),
)


def _plan(code, name, category, nature, township, **fields) -> Project:
    return Project(
        code=code, name=name, category=category, nature=nature, township=township, plan_year=2025, **fields
    )


# The 2025 annual plan (计划年度 2025): three started by the end of the second program year
# (2025-03-31), the fourth in May — 第二年 开工率 75%, 2025年上半年 100%.
PLAN_2025: tuple[Project, ...] = (
    _plan(
        "NTYN-2025-01",
        "伊宁县城南新区学校体育馆及附属设施建设项目（示意）",
        Category.EDUCATION,
        Nature.NEW,
        JILIYUZI,
        delivery_mode=DeliveryMode.TURNKEY,
        location_detail="伊宁县城南新区（示意）",
        implementing_unit=EDU_BUREAU,
        supervising_unit=HOUSING_BUREAU,
        aid_side_contact="陆志成",
        local_contact="阿不都热合曼·买买提",
        total_investment=yuan("25 000 000"),
        aid_funds=yuan("18 000 000"),
        content="新建体育馆一座及连廊、看台等附属设施（示例数据）。",
        outputs=(("建筑面积", yuan("6500"), "平方米"),),
        commitment=(D("2025-02-18"), "伊县援疆资〔2025〕03号（示意）"),
        disbursements=(
            Txn(D("2025-03-28"), yuan("11 000 000"), "伊县援疆拨〔2025〕04号（示意）", "预付工程款"),
        ),
        expenditures=(Txn(D("2025-06-20"), yuan("6 200 000"), "记-2025-0615（示意）", "基础及主体工程款"),),
        reports=(Report(D("2025-06-25"), yuan("8 800 000"), 35, "基础完工，主体钢结构吊装中（示意）。"),),
        expected_beneficiaries=3000,
        expected_jobs=80,
        planned_start=D("2025-03-15"),
        actual_start=D("2025-03-20"),
        planned_completion=D("2025-10-31"),
    ),
    _plan(
        "NTYN-2025-02",
        "伊宁县中医医院治未病中心建设项目（示意）",
        Category.HEALTH,
        Nature.RENOVATION,
        JILIYUZI,
        delivery_mode=DeliveryMode.CHEQUE,
        location_detail="伊宁县中医医院（示意）",
        implementing_unit=HEALTH_COMMISSION,
        supervising_unit=HEALTH_COMMISSION,
        aid_side_contact="赵东生",
        local_contact="古丽娜尔·吐尔逊",
        total_investment=yuan("5 000 000"),
        aid_funds=yuan("4 500 000"),
        content="改造治未病中心业务用房，配置中医体质辨识、康复理疗设备（示例数据）。",
        outputs=(("改造面积", yuan("1800"), "平方米"),),
        commitment=(D("2025-02-18"), "伊县援疆资〔2025〕04号（示意）"),
        disbursements=(Txn(D("2025-03-30"), yuan("2 800 000"), "伊县援疆拨〔2025〕05号（示意）"),),
        expenditures=(Txn(D("2025-06-12"), yuan("2 100 000"), "记-2025-0608（示意）", "改造工程款"),),
        reports=(Report(D("2025-06-18"), yuan("2 600 000"), 55, "业务用房改造过半，设备招标完成（示意）。"),),
        expected_beneficiaries=20000,
        planned_start=D("2025-03-20"),
        actual_start=D("2025-03-26"),
        planned_completion=D("2025-09-30"),
    ),
    _plan(
        "NTYN-2025-03",
        "2025年度干部人才培训项目（示意）",
        Category.TALENT,
        Nature.NON_CONSTRUCTION,
        None,
        delivery_mode=DeliveryMode.CHEQUE,
        location_detail="南通市、伊宁县",
        implementing_unit="中共伊宁县委组织部",
        supervising_unit="中共伊宁县委组织部",
        aid_side_contact="钱伟",
        local_contact="马晓燕",
        total_investment=yuan("4 200 000"),
        aid_funds=yuan("4 200 000"),
        content="组织党政干部、乡村干部、专业技术人才赴南通或就地培训（示例数据）。",
        outputs=(("培训人次", yuan("2800"), "人次"),),
        commitment=(D("2025-01-10"), "伊县援疆资〔2025〕01号（示意）"),
        disbursements=(Txn(D("2025-02-20"), yuan("2 600 000"), "伊县援疆拨〔2025〕03号（示意）"),),
        expenditures=(Txn(D("2025-06-26"), yuan("1 900 000"), "记-2025-0622（示意）", "上半年培训班费用"),),
        reports=(Report(D("2025-06-28"), yuan("1 900 000"), 45, "上半年举办培训班16期（示意）。"),),
        planned_start=D("2025-03-01"),
        actual_start=D("2025-03-03"),
        planned_completion=D("2025-12-31"),
    ),
    _plan(
        "NTYN-2025-04",
        "吐鲁番于孜乡杏花沟旅游基础设施提升项目（示意）",
        Category.CULTURE,
        Nature.RENOVATION,
        TULUFANYUZI,
        delivery_mode=DeliveryMode.CHEQUE,
        location_detail="吐鲁番于孜乡杏花沟景区（示意）",
        implementing_unit="伊宁县文化体育广播电视和旅游局",
        supervising_unit=DRC,
        aid_side_contact="顾晓峰",
        local_contact="努尔兰·哈力木",
        total_investment=yuan("6 000 000"),
        aid_funds=yuan("5 000 000"),
        content="改造景区游步道、停车场和游客服务点（示例数据）。",
        outputs=(("游步道", yuan("3.2"), "公里"),),
        commitment=(D("2025-03-05"), "伊县援疆资〔2025〕05号（示意）"),
        disbursements=(Txn(D("2025-05-15"), yuan("3 000 000"), "伊县援疆拨〔2025〕07号（示意）"),),
        expenditures=(Txn(D("2025-06-24"), yuan("1 400 000"), "记-2025-0620（示意）", "游步道工程款"),),
        reports=(
            Report(D("2025-06-27"), yuan("1 800 000"), 30, "游步道完成1.1公里，停车场基层施工中（示意）。"),
        ),
        expected_beneficiaries=8000,
        expected_jobs=40,
        planned_start=D("2025-04-20"),
        actual_start=D("2025-05-12"),
        planned_completion=D("2025-10-15"),
    ),
)


def _later(project: AidProject, save, milestones, disbursements, expenditures, reports, result):
    for name, value in milestones.items():
        setattr(project, name, value)
    if milestones:
        save(project)
    txns = [(t.date, 1, TransactionKind.DISBURSEMENT, t) for t in disbursements]
    txns += [(t.date, 2, TransactionKind.EXPENDITURE, t) for t in expenditures]
    for _date, _order, kind, t in sorted(txns, key=lambda x: (x[0], x[1])):
        save(
            FundTransaction(
                project=project,
                kind=kind,
                date=t.date,
                amount=t.amount,
                source_document=t.source_document,
                note=t.note or NOTE,
            )
        )
        result.transactions += 1
        if kind == TransactionKind.DISBURSEMENT:
            result.disbursed += t.amount
        else:
            result.expended += t.amount
    for r in reports:
        save(
            ProgressReport(
                project=project,
                report_date=r.report_date,
                investment_completed=r.investment_completed,
                progress_percent=r.progress_percent,
                image_progress=r.image_progress,
                problems=r.problems,
                next_steps=r.next_steps,
            )
        )
        result.reports += 1


def load_projects(program, townships, save, load_project, result):
    """The second year of the main program's projects, through the same validated path (`save` is
    full_clean + save; `load_project` is the first year's project loader)."""
    by_code = {p.code: p for p in result.projects}
    for code, milestones, disbursements, expenditures, reports in LATER:
        _later(by_code[code], save, milestones, disbursements, expenditures, reports, result)
    for spec in PLAN_2025:
        load_project(program, spec, townships, result)
