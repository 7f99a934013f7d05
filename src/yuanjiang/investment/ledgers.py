"""The investment ledgers (招商活动、招商项目台账; 对接记录 derived): docs/ledgers.md, interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "investment.PromotionEvent",
        kind="promotion-events",
        label="招商活动台账",
        keys=(("title", "date"),),
        synonyms={
            "title": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("活动日期", "时间"),
            "place": ("活动地点",),
        },
        position=50,
    ),
    LedgerSpec(
        "investment.InvestmentProject",
        kind="investment-projects",
        label="招商项目台账",
        keys=(("name",),),
        synonyms={
            "name": ("名称", "招商项目名称", "招商项目"),
            "enterprise": ("企业", "投资企业", "企业名称", "签约企业"),
            "cluster": ("产业", "所属产业", "产业集群"),
            "park": ("园区", "落户园区", "所在园区"),
            "township": ("乡镇", "落户乡镇", "所在乡镇"),
            "planned_investment": ("计划投资", "总投资", "投资额", "协议投资额", "签约金额"),
            "actual_investment": ("完成投资", "实际到位资金", "到位资金"),
            "expected_jobs": ("预计带动就业", "带动就业"),
            "actual_jobs": ("实际带动就业", "实际就业"),
            "annual_output": ("产值", "预计年产值"),
        },
        exclude=("signed_event",),
        position=60,
    ),
    LedgerSpec("investment.Contact", position=210),
]

# A cell names an enterprise by its name, else its unified social credit code.
LOOKUPS = {"investment.Enterprise": ("name", "credit_code")}
