"""The demo dataset: 江苏援伊·南通工作组（第十一批）and its 15 aid projects of 2023.

示例数据：依据公开报道重构，除报道所载数字外均为示意。

Reconstructed from a public news article of summer 2024 ("15个援疆项目全部开工，南通第十一批援疆
干部人才晒出首年成绩单 — 紧握接力棒 跑出新气象"). The figures the article gives are reproduced
exactly:

- 15 aid projects, all started (开工率 100%) within the first program year;
- 伊宁县南通第二实验学校: 总建筑面积 4万平方米, 3000 学位, to be delivered on 1 September 2024;
- 伊宁县青创园 infrastructure upgrade: "投入近300万元" → 2 950 000 元 of aid funds;
- cadre and talent training: "投入援疆资金480万元" → 4 800 000 元; "培训3100余人次" → 3 150 人次.

Everything else (the other 12 projects, amounts, dates, units, people, document numbers) is
plausible and illustrative, not a record of what happened. People's names are invented. The records
declared here are a snapshot as of ARTICLE_AS_OF (end of June 2024, when the article appeared): no
actual date, fund transaction or progress report of them is later than that. The demo then runs on to
DEMO_AS_OF (2025-06-30) with a second, wholly illustrative year (示意), every record dated from
2024-07-01: demo/second_year.py for the projects, `<app>/demo_second_year.py` for the other domains.

This module only declares data; `yuanjiang.demo.services.demo_load()` loads it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from yuanjiang.accounts.models import Role
from yuanjiang.projects.choices import Category, DeliveryMode, Nature

DEMO_NOTE = "示例数据：依据公开报道重构，除报道所载数字外均为示意。"
DEMO_SOURCE = "公开报道《15个援疆项目全部开工，南通第十一批援疆干部人才晒出首年成绩单》（2024年夏）"
ARTICLE_AS_OF = dt.date(2024, 6, 30)  # the article's snapshot: the records declared in this module
DEMO_AS_OF = dt.date(2025, 6, 30)  # the demo's, with its second year (示意)
DEMO_PASSWORD = "yuanjiang"

D = dt.date.fromisoformat


def yuan(text: str) -> Decimal:
    """An amount in 元, written with optional thin separators: yuan("2 950 000")."""
    return Decimal(text.replace(" ", "").replace(",", ""))


PROGRAM = {
    "slug": "nantong-yining-11",
    "name": "江苏援伊·南通工作组（第十一批）",
    "provider": "nantong-wg",  # Organization slug, created by org.services.reference_load()
    "recipient_region": "654021",  # 伊宁县
    "batch": 11,
    "term_start": D("2023-04-01"),
    "term_end": D("2026-03-31"),
}

# The periods the article's figures refer to.
FIRST_YEAR = (D("2023-04-01"), D("2024-03-31"))  # 首年
ARTICLE_PERIOD = (D("2023-04-01"), D("2024-06-30"))  # 进疆以来, as of the article


@dataclass(frozen=True)
class Txn:
    date: dt.date
    amount: Decimal
    source_document: str
    note: str = ""


@dataclass(frozen=True)
class Report:
    report_date: dt.date
    investment_completed: Decimal
    progress_percent: int
    image_progress: str
    problems: str = ""
    next_steps: str = ""


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    category: str
    nature: str
    delivery_mode: str
    township: str | None  # Region code (a child of 654021), None for county-wide projects
    location_detail: str
    implementing_unit: str
    supervising_unit: str
    aid_side_contact: str
    local_contact: str
    total_investment: Decimal
    aid_funds: Decimal
    content: str
    # (name, quantity, unit)
    outputs: tuple[tuple[str, Decimal, str], ...]
    # 下达: one commitment equal to aid_funds, (date, source document)
    commitment: tuple[dt.date, str]
    disbursements: tuple[Txn, ...]
    expenditures: tuple[Txn, ...]
    reports: tuple[Report, ...]
    expected_beneficiaries: int | None = None
    expected_jobs: int | None = None
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    planned_completion: dt.date | None = None
    actual_completion: dt.date | None = None
    planned_delivery: dt.date | None = None
    actual_delivery: dt.date | None = None
    planned_acceptance: dt.date | None = None
    actual_acceptance: dt.date | None = None
    plan_year: int = 2023
    from_article: tuple[str, ...] = field(default=())  # which figures come from the article

    @property
    def other_funds(self) -> Decimal:
        return self.total_investment - self.aid_funds


# Township codes (org/data/yining-townships.csv).
JILIYUZI = "654021100"  # 吉里于孜镇 (county seat)
DUNMAZHA = "654021101"  # 墩麻扎镇
YINGTAMU = "654021102"  # 英塔木镇
HUDIYUZI = "654021103"  # 胡地于孜镇
BAYITUOHAI = "654021104"  # 巴依托海镇
AREWUSITANG = "654021105"  # 阿热吾斯塘镇
SAMUYUZI = "654021106"  # 萨木于孜镇
KASHI = "654021107"  # 喀什镇
YUQUNWENG = "654021205"  # 愉群翁回族乡

EDU_BUREAU = "伊宁县教育局"
HEALTH_COMMISSION = "伊宁县卫生健康委员会"
HOUSING_BUREAU = "伊宁县住房和城乡建设局"
DRC = "伊宁县发展和改革委员会"

PROJECTS: tuple[Project, ...] = (
    Project(
        code="NTYN-2023-01",
        name="伊宁县南通第二实验学校建设项目",
        category=Category.EDUCATION,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.TURNKEY,
        township=JILIYUZI,
        location_detail="伊宁县城南新区",
        implementing_unit=EDU_BUREAU,
        supervising_unit=HOUSING_BUREAU,
        aid_side_contact="陆志成",
        local_contact="阿不都热合曼·买买提",
        total_investment=yuan("200 000 000"),
        aid_funds=yuan("120 000 000"),
        content=(
            "新建九年一贯制学校一所，总建筑面积4万平方米，含教学楼、实验楼、综合楼、学生宿舍、"
            "食堂及风雨操场，配套室外运动场、道路管网及绿化，可容纳3000名学生就读。"
        ),
        outputs=(
            ("总建筑面积", yuan("40000"), "平方米"),
            ("学位", yuan("3000"), "个"),
        ),
        expected_beneficiaries=3000,
        expected_jobs=260,
        planned_start=D("2023-06-15"),
        actual_start=D("2023-06-18"),
        planned_completion=D("2024-08-15"),
        planned_delivery=D("2024-09-01"),
        planned_acceptance=D("2024-12-31"),
        commitment=(D("2023-05-12"), "伊县援疆资〔2023〕12号"),
        disbursements=(
            Txn(D("2023-07-10"), yuan("50 000 000"), "伊县援疆拨〔2023〕21号", "预付工程款"),
            Txn(D("2024-01-15"), yuan("30 000 000"), "伊县援疆拨〔2024〕03号", "按进度拨付"),
            Txn(D("2024-05-20"), yuan("20 000 000"), "伊县援疆拨〔2024〕15号", "按进度拨付"),
        ),
        expenditures=(
            Txn(D("2023-12-28"), yuan("48 600 000"), "记-2023-1207", "主体工程进度款"),
            Txn(D("2024-06-25"), yuan("41 200 000"), "记-2024-0612", "主体及装修工程进度款"),
        ),
        reports=(
            Report(
                D("2023-12-25"),
                yuan("82 000 000"),
                45,
                "教学楼、实验楼主体结构封顶，综合楼施工至三层。",
                "冬季低温，室外混凝土作业暂停。",
                "冬季转入室内砌筑及水电预埋，开春后恢复室外施工。",
            ),
            Report(
                D("2024-03-28"),
                yuan("118 000 000"),
                62,
                "主体结构全部封顶，二次结构砌筑完成，外墙保温施工中。",
                "",
                "4月起全面开展内外装修和室外管网施工。",
            ),
            Report(
                D("2024-06-20"),
                yuan("172 000 000"),
                85,
                "内外装修基本完成，室外运动场及绿化施工中，教学设备进场安装。",
                "部分教学设备供货周期较长。",
                "8月中旬完工，9月1日交付使用。",
            ),
        ),
        from_article=("总建筑面积4万平方米", "可容纳3000名学生", "9月1日竣工交付"),
    ),
    Project(
        code="NTYN-2023-02",
        name="伊宁县青创园基础设施改造提升项目",
        category=Category.INDUSTRY,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=JILIYUZI,
        location_detail="伊宁县青创园（原家纺服装产业园）",
        implementing_unit="伊宁县工业园区管理委员会",
        supervising_unit=DRC,
        aid_side_contact="顾海峰",
        local_contact="马建军",
        total_investment=yuan("2 950 000"),
        aid_funds=yuan("2 950 000"),
        content=(
            "盘活原家纺服装产业园资源，改造园区电力、燃气等基础设施：更换箱式变压器及供电线路，"
            "新建燃气管网和调压设施，配套园区道路修补与亮化，为中小微企业入驻创造条件。"
        ),
        outputs=(
            ("改造供电线路", yuan("3.2"), "公里"),
            ("新增箱式变压器", yuan("2"), "台"),
            ("新建燃气管网", yuan("2.1"), "公里"),
        ),
        expected_jobs=400,
        planned_start=D("2023-08-01"),
        actual_start=D("2023-08-10"),
        planned_completion=D("2024-01-31"),
        actual_completion=D("2024-02-28"),
        planned_delivery=D("2024-03-15"),
        actual_delivery=D("2024-03-15"),
        planned_acceptance=D("2024-06-30"),
        actual_acceptance=D("2024-06-18"),
        commitment=(D("2023-07-05"), "伊县援疆资〔2023〕19号"),
        disbursements=(
            Txn(D("2023-08-25"), yuan("1 500 000"), "伊县援疆拨〔2023〕27号"),
            Txn(D("2024-03-20"), yuan("1 300 000"), "伊县援疆拨〔2024〕08号"),
            Txn(D("2024-06-24"), yuan("150 000"), "伊县援疆拨〔2024〕19号", "验收后结算尾款"),
        ),
        expenditures=(
            Txn(D("2023-12-20"), yuan("1 480 000"), "记-2023-1188"),
            Txn(D("2024-04-10"), yuan("1 300 000"), "记-2024-0406"),
            Txn(D("2024-06-27"), yuan("150 000"), "记-2024-0631"),
        ),
        reports=(
            Report(
                D("2023-11-30"),
                yuan("1 600 000"),
                55,
                "供电线路更换完成，箱式变压器基础施工完成。",
                "燃气管网穿越园区道路需协调交通导改。",
                "完成燃气管网敷设，冬季前完成管道试压。",
            ),
            Report(
                D("2024-03-15"),
                yuan("2 950 000"),
                100,
                "电力、燃气改造全部完工并通电通气，移交园区使用。",
                "",
                "组织竣工验收，配合招商入驻企业用电用气报装。",
            ),
        ),
        from_article=("投入近300万元改造电力、燃气等基础设施",),
    ),
    Project(
        code="NTYN-2023-03",
        name="干部人才培训项目",
        category=Category.TALENT,
        nature=Nature.NON_CONSTRUCTION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=None,
        location_detail="县级统筹（赴内地培训与就地培训）",
        implementing_unit="中共伊宁县委组织部",
        supervising_unit="中共伊宁县委组织部",
        aid_side_contact="钱晓东",
        local_contact="热依拉·吐尔逊",
        total_investment=yuan("4 800 000"),
        aid_funds=yuan("4 800 000"),
        content=(
            "组织伊宁县党政干部、乡村干部、专业技术人才赴内地或就地培训，开展专题班、跟岗实训和"
            "南通名师名医送教送培。"
        ),
        outputs=(
            ("培训", yuan("3150"), "人次"),
            ("培训班", yuan("42"), "期"),
        ),
        expected_beneficiaries=3150,
        planned_start=D("2023-05-01"),
        actual_start=D("2023-05-15"),
        planned_completion=D("2024-03-31"),
        actual_completion=D("2024-03-31"),
        planned_acceptance=D("2024-05-31"),
        actual_acceptance=D("2024-05-28"),
        commitment=(D("2023-04-28"), "伊县援疆资〔2023〕08号"),
        disbursements=(
            Txn(D("2023-05-10"), yuan("2 400 000"), "伊县援疆拨〔2023〕11号"),
            Txn(D("2023-10-16"), yuan("1 600 000"), "伊县援疆拨〔2023〕35号"),
            Txn(D("2024-04-12"), yuan("800 000"), "伊县援疆拨〔2024〕10号"),
        ),
        expenditures=(
            Txn(D("2023-09-30"), yuan("2 100 000"), "记-2023-0915", "上半年度培训班费用"),
            Txn(D("2024-03-29"), yuan("1 900 000"), "记-2024-0322", "下半年度培训班费用"),
            Txn(D("2024-05-15"), yuan("800 000"), "记-2024-0511", "结算"),
        ),
        reports=(
            Report(
                D("2023-10-10"),
                yuan("2 100 000"),
                45,
                "已举办赴内地及就地培训班19期，培训1420人次。",
                "",
                "冬季集中举办乡村干部就地培训。",
            ),
            Report(
                D("2024-03-31"),
                yuan("4 300 000"),
                100,
                "年度培训计划完成：举办培训班42期，培训3150人次。",
                "",
                "整理培训档案，办理结算和验收。",
            ),
        ),
        from_article=("投入援疆资金480万元", "培训3100余人次"),
    ),
    Project(
        code="NTYN-2023-04",
        name="伊宁县人民医院远程会诊中心建设项目",
        category=Category.HEALTH,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=JILIYUZI,
        location_detail="伊宁县人民医院门诊楼",
        implementing_unit="伊宁县人民医院",
        supervising_unit=HEALTH_COMMISSION,
        aid_side_contact="黄立新",
        local_contact="古丽娜尔·艾力",
        total_investment=yuan("3 500 000"),
        aid_funds=yuan("3 500 000"),
        content=(
            "建设远程会诊中心，配置远程会诊、影像及心电诊断系统，联通南通市第一人民医院、南通市中医院"
            "及县内乡镇卫生院，开展两地多学科远程会诊。"
        ),
        outputs=(
            ("远程会诊中心", yuan("1"), "个"),
            ("接入乡镇卫生院", yuan("16"), "个"),
        ),
        expected_beneficiaries=20000,
        planned_start=D("2023-07-01"),
        actual_start=D("2023-07-03"),
        planned_completion=D("2023-12-31"),
        actual_completion=D("2023-12-20"),
        planned_delivery=D("2024-01-15"),
        actual_delivery=D("2024-01-10"),
        planned_acceptance=D("2024-04-30"),
        actual_acceptance=D("2024-04-15"),
        commitment=(D("2023-06-08"), "伊县援疆资〔2023〕15号"),
        disbursements=(
            Txn(D("2023-07-20"), yuan("2 000 000"), "伊县援疆拨〔2023〕18号"),
            Txn(D("2024-01-25"), yuan("1 300 000"), "伊县援疆拨〔2024〕02号"),
        ),
        expenditures=(
            Txn(D("2023-11-15"), yuan("1 950 000"), "记-2023-1103", "设备采购"),
            Txn(D("2024-02-05"), yuan("1 300 000"), "记-2024-0201", "系统集成及安装"),
        ),
        reports=(
            Report(
                D("2023-10-20"),
                yuan("1 200 000"),
                40,
                "会诊中心装修完成，设备完成招标。",
                "",
                "设备到货安装，与南通医院联调。",
            ),
            Report(
                D("2024-01-10"),
                yuan("3 300 000"),
                100,
                "系统上线，完成首例两地远程会诊。",
                "部分乡镇卫生院网络带宽不足。",
                "协调运营商扩容乡镇专线，组织验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-05",
        name="伊宁县人民医院心血管介入诊疗能力提升项目",
        category=Category.HEALTH,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=JILIYUZI,
        location_detail="伊宁县人民医院医技楼",
        implementing_unit="伊宁县人民医院",
        supervising_unit=HEALTH_COMMISSION,
        aid_side_contact="黄立新",
        local_contact="古丽娜尔·艾力",
        total_investment=yuan("7 200 000"),
        aid_funds=yuan("6 000 000"),
        content="改造心血管介入导管室，购置数字减影血管造影设备及配套设备，开展房颤消融等介入新技术。",
        outputs=(
            ("导管室", yuan("1"), "间"),
            ("新技术新项目", yuan("5"), "项"),
        ),
        expected_beneficiaries=1500,
        planned_start=D("2023-09-01"),
        actual_start=D("2023-09-05"),
        planned_completion=D("2024-03-31"),
        actual_completion=D("2024-04-30"),
        planned_delivery=D("2024-05-15"),
        actual_delivery=D("2024-05-20"),
        planned_acceptance=D("2024-09-30"),
        commitment=(D("2023-08-14"), "伊县援疆资〔2023〕24号"),
        disbursements=(
            Txn(D("2023-09-28"), yuan("3 000 000"), "伊县援疆拨〔2023〕31号"),
            Txn(D("2024-05-30"), yuan("1 800 000"), "伊县援疆拨〔2024〕14号"),
        ),
        expenditures=(
            Txn(D("2024-01-18"), yuan("2 900 000"), "记-2024-0109", "导管室改造"),
            Txn(D("2024-06-12"), yuan("1 750 000"), "记-2024-0603", "设备款"),
        ),
        reports=(
            Report(
                D("2024-01-15"),
                yuan("3 100 000"),
                50,
                "导管室装修及防护工程完成。",
                "设备进口报关延误约一个月。",
                "设备到货后安装调试并完成辐射防护检测。",
            ),
            Report(
                D("2024-05-31"),
                yuan("6 700 000"),
                100,
                "导管室投入使用，已开展介入手术32例。",
                "",
                "9月组织验收，继续由援疆专家带教。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-06",
        name="胡地于孜镇卫生院标准化建设项目",
        category=Category.HEALTH,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=HUDIYUZI,
        location_detail="胡地于孜镇卫生院",
        implementing_unit="胡地于孜镇卫生院",
        supervising_unit=HEALTH_COMMISSION,
        aid_side_contact="黄立新",
        local_contact="马秀兰",
        total_investment=yuan("4 200 000"),
        aid_funds=yuan("4 200 000"),
        content="改扩建卫生院业务用房，改造住院部，配置基本医疗设备，达到乡镇卫生院服务能力基本标准。",
        outputs=(
            ("业务用房", yuan("1800"), "平方米"),
            ("床位", yuan("30"), "张"),
        ),
        expected_beneficiaries=26000,
        planned_start=D("2023-06-01"),
        actual_start=D("2023-06-10"),
        planned_completion=D("2023-11-30"),
        actual_completion=D("2023-11-30"),
        planned_delivery=D("2023-12-15"),
        actual_delivery=D("2023-12-15"),
        planned_acceptance=D("2024-05-31"),
        actual_acceptance=D("2024-05-10"),
        commitment=(D("2023-05-12"), "伊县援疆资〔2023〕13号"),
        disbursements=(
            Txn(D("2023-06-20"), yuan("2 100 000"), "伊县援疆拨〔2023〕15号"),
            Txn(D("2023-12-22"), yuan("1 680 000"), "伊县援疆拨〔2023〕44号"),
            Txn(D("2024-05-24"), yuan("420 000"), "伊县援疆拨〔2024〕13号", "验收后结算"),
        ),
        expenditures=(
            Txn(D("2023-10-12"), yuan("2 050 000"), "记-2023-1006"),
            Txn(D("2024-01-08"), yuan("1 680 000"), "记-2024-0104"),
            Txn(D("2024-06-03"), yuan("420 000"), "记-2024-0601"),
        ),
        reports=(
            Report(D("2023-09-15"), yuan("2 300 000"), 55, "业务用房主体改造完成，住院部改造进行中。"),
            Report(
                D("2023-12-15"),
                yuan("4 200 000"),
                100,
                "全部完工，医疗设备安装完毕并投入使用。",
                "",
                "申请验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-07",
        name="伊宁县第二中学“南通班”教学设施提升项目",
        category=Category.EDUCATION,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=JILIYUZI,
        location_detail="伊宁县第二中学",
        implementing_unit="伊宁县第二中学",
        supervising_unit=EDU_BUREAU,
        aid_side_contact="陆志成",
        local_contact="李春梅",
        total_investment=yuan("3 800 000"),
        aid_funds=yuan("3 800 000"),
        content="改造高中教学楼，建设智慧教室和理化生实验室，为“南通班”及对照班配置教学设备。",
        outputs=(
            ("改造面积", yuan("6500"), "平方米"),
            ("智慧教室", yuan("24"), "间"),
        ),
        expected_beneficiaries=2400,
        planned_start=D("2023-07-05"),
        actual_start=D("2023-07-10"),
        planned_completion=D("2023-08-25"),
        actual_completion=D("2023-08-25"),
        planned_delivery=D("2023-09-01"),
        actual_delivery=D("2023-09-01"),
        planned_acceptance=D("2023-11-30"),
        actual_acceptance=D("2023-11-20"),
        commitment=(D("2023-06-08"), "伊县援疆资〔2023〕16号"),
        disbursements=(
            Txn(D("2023-07-15"), yuan("2 280 000"), "伊县援疆拨〔2023〕17号"),
            Txn(D("2023-11-28"), yuan("1 520 000"), "伊县援疆拨〔2023〕41号"),
        ),
        expenditures=(
            Txn(D("2023-09-05"), yuan("2 280 000"), "记-2023-0902"),
            Txn(D("2023-12-05"), yuan("1 520 000"), "记-2023-1201"),
        ),
        reports=(
            Report(
                D("2023-09-01"),
                yuan("3 800 000"),
                100,
                "暑期完成改造，新学期智慧教室投入使用。",
                "",
                "组织验收及设备使用培训。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-08",
        name="英塔木镇农村道路提升改造项目",
        category=Category.INFRASTRUCTURE,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=YINGTAMU,
        location_detail="英塔木镇下辖5个村",
        implementing_unit="英塔木镇人民政府",
        supervising_unit="伊宁县交通运输局",
        aid_side_contact="顾海峰",
        local_contact="艾尔肯·吾斯曼",
        total_investment=yuan("9 200 000"),
        aid_funds=yuan("8 500 000"),
        content="提升改造农村道路5条共18.6公里，沥青混凝土路面，配套排水边沟、安全防护设施。",
        outputs=(
            ("农村道路", yuan("18.6"), "公里"),
            ("道路", yuan("5"), "条"),
        ),
        expected_beneficiaries=12000,
        planned_start=D("2023-07-25"),
        actual_start=D("2023-08-01"),
        planned_completion=D("2023-10-31"),
        actual_completion=D("2023-10-30"),
        planned_delivery=D("2023-11-10"),
        actual_delivery=D("2023-11-05"),
        planned_acceptance=D("2024-05-31"),
        actual_acceptance=D("2024-05-25"),
        commitment=(D("2023-07-05"), "伊县援疆资〔2023〕20号"),
        disbursements=(
            Txn(D("2023-08-15"), yuan("4 250 000"), "伊县援疆拨〔2023〕25号"),
            Txn(D("2023-11-20"), yuan("2 550 000"), "伊县援疆拨〔2023〕40号"),
        ),
        expenditures=(
            Txn(D("2023-10-20"), yuan("4 200 000"), "记-2023-1012"),
            Txn(D("2023-12-15"), yuan("2 550 000"), "记-2023-1210"),
        ),
        reports=(
            Report(D("2023-09-20"), yuan("5 100 000"), 60, "完成3条道路基层施工，2条道路路基整修中。"),
            Report(
                D("2023-11-05"),
                yuan("9 200 000"),
                100,
                "5条道路全部完工通车。",
                "质保金待验收后支付。",
                "2024年春季组织交工验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-09",
        name="萨木于孜镇农村安全饮水巩固提升工程",
        category=Category.INFRASTRUCTURE,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=SAMUYUZI,
        location_detail="萨木于孜镇",
        implementing_unit="伊宁县水利局",
        supervising_unit="伊宁县水利局",
        aid_side_contact="顾海峰",
        local_contact="买买提江·依明",
        total_investment=yuan("5 600 000"),
        aid_funds=yuan("5 600 000"),
        content="更换老旧供水管网，新建加压泵站1座，改造入户管道，提升农村供水保障水平。",
        outputs=(
            ("供水管网", yuan("32"), "公里"),
            ("加压泵站", yuan("1"), "座"),
            ("改造入户", yuan("4800"), "户"),
        ),
        expected_beneficiaries=18000,
        planned_start=D("2023-07-15"),
        actual_start=D("2023-07-20"),
        planned_completion=D("2024-05-31"),
        actual_completion=D("2024-06-10"),
        planned_delivery=D("2024-06-30"),
        planned_acceptance=D("2024-09-30"),
        commitment=(D("2023-07-05"), "伊县援疆资〔2023〕21号"),
        disbursements=(
            Txn(D("2023-08-10"), yuan("2 800 000"), "伊县援疆拨〔2023〕24号"),
            Txn(D("2024-06-18"), yuan("1 680 000"), "伊县援疆拨〔2024〕17号"),
        ),
        expenditures=(
            Txn(D("2023-11-10"), yuan("2 700 000"), "记-2023-1101"),
            Txn(D("2024-06-26"), yuan("1 600 000"), "记-2024-0620"),
        ),
        reports=(
            Report(
                D("2023-11-15"),
                yuan("2 900 000"),
                50,
                "主干管网铺设完成，泵站主体完工。",
                "冻土期无法开挖，入户改造顺延至次年。",
                "开春后完成入户管道改造。",
            ),
            Report(
                D("2024-06-15"),
                yuan("5 400 000"),
                95,
                "管网及泵站全部完工，正在通水调试。",
                "",
                "6月底通水运行，9月组织验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-10",
        name="伊宁县标准化厂房建设项目（一期）",
        category=Category.INDUSTRY,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=DUNMAZHA,
        location_detail="伊宁县工业园区",
        implementing_unit="伊宁县工业园区管理委员会",
        supervising_unit=DRC,
        aid_side_contact="朱建平",
        local_contact="马建军",
        total_investment=yuan("22 000 000"),
        aid_funds=yuan("15 000 000"),
        content="新建标准化厂房4栋及配套道路、给排水、供电设施，用于承接纺织服装、农副产品加工企业入驻。",
        outputs=(("标准化厂房", yuan("12000"), "平方米"),),
        expected_jobs=300,
        planned_start=D("2023-09-10"),
        actual_start=D("2023-09-15"),
        planned_completion=D("2024-08-30"),
        planned_delivery=D("2024-09-30"),
        planned_acceptance=D("2024-12-31"),
        commitment=(D("2023-08-14"), "伊县援疆资〔2023〕25号"),
        disbursements=(
            Txn(D("2023-09-25"), yuan("6 000 000"), "伊县援疆拨〔2023〕30号"),
            Txn(D("2024-05-15"), yuan("3 000 000"), "伊县援疆拨〔2024〕12号"),
        ),
        expenditures=(
            Txn(D("2023-12-20"), yuan("5 800 000"), "记-2023-1190"),
            Txn(D("2024-06-20"), yuan("2 900 000"), "记-2024-0615"),
        ),
        reports=(
            Report(
                D("2023-12-10"),
                yuan("6 500 000"),
                30,
                "4栋厂房基础完成，1号、2号厂房钢结构进场。",
                "冬季停工约3个月。",
                "开春后复工，完成钢结构吊装。",
            ),
            Report(
                D("2024-06-25"),
                yuan("15 800 000"),
                70,
                "4栋厂房钢结构及围护完成，室外管网施工中。",
                "",
                "8月底完工，同步开展招商对接。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-11",
        name="伊宁县农产品冷链物流仓储设施项目",
        category=Category.INDUSTRY,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=BAYITUOHAI,
        location_detail="巴依托海镇农产品集散中心",
        implementing_unit="伊宁县商务和工业信息化局",
        supervising_unit=DRC,
        aid_side_contact="朱建平",
        local_contact="努尔兰·哈力木",
        total_investment=yuan("8 000 000"),
        aid_funds=yuan("6 500 000"),
        content="新建冷链仓储设施，配置预冷、分拣和冷藏设备，服务杏子、苹果等特色林果产地初加工和错峰销售。",
        outputs=(
            ("冷库库容", yuan("5000"), "吨"),
            ("冷库建筑面积", yuan("3200"), "平方米"),
        ),
        expected_beneficiaries=3500,
        expected_jobs=60,
        planned_start=D("2023-10-01"),
        actual_start=D("2023-10-08"),
        planned_completion=D("2024-05-31"),
        actual_completion=D("2024-05-31"),
        planned_delivery=D("2024-06-20"),
        actual_delivery=D("2024-06-20"),
        planned_acceptance=D("2024-10-31"),
        commitment=(D("2023-09-06"), "伊县援疆资〔2023〕28号"),
        disbursements=(
            Txn(D("2023-10-20"), yuan("3 250 000"), "伊县援疆拨〔2023〕34号"),
            Txn(D("2024-06-10"), yuan("2 600 000"), "伊县援疆拨〔2024〕16号"),
        ),
        expenditures=(
            Txn(D("2024-01-10"), yuan("3 100 000"), "记-2024-0105"),
            Txn(D("2024-06-28"), yuan("2 400 000"), "记-2024-0633"),
        ),
        reports=(
            Report(
                D("2024-01-05"),
                yuan("3 300 000"),
                40,
                "冷库主体钢结构完成，保温板安装中。",
                "",
                "完成制冷设备安装调试。",
            ),
            Report(
                D("2024-06-20"),
                yuan("7 600 000"),
                100,
                "冷库建成投产，首批杏子入库预冷。",
                "",
                "10月组织验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-12",
        name="南通援疆就业技能培训及稳岗就业项目",
        category=Category.EMPLOYMENT,
        nature=Nature.NON_CONSTRUCTION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=None,
        location_detail="县级统筹",
        implementing_unit="伊宁县人力资源和社会保障局",
        supervising_unit="伊宁县人力资源和社会保障局",
        aid_side_contact="钱晓东",
        local_contact="阿依古丽·买买提",
        total_investment=yuan("2 000 000"),
        aid_funds=yuan("2 000 000"),
        content="开展电商直播、缝纫、电工等职业技能培训，对吸纳本地劳动力稳定就业的企业给予岗位补贴。",
        outputs=(
            ("职业技能培训", yuan("1200"), "人次"),
            ("实现就业", yuan("560"), "人"),
        ),
        expected_beneficiaries=1200,
        expected_jobs=500,
        planned_start=D("2023-06-01"),
        actual_start=D("2023-06-01"),
        planned_completion=D("2024-03-31"),
        actual_completion=D("2024-03-31"),
        planned_acceptance=D("2024-06-30"),
        commitment=(D("2023-05-12"), "伊县援疆资〔2023〕14号"),
        disbursements=(
            Txn(D("2023-06-15"), yuan("1 000 000"), "伊县援疆拨〔2023〕14号"),
            Txn(D("2024-01-10"), yuan("700 000"), "伊县援疆拨〔2024〕01号"),
        ),
        expenditures=(
            Txn(D("2023-12-20"), yuan("950 000"), "记-2023-1195"),
            Txn(D("2024-04-15"), yuan("700 000"), "记-2024-0409"),
        ),
        reports=(
            Report(
                D("2023-12-15"),
                yuan("950 000"),
                50,
                "举办技能培训班14期，培训620人次。",
                "",
                "春节后开展岗位补贴申报。",
            ),
            Report(
                D("2024-03-31"),
                yuan("1 650 000"),
                100,
                "培训1200人次，实现就业560人。",
                "岗位补贴部分企业材料不全。",
                "补齐材料后拨付剩余补贴。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-13",
        name="文化润疆乡村文化大院建设项目",
        category=Category.CULTURE,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=KASHI,
        location_detail="喀什镇6个村",
        implementing_unit="伊宁县文化体育广播电视和旅游局",
        supervising_unit="伊宁县文化体育广播电视和旅游局",
        aid_side_contact="周雅琴",
        local_contact="迪丽努尔·阿布都",
        total_investment=yuan("1 800 000"),
        aid_funds=yuan("1 800 000"),
        content="改造提升村级文化大院，配置文体器材和图书，开展“通伊一家亲”文化交流活动。",
        outputs=(("乡村文化大院", yuan("6"), "个"),),
        expected_beneficiaries=9000,
        planned_start=D("2023-07-15"),
        actual_start=D("2023-07-15"),
        planned_completion=D("2023-11-30"),
        actual_completion=D("2023-12-10"),
        planned_delivery=D("2023-12-20"),
        actual_delivery=D("2023-12-20"),
        planned_acceptance=D("2024-04-30"),
        actual_acceptance=D("2024-04-22"),
        commitment=(D("2023-07-05"), "伊县援疆资〔2023〕22号"),
        disbursements=(
            Txn(D("2023-07-28"), yuan("900 000"), "伊县援疆拨〔2023〕22号"),
            Txn(D("2024-04-28"), yuan("900 000"), "伊县援疆拨〔2024〕11号"),
        ),
        expenditures=(
            Txn(D("2023-12-18"), yuan("880 000"), "记-2023-1215"),
            Txn(D("2024-05-10"), yuan("900 000"), "记-2024-0508"),
        ),
        reports=(
            Report(
                D("2023-12-20"),
                yuan("1 780 000"),
                100,
                "6个文化大院改造完成并投入使用。",
                "",
                "组织验收，常态化开展文化活动。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-14",
        name="阿热吾斯塘镇乡村振兴示范村建设项目",
        category=Category.RURAL,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=AREWUSITANG,
        location_detail="阿热吾斯塘镇2个示范村",
        implementing_unit="阿热吾斯塘镇人民政府",
        supervising_unit="伊宁县农业农村局",
        aid_side_contact="周雅琴",
        local_contact="吐尔洪·巴拉提",
        total_investment=yuan("3 600 000"),
        aid_funds=yuan("3 000 000"),
        content="实施村庄道路硬化、庭院经济示范和人居环境整治，培育特色种养示范户。",
        outputs=(
            ("示范村", yuan("2"), "个"),
            ("庭院经济示范户", yuan("150"), "户"),
        ),
        expected_beneficiaries=3800,
        expected_jobs=80,
        planned_start=D("2023-08-15"),
        actual_start=D("2023-08-20"),
        planned_completion=D("2024-04-30"),
        actual_completion=D("2024-04-30"),
        planned_acceptance=D("2024-08-31"),
        commitment=(D("2023-07-05"), "伊县援疆资〔2023〕23号"),
        disbursements=(
            Txn(D("2023-09-01"), yuan("1 500 000"), "伊县援疆拨〔2023〕28号"),
            Txn(D("2024-05-08"), yuan("1 050 000"), "伊县援疆拨〔2024〕09号"),
        ),
        expenditures=(
            Txn(D("2023-11-25"), yuan("1 450 000"), "记-2023-1120"),
            Txn(D("2024-05-20"), yuan("1 000 000"), "记-2024-0517"),
        ),
        reports=(
            Report(D("2023-11-20"), yuan("1 700 000"), 50, "村庄道路硬化完成，庭院经济示范户确定。"),
            Report(
                D("2024-04-30"),
                yuan("3 600 000"),
                100,
                "示范村建设内容全部完成。",
                "",
                "8月组织验收。",
            ),
        ),
    ),
    Project(
        code="NTYN-2023-15",
        name="愉群翁回族乡桑蚕产业配套设施项目",
        category=Category.RURAL,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=YUQUNWENG,
        location_detail="愉群翁回族乡桑蚕种养基地",
        implementing_unit="伊宁县农业农村局",
        supervising_unit="伊宁县农业农村局",
        aid_side_contact="朱建平",
        local_contact="马玉福",
        total_investment=yuan("2 900 000"),
        aid_funds=yuan("2 400 000"),
        content="建设标准化桑园和养蚕大棚，配套灌溉设施，带动农户发展桑蚕种养。",
        outputs=(
            ("标准化桑园", yuan("500"), "亩"),
            ("养蚕大棚", yuan("20"), "座"),
        ),
        expected_beneficiaries=600,
        expected_jobs=120,
        planned_start=D("2024-03-15"),
        actual_start=D("2024-03-18"),
        planned_completion=D("2024-09-30"),
        planned_acceptance=D("2024-12-31"),
        commitment=(D("2023-12-06"), "伊县援疆资〔2023〕36号"),
        disbursements=(Txn(D("2024-03-25"), yuan("1 440 000"), "伊县援疆拨〔2024〕07号"),),
        expenditures=(Txn(D("2024-06-15"), yuan("1 100 000"), "记-2024-0611"),),
        reports=(
            Report(
                D("2024-04-20"),
                yuan("400 000"),
                15,
                "桑苗栽植完成300亩，大棚基础施工。",
                "",
                "完成剩余桑园栽植和大棚建设。",
            ),
            Report(
                D("2024-06-25"),
                yuan("1 300 000"),
                45,
                "桑园栽植完成500亩，12座养蚕大棚建成。",
                "灌溉设施用电报装待批。",
                "9月底前全部完工。",
            ),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# A second, small program, only to demonstrate scoping (a clerk sees only their own program; the
# front command sees both). Entirely illustrative: the article says nothing about it. 伊宁市 is not
# in the reference data, so the demo adds it (statistics bureau code 654002, under 伊犁州 6540).
# ---------------------------------------------------------------------------------------------
SECOND_PROGRAM_NOTE = "南京工作组（伊宁市）及其项目纯属示意，仅用于演示按援疆项目组划分的数据权限。"

EXTRA_REGIONS = ({"code": "654002", "name": "伊宁市", "level": "county", "kind": "县级市", "parent": "6540"},)

SECOND_PROGRAM = {
    "slug": "nanjing-yiningshi-11",
    "name": "江苏援伊·南京工作组（第十一批）",
    "provider": "nanjing-wg",
    "recipient_region": "654002",  # 伊宁市
    "batch": 11,
    "term_start": D("2023-04-01"),
    "term_end": D("2026-03-31"),
}

SECOND_PROGRAM_PROJECTS: tuple[Project, ...] = (
    Project(
        code="NJYS-2023-01",
        name="伊宁市社区卫生服务中心能力提升项目（示意）",
        category=Category.HEALTH,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=None,
        location_detail="伊宁市（示意）",
        implementing_unit="伊宁市卫生健康委员会",
        supervising_unit="伊宁市卫生健康委员会",
        aid_side_contact="韩立",
        local_contact="帕丽达·艾买提",
        total_investment=yuan("3 000 000"),
        aid_funds=yuan("3 000 000"),
        content="改造社区卫生服务中心诊疗用房，配置基本诊疗设备（示意数据）。",
        outputs=(("社区卫生服务中心", yuan("3"), "个"),),
        expected_beneficiaries=30000,
        planned_start=D("2023-06-01"),
        actual_start=D("2023-06-12"),
        planned_completion=D("2023-12-31"),
        actual_completion=D("2023-12-15"),
        commitment=(D("2023-05-20"), "伊市援疆资〔2023〕05号（示意）"),
        disbursements=(Txn(D("2023-07-01"), yuan("2 400 000"), "伊市援疆拨〔2023〕09号（示意）"),),
        expenditures=(Txn(D("2023-12-20"), yuan("2 300 000"), "记-2023-1218（示意）"),),
        reports=(Report(D("2023-12-15"), yuan("3 000 000"), 100, "3个社区卫生服务中心改造完成。"),),
    ),
    Project(
        code="NJYS-2023-02",
        name="伊宁市老旧小区改造项目（示意）",
        category=Category.INFRASTRUCTURE,
        nature=Nature.RENOVATION,
        delivery_mode=DeliveryMode.CHEQUE,
        township=None,
        location_detail="伊宁市（示意）",
        implementing_unit="伊宁市住房和城乡建设局",
        supervising_unit="伊宁市住房和城乡建设局",
        aid_side_contact="韩立",
        local_contact="张永红",
        total_investment=yuan("12 000 000"),
        aid_funds=yuan("8 000 000"),
        content="改造老旧小区管网、屋面和外墙保温（示意数据）。",
        outputs=(("改造小区", yuan("6"), "个"), ("惠及居民", yuan("1500"), "户")),
        expected_beneficiaries=4500,
        planned_start=D("2024-04-01"),
        planned_completion=D("2024-10-31"),
        commitment=(D("2023-11-10"), "伊市援疆资〔2023〕18号（示意）"),
        disbursements=(),
        expenditures=(),
        reports=(),
    ),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    program: str | None  # Program slug, or
    organization: str | None  # Organization slug
    can: str
    superuser: bool = False

    @property
    def role_label(self) -> str:
        return Role(self.role).label


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "nt_clerk",
        "周文静",
        Role.CLERK,
        PROGRAM["slug"],
        None,
        "填报、修改南通工作组（第十一批）的项目、资金和进度记录",
    ),
    DemoUser(
        "nt_lead",
        "陆建华",
        Role.LEAD,
        PROGRAM["slug"],
        None,
        "审核南通工作组的数据，发布成绩单",
    ),
    DemoUser(
        "js_supervisor",
        "王志刚",
        Role.SUPERVISOR,
        None,
        "jiangsu-yili-front",
        "查看江苏援伊前方指挥部下所有工作组的数据并汇总比较",
    ),
    DemoUser(
        "auditor",
        "孙丽萍",
        Role.AUDITOR,
        None,
        "jiangsu",
        "查看江苏省援疆办范围内的全部数据和完整变更日志",
    ),
    DemoUser(
        "admin",
        "吴海燕",
        Role.ADMIN,
        None,
        "jiangsu",
        "管理用户、角色和参考数据（超级用户）",
        superuser=True,
    ),
    DemoUser(
        "nj_clerk",
        "韩雪",
        Role.CLERK,
        SECOND_PROGRAM["slug"],
        None,
        "填报南京工作组（伊宁市，示意）的记录；看不到南通工作组的数据",
    ),
)
