"""消费援疆 in the demo's second year (2024-07-01 to 2025-06-30): wholly illustrative (示意), rows in
consumption/demo/second_year.csv; nothing is dated before 2024-07-01."""

from yuanjiang.consumption.demo_records import load_rows

NOTE = "示例数据：第二年，采购单位、供货单位、金额和日期为示意。"


def load(ctx):
    load_rows(ctx, "second_year.csv", NOTE)
