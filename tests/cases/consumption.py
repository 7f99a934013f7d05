"""消费援疆 purchases in the generic test kit (tests/kit.py)."""

import datetime as dt
from decimal import Decimal

from tests.kit import ScopedCase, register
from yuanjiang.consumption.models import Purchase
from yuanjiang.core.context import acting_as


def make_purchase(program, n, **fields):
    defaults = {
        "program": program,
        "buyer": f"套件采购单位{n}",
        "buyer_kind": "union",
        "category": "farm",
        "supplier": f"套件供货合作社{n}",
        "amount": Decimal("250000"),
        "date": dt.date(2024, 3, 1),
        "channel": "institutional",
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return Purchase.objects.create(**defaults)


register(
    ScopedCase(
        name="purchase",
        make=make_purchase,
        list_url="consumption:purchase_list",
        detail_url="consumption:purchase_detail",
        edit_url="consumption:purchase_edit",
        delete_url="consumption:purchase_delete",
        text=lambda obj: obj.buyer,
    )
)
