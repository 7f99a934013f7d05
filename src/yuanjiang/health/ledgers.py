"""The health ledger (医疗卫生台账): docs/ledgers.md, interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "health.MedicalActivity",
        kind="medical-activities",
        label="医疗卫生台账",
        keys=(("title", "date"),),
        synonyms={
            "title": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("活动日期", "时间"),
            "township": ("乡镇", "所在乡镇", "开展乡镇"),
            "beneficiaries": ("受益人数", "服务群众", "诊疗人次", "义诊人次", "受益群众"),
            "cases": ("病例", "病例数"),
        },
        position=90,
    ),
]
