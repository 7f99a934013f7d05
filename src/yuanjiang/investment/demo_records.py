"""产业援疆 demo records for 江苏援伊·南通工作组（第十一批）: the seed article's 精准发力 产业援疆厚积新动能.

示例数据：依据公开报道重构，除报道所载数字外均为示意。

The article's figures, reproduced exactly (period 进疆以来, 2023-04-01 to 2024-06-30):
- 开展专题招商活动13次 → 13 PromotionEvents of kind 专题招商;
- 对接中国天楹、鑫缘茧丝绸、中青博纳等龙头企业50余家 → contacts with 53 distinct leading enterprises;
- 拜访南大生科院、川大华西医院等高校科研院所9家 → contacts with 9 distinct institutions;
- 中国天楹重力储能及风光新能源项目（总投资超30亿元）、天山宝宝桑蚕优质高效种养及深加工项目（超亿元）
  等10个产业援疆项目先后落户 → 10 projects landed in the period;
- 江苏援伊前方指挥部2024年招商项目签约仪式: 桑蚕、冷链装备制造、新疆特色食品饮料 3 projects signed,
  计划总投资2亿元, 预计带动就业近200人 → 200 000 000 元, 195 人;
- 青创园: 福思克冷链装备制造、金灿麦农业等11个特色项目落户, 计划总投资超3亿元, 拉动就业400余人
  → 11 tenants, 306 000 000 元, 436 人; upgraded by the aid project of 近300万元 (NTYN-2023-02);
- 新疆福思克 开工 2024-03; 宁建厨业 一期 2024-05 投产, 二期 预计 7 月启用; 杏疆好 一期 厂房1500平方米、
  灌装生产线3条, 二期计划投资500万元, 年产值约2000万元.

Everything else (dates within a month, places, the illustrative enterprises and institutions named
“示例…”, amounts and jobs of single projects, which tenants came before this batch) is illustrative.
The article's 10 landed projects and the park's 11 tenants are different sets: five of the tenants
(示例) settled in the park before this batch arrived and are counted by the park (a stock), not as
landed in the period (a flow).
"""

import datetime as dt
from decimal import Decimal

from yuanjiang.investment.choices import ContactKind, EventKind, InstitutionKind
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    IndustryCluster,
    Institution,
    InvestmentPhase,
    InvestmentProject,
    Park,
    ParkUpgrade,
    PromotionEvent,
)
from yuanjiang.investment.services import industry_clusters_load
from yuanjiang.org.models import Organization

D = dt.date.fromisoformat
NOTE = "示例数据"
PARK_UPGRADE_PROJECT = "NTYN-2023-02"  # 伊宁县青创园基础设施改造提升项目 (demo/data.py), 2 950 000 元
YINGTAMU = "654021102"  # 英塔木镇
DUNMAZHA = "654021101"  # 墩麻扎镇


def yuan(text: str) -> Decimal:
    return Decimal(text.replace(" ", ""))


# 13 专题招商 events (dates and places illustrative).
THEMED_EVENTS = (
    ("2023-05-18", "南通", "伊宁县农牧业及农产品加工专题招商活动（南通）"),
    ("2023-06-15", "苏州", "伊宁县纺织服装产业专题招商活动（苏州）"),
    ("2023-07-12", "上海", "伊宁县新能源产业专题招商活动（上海）"),
    ("2023-08-22", "杭州", "伊宁县电商直播产业专题招商活动（杭州）"),
    ("2023-09-14", "南京", "伊宁县生物科技与康养产业专题招商活动（南京）"),
    ("2023-10-19", "无锡", "伊宁县装备制造产业专题招商活动（无锡）"),
    ("2023-11-16", "成都", "伊宁县医药健康产业专题招商活动（成都）"),
    ("2023-12-07", "广州", "伊宁县特色食品产业专题招商活动（广州）"),
    ("2024-01-11", "深圳", "伊宁县新能源与储能产业专题招商活动（深圳）"),
    ("2024-03-21", "常州", "伊宁县冷链物流产业专题招商活动（常州）"),
    ("2024-04-18", "南通海安", "伊宁县桑蚕丝绸产业专题招商活动（海安）"),
    ("2024-05-16", "南通", "伊宁县文化旅游产业专题招商活动（南通）"),
    ("2024-06-13", "乌鲁木齐", "伊宁县青创园专题招商推介活动（乌鲁木齐）"),
)

NAMED_LEADING = (
    # (name, industry, origin, note)
    ("中国天楹股份有限公司", "环保与新能源", "江苏南通", "报道所载：对接龙头企业“中国天楹”"),
    ("江苏鑫缘茧丝绸集团股份有限公司", "茧丝绸", "江苏南通", "报道所载：对接龙头企业“鑫缘茧丝绸”"),
    ("中青博纳", "", "", "报道所载：对接龙头企业“中青博纳”（企业全称未见报道）"),
)
ILLUSTRATIVE_LEADING = 50  # 3 named + 50 = 53 (“50余家”)

INSTITUTIONS = (
    ("南京大学生命科学学院", InstitutionKind.UNIVERSITY, "江苏南京", "报道所载：“南大生科院”"),
    ("四川大学华西医院", InstitutionKind.HOSPITAL, "四川成都", "报道所载：“川大华西医院”"),
    *(
        (f"示例高校科研院所{n}", InstitutionKind.RESEARCH if n % 2 else InstitutionKind.UNIVERSITY, "", NOTE)
        for n in range(1, 8)
    ),
)


def _enterprise(ctx, name, *, industry="", origin="", leading=False, note=NOTE):
    # Registered by the demo program: it edits them; other work groups link to them (issue 21).
    return ctx.save(
        Enterprise(
            name=name, industry=industry, origin=origin, is_leading=leading, note=note, owner=ctx.program
        )
    )


def load(ctx):
    save = ctx.save
    program = ctx.program
    industry_clusters_load()
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    front = Organization.objects.get(slug="jiangsu-yili-front")

    # Enterprises and institutions (shared reference records).
    leading = [
        _enterprise(ctx, name, industry=industry, origin=origin, leading=True, note=note)
        for name, industry, origin, note in NAMED_LEADING
    ]
    leading += [
        _enterprise(ctx, f"示例龙头企业{n:02d}", industry="示例", origin="江苏", leading=True)
        for n in range(1, ILLUSTRATIVE_LEADING + 1)
    ]
    tianying, xinyuan, _bona = leading[:3]
    institutions = [
        save(Institution(name=name, kind=kind, location=location, note=note))
        for name, kind, location, note in INSTITUTIONS
    ]
    ent = {
        "tianshan": _enterprise(
            ctx,
            "天山宝宝",
            industry="桑蚕种养及深加工",
            note="报道所载项目名“天山宝宝桑蚕…”；企业全称未见报道",
        ),
        "fusike": _enterprise(
            ctx, "新疆福思克制冷科技有限公司", industry="冷链装备制造", origin="新疆伊宁县", note="报道所载"
        ),
        "xingjianghao": _enterprise(
            ctx, "新疆杏疆好饮料食品有限公司", industry="饮料食品", origin="新疆伊宁县", note="报道所载"
        ),
        "ningjian": _enterprise(
            ctx, "新疆宁建厨业有限公司", industry="厨具制造", origin="新疆伊宁县", note="报道所载"
        ),
        "jincanmai": _enterprise(
            ctx, "金灿麦农业", industry="农业", note="报道所载“金灿麦农业”；企业全称未见报道"
        ),
        "ecommerce": _enterprise(ctx, "示例电商直播企业", industry="电商直播"),
        "creative": _enterprise(ctx, "示例文化创意企业", industry="文化创意"),
        "textile": _enterprise(ctx, "示例纺织企业", industry="纺织服装"),
        "cattle": _enterprise(ctx, "示例畜牧企业", industry="肉牛养殖"),
        "solar": _enterprise(ctx, "示例光伏组件企业", industry="新能源"),
        "storage": _enterprise(ctx, "示例储能配套企业", industry="储能"),
        **{f"tenant{c}": _enterprise(ctx, f"示例园区企业{c}", industry="示例") for c in "ABCDE"},
    }

    # The park and the aid project that upgraded it.
    park = save(
        Park(
            owner=program,
            name="伊宁县青创园",
            county=ctx.townships["654021"],
            focus_industries="农牧业科技、新能源、文化创意、电商直播",
            address="伊宁县（原家纺服装产业园）",
            manager="伊宁县工业园区管理委员会（示意）",
            note="报道所载：盘活原家纺服装产业园资源建设；占地面积未见报道",
        )
    )
    save(
        ParkUpgrade(
            park=park,
            aid_project=ctx.projects[PARK_UPGRADE_PROJECT],
            note="报道所载：投入近300万元改造电力、燃气等基础设施",
        )
    )

    # Events: 13 专题招商 and the front command's signing ceremony (a joint event, recorded by this program).
    events = [
        save(
            PromotionEvent(
                program=program, title=title, kind=EventKind.THEMED, date=D(date), place=place, note=NOTE
            )
        )
        for date, place, title in THEMED_EVENTS
    ]
    save(
        PromotionEvent(
            program=program,
            title="对接企业回访（示例）",
            kind=EventKind.RETURN_VISIT,
            date=D("2024-06-20"),
            place="伊宁县",
            note=NOTE + "：回访不计入专题招商活动次数",
        )
    )
    ceremony = save(
        PromotionEvent(
            program=program,
            title="江苏援伊前方指挥部2024年招商项目签约仪式暨招商引资推介会",
            kind=EventKind.SIGNING,
            date=D("2024-02-28"),
            place="伊宁市",
            organizer=front,
            note="报道所载：南通工作组组织3个项目现场签约；日期、地点为示意",
        )
    )

    # Contacts: each leading enterprise met at one of the events, some again afterwards.
    for i, enterprise in enumerate(leading):
        event = events[i % len(events)]
        save(
            Contact(
                program=program,
                date=event.date,
                kind=ContactKind.DOCKING,
                enterprise=enterprise,
                event=event,
                people="工作组招商组（示意）",
                outcome="介绍伊宁县产业基础和招商政策，交换合作意向（示意）",
            )
        )
    for date, kind, enterprise, outcome in (
        ("2023-06-02", ContactKind.VISIT, tianying, "赴企业总部拜访，商谈重力储能项目选址（示意）"),
        ("2023-08-10", ContactKind.NEGOTIATION, tianying, "项目投资协议条款洽谈（示意）"),
        ("2023-12-20", ContactKind.VISIT, xinyuan, "考察桑蚕种养及茧丝加工合作（示意）"),
    ):
        save(Contact(program=program, date=D(date), kind=kind, enterprise=enterprise, outcome=outcome))
    for key, date in (("fusike", "2024-01-25"), ("xingjianghao", "2024-02-05"), ("ningjian", "2023-07-05")):
        save(
            Contact(
                program=program,
                date=D(date),
                kind=ContactKind.NEGOTIATION,
                enterprise=ent[key],
                outcome="入园条件和投资计划洽谈（示意）",
            )
        )
    institution_events = (4, 6, 0, 1, 2, 3, 5, 7, 10)
    for institution, index in zip(institutions, institution_events, strict=True):
        event = events[index]
        save(
            Contact(
                program=program,
                date=event.date,
                kind=ContactKind.VISIT,
                institution=institution,
                event=event,
                outcome="拜访交流，商谈科技成果转化与人才合作（示意）",
            )
        )
    save(
        Contact(
            program=program,
            date=D("2024-04-25"),
            kind=ContactKind.VISIT,
            institution=institutions[0],
            outcome="再次拜访，商谈桑蚕良种合作（示意）",
        )
    )

    # Investment projects.
    def project(name, enterprise, cluster, *, phases=(), **fields):
        p = save(
            InvestmentProject(
                program=program, name=name, enterprise=enterprise, cluster=clusters[cluster], **fields
            )
        )
        for sequence, phase in enumerate(phases, start=1):
            save(InvestmentPhase(project=p, sequence=sequence, **phase))
        return p

    project(
        "中国天楹重力储能及风光新能源项目",
        tianying,
        "new-energy",
        negotiation_date=D("2023-05-20"),
        signed_date=D("2023-08-18"),
        landed_date=D("2023-10-12"),
        planned_investment=yuan("3 080 000 000"),
        expected_jobs=300,
        content="重力储能及风光新能源（报道所载：总投资超30亿元；具体金额、日期、就业为示意）",
    )
    project(
        "天山宝宝桑蚕优质高效种养及深加工项目",
        ent["tianshan"],
        "cotton-textile",
        signed_event=ceremony,
        negotiation_date=D("2023-12-20"),
        signed_date=D("2024-02-28"),
        landed_date=D("2024-04-15"),
        started_date=D("2024-05-20"),
        planned_investment=yuan("120 000 000"),
        expected_jobs=120,
        content="桑蚕优质高效种养及深加工（报道所载：总投资超亿元，签约仪式现场签约）",
    )
    project(
        "福思克冷链装备制造项目",
        ent["fusike"],
        "other",
        park=park,
        signed_event=ceremony,
        negotiation_date=D("2024-01-25"),
        signed_date=D("2024-02-28"),
        landed_date=D("2024-03-04"),
        started_date=D("2024-03-18"),
        planned_investment=yuan("50 000 000"),
        actual_investment=yuan("18 000 000"),
        expected_jobs=45,
        actual_jobs=52,
        content="报道所载：今年3月开工以来增加大机组生产线、烘干生产线等，与数批外商达成合作协议",
    )
    project(
        "新疆特色食品饮料生产加工项目（杏疆好）",
        ent["xingjianghao"],
        "fruit-vegetable",
        park=park,
        signed_event=ceremony,
        negotiation_date=D("2024-02-05"),
        signed_date=D("2024-02-28"),
        landed_date=D("2024-03-11"),
        started_date=D("2024-03-25"),
        planned_investment=yuan("30 000 000"),
        actual_investment=yuan("21 000 000"),
        expected_jobs=30,
        actual_jobs=36,
        annual_output=yuan("20 000 000"),
        content="杏皮茶等新疆特色饮料生产（报道所载：年产值约2000万元；与签约项目的对应为示意）",
        phases=(
            {
                "name": "一期",
                "planned_investment": yuan("25 000 000"),
                "content": "杏皮茶生产厂房1500平方米，灌装生产线3条（报道所载）",
                "started_date": D("2024-03-25"),
            },
            {
                "name": "二期",
                "planned_investment": yuan("5 000 000"),
                "content": "报道所载：二期计划投资500万元",
                "planned_start": D("2024-09-01"),
            },
        ),
    )
    project(
        "宁建厨业厨具生产项目",
        ent["ningjian"],
        "other",
        park=park,
        negotiation_date=D("2023-06-20"),
        signed_date=D("2023-07-20"),
        landed_date=D("2023-08-15"),
        started_date=D("2023-09-10"),
        operating_date=D("2024-05-20"),
        planned_investment=yuan("20 000 000"),
        actual_investment=yuan("15 000 000"),
        expected_jobs=60,
        actual_jobs=48,
        content="报道所载：一期项目5月正式投产，二期正在装修布置，预计7月启用",
        phases=(
            {
                "name": "一期",
                "planned_investment": yuan("15 000 000"),
                "started_date": D("2023-09-10"),
                "operating_date": D("2024-05-20"),
            },
            {
                "name": "二期",
                "planned_investment": yuan("5 000 000"),
                "content": "厂房装修布置",
                "started_date": D("2024-05-25"),
                "planned_operation": D("2024-07-15"),
            },
        ),
    )
    project(
        "金灿麦农业项目",
        ent["jincanmai"],
        "grain-oil",
        park=park,
        signed_date=D("2023-06-28"),
        landed_date=D("2023-07-20"),
        started_date=D("2023-08-15"),
        operating_date=D("2024-01-10"),
        planned_investment=yuan("18 000 000"),
        actual_investment=yuan("16 000 000"),
        expected_jobs=40,
        actual_jobs=42,
        content="报道所载：青创园特色项目；内容与金额为示意",
    )
    project(
        "示例电商直播基地项目",
        ent["ecommerce"],
        "modern-services",
        park=park,
        signed_date=D("2023-09-08"),
        landed_date=D("2023-10-10"),
        started_date=D("2023-11-01"),
        operating_date=D("2024-03-01"),
        planned_investment=yuan("12 000 000"),
        actual_investment=yuan("10 000 000"),
        expected_jobs=50,
        actual_jobs=55,
        note=NOTE,
    )
    project(
        "示例文化创意工坊项目",
        ent["creative"],
        "culture-tourism",
        park=park,
        signed_date=D("2023-11-02"),
        landed_date=D("2023-12-05"),
        planned_investment=yuan("8 000 000"),
        expected_jobs=30,
        actual_jobs=25,
        note=NOTE,
    )
    project(
        "示例纺织服装加工项目",
        ent["textile"],
        "cotton-textile",
        township=ctx.townships[YINGTAMU],
        signed_date=D("2023-10-16"),
        landed_date=D("2023-11-20"),
        started_date=D("2024-04-08"),
        planned_investment=yuan("60 000 000"),
        expected_jobs=150,
        note=NOTE,
    )
    project(
        "示例肉牛养殖及屠宰加工项目",
        ent["cattle"],
        "livestock",
        township=ctx.townships[DUNMAZHA],
        signed_date=D("2023-12-12"),
        landed_date=D("2024-01-15"),
        planned_investment=yuan("45 000 000"),
        expected_jobs=80,
        note=NOTE,
    )
    # In the pipeline, not landed.
    project(
        "示例光伏组件项目",
        ent["solar"],
        "new-energy",
        negotiation_date=D("2023-09-20"),
        signed_date=D("2023-12-10"),
        planned_investment=yuan("150 000 000"),
        expected_jobs=100,
        note=NOTE,
    )
    project(
        "示例储能配套项目",
        ent["storage"],
        "new-energy",
        negotiation_date=D("2024-05-16"),
        planned_investment=yuan("80 000 000"),
        note=NOTE,
    )
    # Park tenants that settled before this batch arrived (counted by the park, not as landed in the period).
    for letter, landed, amount, jobs in (
        ("A", "2021-06-15", "40 000 000", 40),
        ("B", "2021-10-20", "35 000 000", 35),
        ("C", "2022-04-12", "38 000 000", 38),
        ("D", "2022-08-30", "30 000 000", 35),
        ("E", "2023-02-16", "25 000 000", 30),
    ):
        landed_date = D(landed)
        project(
            f"示例园区项目{letter}",
            ent[f"tenant{letter}"],
            "other",
            park=park,
            signed_date=landed_date - dt.timedelta(days=40),
            landed_date=landed_date,
            started_date=landed_date + dt.timedelta(days=20),
            operating_date=landed_date + dt.timedelta(days=200),
            planned_investment=yuan(amount),
            actual_investment=yuan(amount),
            expected_jobs=jobs,
            actual_jobs=jobs,
            note=NOTE + "：本批进疆前已入园，工作组持续服务",
        )

    # The second (illustrative) program met 中国天楹 too: a roll-up counts the enterprise once.
    save(
        Contact(
            program=ctx.second_program,
            date=D("2023-09-05"),
            kind=ContactKind.DOCKING,
            enterprise=tianying,
            outcome="示意：南京工作组对接（仅用于演示汇总时同一企业只计一次）",
        )
    )
