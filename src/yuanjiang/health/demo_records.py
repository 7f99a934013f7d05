"""医疗援疆 demo records for 南通工作组（第十一批）, from the seed article's medical-aid paragraph:

- 南通市第一人民医院、中医院 paired with 伊宁县's hospitals, 两地多学科远程会诊;
- “候鸟式”名医专家来伊 technical guidance (专家坐诊带教);
- 赵东生 (南通援疆医生, 伊宁县人民医院心血管内科副主任) performed 房颤消融 (a new technique);
- “通医在伊话医”科普短视频 (健康科普);
- “通医在伊走基层”巡回义诊 on days such as 世界糖尿病日 and 全国爱肝日, “实现全县20个乡镇全覆盖，
  受益群众2500余人次”.

Reproduced: a free clinic in every township of the county's reference list (org/data/
yining-townships.csv: 18 乡镇 — 10 镇 and 8 乡; the article writes 20, see docs/metrics.md), and
2 536 beneficiaries in all (2500余). Everything else — which township on which day, each clinic's
beneficiaries, the consultations, visiting experts and their dates, case numbers — is illustrative
(示例数据), and every such record says so in its note. No date is later than the article (June 2024).
"""

import datetime as dt

from yuanjiang.demo.services import DemoError
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution

D = dt.date.fromisoformat
NOTE = "示例数据：日期、人次等为示意，报道仅载“全县乡镇全覆盖，受益群众2500余人次”。"
ILLUSTRATIVE = "示例数据（示意）。"

# (name, location, note) of the hospitals; get-or-create by name (shared reference records).
HOSPITALS = {
    "yining_peoples": ("伊宁县人民医院", "新疆伊犁州伊宁县", ""),
    "yining_tcm": ("伊宁县中医医院", "新疆伊犁州伊宁县", "示例数据：名称为示意。"),
    "nantong_first": ("南通市第一人民医院", "江苏省南通市", ""),
    "nantong_tcm": ("南通市中医院", "江苏省南通市", ""),
}

# The free clinics: (date, occasion, township code, beneficiaries). Every township of the reference
# list at least once; three townships twice. Beneficiaries add up to 2 536 (“2500余人次”).
FREE_CLINICS = (
    (D("2023-05-17"), "世界高血压日", "654021100", 168),  # 吉里于孜镇
    (D("2023-05-17"), "世界高血压日", "654021101", 124),  # 墩麻扎镇
    (D("2023-05-17"), "世界高血压日", "654021102", 131),  # 英塔木镇
    (D("2023-07-28"), "世界肝炎日", "654021103", 117),  # 胡地于孜镇
    (D("2023-07-28"), "世界肝炎日", "654021104", 109),  # 巴依托海镇
    (D("2023-09-20"), "全国爱牙日", "654021105", 122),  # 阿热吾斯塘镇
    (D("2023-09-20"), "全国爱牙日", "654021106", 115),  # 萨木于孜镇
    (D("2023-11-14"), "世界糖尿病日", "654021107", 146),  # 喀什镇
    (D("2023-11-14"), "世界糖尿病日", "654021108", 138),  # 维吾尔玉其温镇
    (D("2023-11-14"), "世界糖尿病日", "654021109", 127),  # 温亚尔镇
    (D("2023-11-14"), "世界糖尿病日", "654021201", 119),  # 吐鲁番于孜乡
    (D("2024-03-18"), "全国爱肝日", "654021202", 121),  # 喀拉亚尕奇乡
    (D("2024-03-18"), "全国爱肝日", "654021203", 133),  # 武功乡
    (D("2024-03-18"), "全国爱肝日", "654021204", 126),  # 萨地克于孜乡
    (D("2024-03-18"), "全国爱肝日", "654021205", 142),  # 愉群翁回族乡
    (D("2024-04-07"), "世界卫生日", "654021212", 108),  # 麻扎乡
    (D("2024-04-07"), "世界卫生日", "654021214", 112),  # 阿乌利亚乡
    (D("2024-05-17"), "世界高血压日", "654021215", 104),  # 曲鲁海乡
    (D("2024-05-17"), "世界高血压日", "654021100", 96),  # 吉里于孜镇, again
    (D("2024-06-14"), "", "654021102", 88),  # 英塔木镇, again
    (D("2024-06-14"), "", "654021205", 90),  # 愉群翁回族乡, again
)

# Remote consultations: (date, partner, host, department, cases).
TELECONSULTATIONS = (
    (D("2023-06-20"), "nantong_first", "yining_peoples", "心血管内科", 3),
    (D("2023-09-12"), "nantong_first", "yining_peoples", "神经内科", 2),
    (D("2023-12-05"), "nantong_tcm", "yining_tcm", "针灸推拿科", 4),
    (D("2024-01-16"), "nantong_first", "yining_peoples", "多学科（MDT）", 5),
    (D("2024-03-26"), "nantong_tcm", "yining_tcm", "脾胃病科", 3),
    (D("2024-05-21"), "nantong_first", "yining_peoples", "呼吸与危重症医学科", 2),
)

# “候鸟式”名医专家: (date, partner, host, department, doctors, beneficiaries).
EXPERT_VISITS = (
    (
        D("2023-08-07"),
        "nantong_first",
        "yining_peoples",
        "心血管内科",
        "南通市第一人民医院心内科专家（示意）",
        86,
    ),
    (D("2023-10-16"), "nantong_tcm", "yining_tcm", "中医内科", "南通市中医院名中医（示意）", 120),
    (
        D("2024-04-22"),
        "nantong_first",
        "yining_peoples",
        "普外科",
        "南通市第一人民医院普外科专家（示意）",
        64,
    ),
)


def _hospitals(ctx) -> dict[str, Institution]:
    result = {}
    for key, (name, location, note) in HOSPITALS.items():
        existing = Institution.objects.filter(name=name).first()
        result[key] = existing or ctx.save(
            Institution(name=name, kind=InstitutionKind.HOSPITAL, location=location, note=note)
        )
    return result


def load(ctx):
    program = ctx.program
    hospitals = _hospitals(ctx)
    townships = {t.code: t for t in county_townships([program.recipient_region_id])}
    planned = {code for _d, _o, code, _b in FREE_CLINICS}
    if planned != set(townships):
        raise DemoError(f"义诊演示数据与乡镇参考名录不一致：{sorted(planned ^ set(townships))}")

    for date, occasion, code, beneficiaries in FREE_CLINICS:
        township = townships[code]
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.FREE_CLINIC,
                title=f"“通医在伊走基层”主题巡回义诊（{township.name}）",
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
                note=ILLUSTRATIVE,
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
                note=ILLUSTRATIVE,
            )
        )
    ctx.save(
        MedicalActivity(
            program=program,
            kind=ActivityKind.NEW_TECHNIQUE,
            title="房颤消融手术",
            date=D("2024-06-12"),
            host_hospital=hospitals["yining_peoples"],
            department="心血管内科",
            doctors="赵东生",
            technique="房颤消融术",
            cases=1,
            beneficiaries=1,
            description="南通援疆医生、伊宁县人民医院心血管内科副主任赵东生为一名患者进行房颤消融手术（报道所载）。",
            note="示例数据：日期为示意（报道称“不久前”）。",
        )
    )
    for date, title in (
        (D("2023-11-10"), "“通医在伊话医”科普短视频：糖尿病的预防与管理"),
        (D("2024-03-15"), "“通医在伊话医”科普短视频：守护肝脏健康"),
    ):
        ctx.save(
            MedicalActivity(
                program=program,
                kind=ActivityKind.HEALTH_EDUCATION,
                title=title,
                date=date,
                doctors="南通援疆医疗队",
                note=ILLUSTRATIVE,
            )
        )
