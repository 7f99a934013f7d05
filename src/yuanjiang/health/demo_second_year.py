"""医疗援疆 in the demo's second year (2024-07-01 to 2025-06-30): wholly illustrative (示意).

A second round of “通医在伊走基层” free clinics (twelve of the county's townships), remote
consultations, visiting experts, two new techniques and health-education videos. Nothing is dated
before 2024-07-01: the article's 全覆盖 and 2 536 人次 stay those of its period.
"""

from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.demo_records import D, _hospitals
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships

NOTE = "示例数据（第二年，示意）。"

# (date, occasion, township code, beneficiaries)
FREE_CLINICS = (
    (D("2024-07-28"), "世界肝炎日", "654021100", 152),  # 吉里于孜镇
    (D("2024-07-28"), "世界肝炎日", "654021106", 118),  # 萨木于孜镇
    (D("2024-09-20"), "全国爱牙日", "654021103", 109),  # 胡地于孜镇
    (D("2024-09-20"), "全国爱牙日", "654021201", 97),  # 吐鲁番于孜乡
    (D("2024-11-14"), "世界糖尿病日", "654021107", 141),  # 喀什镇
    (D("2024-11-14"), "世界糖尿病日", "654021205", 126),  # 愉群翁回族乡
    (D("2025-03-18"), "全国爱肝日", "654021101", 118),  # 墩麻扎镇
    (D("2025-03-18"), "全国爱肝日", "654021104", 104),  # 巴依托海镇
    (D("2025-04-07"), "世界卫生日", "654021203", 112),  # 武功乡
    (D("2025-05-17"), "世界高血压日", "654021102", 133),  # 英塔木镇
    (D("2025-05-17"), "世界高血压日", "654021215", 95),  # 曲鲁海乡
    (D("2025-06-13"), "", "654021108", 101),  # 维吾尔玉其温镇
)

# (date, partner, host, department, cases)
TELECONSULTATIONS = (
    (D("2024-08-13"), "nantong_first", "yining_peoples", "心血管内科", 4),
    (D("2024-12-03"), "nantong_tcm", "yining_tcm", "针灸推拿科", 3),
    (D("2025-04-22"), "nantong_first", "yining_peoples", "多学科（MDT）", 5),
)

# (date, partner, host, department, doctors, beneficiaries)
EXPERT_VISITS = (
    (
        D("2024-09-02"),
        "nantong_first",
        "yining_peoples",
        "神经内科",
        "南通市第一人民医院专家2名（示意）",
        186,
    ),
    (
        D("2025-05-12"),
        "nantong_first",
        "yining_peoples",
        "心血管内科",
        "南通市第一人民医院专家团队（示意）",
        230,
    ),
)

# (date, department, doctors, technique, cases)
TECHNIQUES = (
    (D("2024-10-16"), "心血管内科", "赵东生", "冠状动脉腔内影像引导下介入治疗", 3),
    (D("2025-04-29"), "神经内科", "南通援疆医疗队（示意）", "急性缺血性脑卒中静脉溶栓", 2),
)


def load(ctx):
    program = ctx.program
    hospitals = _hospitals(ctx)
    townships = {t.code: t for t in county_townships([program.recipient_region_id])}
    for date, occasion, code, beneficiaries in FREE_CLINICS:
        township = townships[code]
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.FREE_CLINIC,
                title=f"“通医在伊走基层”主题巡回义诊（{township.name}，第二轮）",
                date=date,
                occasion=occasion,
                township=township,
                place=f"{township.name}卫生院",
                host_hospital=hospitals["yining_peoples"],
                doctors="南通援疆医疗队",
                beneficiaries=beneficiaries,
                description="测血压、血糖，健康咨询，发放科普资料。",
                note=NOTE,
            )
        )
    for date, partner, host, department, cases in TELECONSULTATIONS:
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.TELECONSULTATION,
                title=f"两地多学科远程会诊（{department}）",
                date=date,
                host_hospital=hospitals[host],
                partner_hospital=hospitals[partner],
                department=department,
                place=hospitals[host].name,
                cases=cases,
                beneficiaries=cases,
                note=NOTE,
            )
        )
    for date, partner, host, department, doctors, beneficiaries in EXPERT_VISITS:
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.EXPERT_VISIT,
                title=f"“候鸟式”名医专家来伊坐诊带教（{department}）",
                date=date,
                host_hospital=hospitals[host],
                partner_hospital=hospitals[partner],
                department=department,
                doctors=doctors,
                beneficiaries=beneficiaries,
                description="坐诊、教学查房、疑难病例讨论，带教本地医生。",
                note=NOTE,
            )
        )
    for date, department, doctors, technique, cases in TECHNIQUES:
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.NEW_TECHNIQUE,
                title=technique,
                date=date,
                host_hospital=hospitals["yining_peoples"],
                department=department,
                doctors=doctors,
                technique=technique,
                cases=cases,
                beneficiaries=cases,
                note=NOTE,
            )
        )
    for date, title in (
        (D("2024-09-20"), "“通医在伊话医”科普短视频：口腔健康从小做起"),
        (D("2025-05-17"), "“通医在伊话医”科普短视频：高血压的自我管理"),
    ):
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.HEALTH_EDUCATION,
                title=title,
                date=date,
                doctors="南通援疆医疗队",
                note=NOTE,
            )
        )
