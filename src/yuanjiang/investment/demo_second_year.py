"""产业援疆 in the demo's second year (2024-07-01 to 2025-06-30): wholly illustrative (示例数据，示意).

Themed promotion events, the front command's 2025 signing ceremony, contacts with leading
enterprises and institutions, and investment projects signed and landed in the year — two of them in
the 青创园. Nothing is dated before 2024-07-01: the article's figures (13 events, 53 enterprises, 9
institutions, 10 landed, 3 signed) stay those of its period.
"""

from yuanjiang.investment.choices import ContactKind, EventKind
from yuanjiang.investment.demo_records import D, yuan
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    IndustryCluster,
    Institution,
    InvestmentProject,
    Park,
    PromotionEvent,
)
from yuanjiang.org.models import Organization

NOTE = "示例数据（第二年，示意）"
SAMUYUZI = "654021106"  # 萨木于孜镇

# (date, place, title) of the themed events (专题招商).
THEMED_EVENTS = (
    ("2024-08-22", "南通市", "伊宁县—南通市农副产品精深加工专题招商会（示意）"),
    ("2024-10-17", "上海市", "伊宁县新能源及装备制造专题招商推介会（示意）"),
    ("2024-12-05", "苏州市", "伊宁县纺织服装产业专题招商对接会（示意）"),
    ("2025-03-14", "南京市", "伊宁县文旅康养产业专题招商会（示意）"),
    ("2025-05-20", "乌鲁木齐市", "亚欧商品贸易博览会伊宁县专题推介（示意）"),
)

# (key, name, industry, origin)
ENTERPRISES = (
    ("dairy", "示例乳制品企业（第二年）", "乳制品加工", "江苏南通"),
    ("cold", "示例冷链物流企业（第二年）", "冷链物流", "江苏南通"),
    ("garment", "示例服装企业（第二年）", "纺织服装", "江苏南通"),
    ("resort", "示例文旅康养企业（第二年）", "文旅康养", "江苏南京"),
)


def load(ctx):
    save = ctx.save
    program = ctx.program
    front = Organization.objects.get(slug="jiangsu-yili-front")
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    park = Park.objects.get(owner=program, name="伊宁县青创园")
    ent = {
        key: save(
            Enterprise(name=name, industry=industry, origin=origin, is_leading=True, note=NOTE, owner=program)
        )
        for key, name, industry, origin in ENTERPRISES
    }

    events = [
        save(
            PromotionEvent(
                program=program, title=title, kind=EventKind.THEMED, date=D(date), place=place, note=NOTE
            )
        )
        for date, place, title in THEMED_EVENTS
    ]
    ceremony = save(
        PromotionEvent(
            program=program,
            title="江苏援伊前方指挥部2025年招商项目签约仪式（示意）",
            kind=EventKind.SIGNING,
            date=D("2025-04-18"),
            place="伊宁市",
            organizer=front,
            note=NOTE,
        )
    )

    # Contacts: the new enterprises and a dozen leading enterprises met again; three institutions.
    leading = list(
        Enterprise.objects.filter(owner=program, is_leading=True, name__startswith="示例龙头企业").order_by(
            "name"
        )[:12]
    )
    for i, enterprise in enumerate([*ent.values(), *leading]):
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
    for i, institution in enumerate(
        Institution.objects.filter(contacts__program=program).distinct().order_by("name")[:3]
    ):
        event = events[(i + 1) % len(events)]
        save(
            Contact(
                program=program,
                date=event.date,
                kind=ContactKind.VISIT,
                institution=institution,
                event=event,
                outcome="回访交流，商谈科技成果转化（示意）",
            )
        )

    def project(name, enterprise, cluster, **fields):
        return save(
            InvestmentProject(
                program=program,
                name=name,
                enterprise=enterprise,
                cluster=clusters[cluster],
                note=NOTE,
                **fields,
            )
        )

    project(
        "示例乳制品精深加工项目（第二年）",
        ent["dairy"],
        "livestock",
        township=ctx.townships[SAMUYUZI],
        negotiation_date=D("2024-08-22"),
        signed_date=D("2024-09-20"),
        landed_date=D("2024-10-28"),
        started_date=D("2025-04-02"),
        planned_investment=yuan("80 000 000"),
        expected_jobs=90,
    )
    project(
        "示例冷链物流分拨中心项目（第二年）",
        ent["cold"],
        "modern-services",
        park=park,
        negotiation_date=D("2024-08-22"),
        signed_date=D("2024-11-06"),
        landed_date=D("2024-12-10"),
        started_date=D("2025-03-25"),
        planned_investment=yuan("36 000 000"),
        expected_jobs=45,
    )
    # The three projects signed at the 2025 ceremony.
    project(
        "示例服装加工项目（第二年）",
        ent["garment"],
        "cotton-textile",
        park=park,
        signed_event=ceremony,
        negotiation_date=D("2024-12-05"),
        signed_date=D("2025-04-18"),
        landed_date=D("2025-05-26"),
        planned_investment=yuan("60 000 000"),
        expected_jobs=120,
    )
    project(
        "示例杏花沟文旅康养项目（第二年）",
        ent["resort"],
        "culture-tourism",
        township=ctx.townships["654021201"],
        signed_event=ceremony,
        negotiation_date=D("2025-03-14"),
        signed_date=D("2025-04-18"),
        planned_investment=yuan("90 000 000"),
        expected_jobs=60,
    )
    project(
        "示例饲草料加工项目（第二年）",
        ent["dairy"],
        "livestock",
        signed_event=ceremony,
        negotiation_date=D("2025-02-20"),
        signed_date=D("2025-04-18"),
        planned_investment=yuan("30 000 000"),
        expected_jobs=25,
    )
