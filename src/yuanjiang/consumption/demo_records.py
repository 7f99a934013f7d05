"""Demo records of 消费援疆 for the seed's work group: purchases of 伊宁县's products by 南通's
agencies, unions, enterprises, hospitals and people. 示例数据: every buyer, supplier, amount and
date is illustrative (示意); the rows are data (consumption/demo/rows.csv: choice values, township
codes, amounts in 万元), loaded through ctx.save (full_clean, change log, 已审核)."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from yuanjiang.consumption.models import Purchase

DATA = Path(__file__).with_name("demo")
NOTE = "示例数据：采购单位、供货单位、金额和日期为示意。"
WAN = Decimal(10000)


def rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_rows(ctx, name: str, note: str = NOTE):
    for row in rows(name):
        ctx.save(
            Purchase(
                program=ctx.program,
                buyer=row["buyer"],
                buyer_kind=row["buyer_kind"],
                category=row["category"],
                products=row["products"],
                supplier=row["supplier"],
                township=ctx.townships[row["township"]] if row["township"] else None,
                amount=Decimal(row["amount_wan"]) * WAN,
                date=dt.date.fromisoformat(row["date"]),
                channel=row["channel"],
                source=row["source"],
                note=note,
            )
        )


def load(ctx):
    load_rows(ctx, "rows.csv")
