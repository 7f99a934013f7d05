"""The 消费援疆 ledger (台账, docs/ledgers.md): the columns derive from Purchase's fields
(interop.mapping.build); declared here are the headers people already write, and what a row is
matched by — one row is one purchase batch: the buyer, the supplier and the date."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "consumption.Purchase",
        kind="purchases",
        label="消费援疆采购台账",
        keys=(("buyer", "supplier", "date"),),
        synonyms={
            "buyer": ("采购方", "购买单位", "采购主体"),
            "buyer_kind": ("采购方类型", "单位类型"),
            "category": ("产品类型", "商品类别", "类别"),
            "products": ("产品", "商品", "产品名称"),
            "supplier": ("供货方", "供应商", "销售单位"),
            "township": ("乡镇", "所在乡镇", "供货乡镇"),
            "amount": ("采购额", "金额", "采购金额", "消费金额"),
            "date": ("日期", "时间", "采购时间"),
            "channel": ("渠道", "销售渠道"),
            "source": ("依据", "凭证"),
        },
        order=("buyer", "buyer_kind", "category", "products", "supplier", "township", "amount", "date"),
        position=140,
    ),
]
