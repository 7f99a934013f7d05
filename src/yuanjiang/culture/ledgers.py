"""The culture ledger (文旅活动台账): docs/ledgers.md, interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "culture.CultureEvent",
        kind="culture-events",
        label="文旅活动台账",
        keys=(("name", "date"),),
        synonyms={
            "name": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("开始日期", "时间", "日期"),
            "township": ("乡镇", "所在乡镇"),
            "participants": ("参与人数", "参与人次", "参加人数", "参与群众"),
        },
        position=100,
    ),
]
