"""文化润疆与文旅 in the demo's second year (2024-07-01 to 2025-06-30): wholly illustrative (示意).

Exchange activities and 四季游 promotions; no reported tourist figure (a 报送数 needs a source
document, and the demo has none for these months). Nothing is dated before 2024-07-01.
"""

import datetime as dt

from yuanjiang.culture.choices import EventKind
from yuanjiang.culture.demo_records import JILIYUZI, KASHI, TULUFANYUZI
from yuanjiang.culture.models import CultureEvent

NOTE = "（示例数据：第二年，活动名称、日期、地点和人数为示意）"
D = dt.date.fromisoformat

# (name, kind, date, end date, township code, place, participants)
EVENTS = (
    (
        "南通—伊宁青少年“手拉手”夏令营",
        EventKind.EXCHANGE,
        D("2024-07-16"),
        D("2024-07-23"),
        None,
        "南通市",
        90,
    ),
    (
        "“四季游”夏季草原旅游推介",
        EventKind.TOURISM_PROMOTION,
        D("2024-07-26"),
        None,
        JILIYUZI,
        "伊宁县城",
        1500,
    ),
    (
        "“通伊一家亲”中秋民族团结联谊活动",
        EventKind.EXCHANGE,
        D("2024-09-14"),
        None,
        KASHI,
        "喀什镇文化大院",
        650,
    ),
    (
        "“四季游”秋季采摘节旅游推介",
        EventKind.TOURISM_PROMOTION,
        D("2024-09-28"),
        D("2024-09-30"),
        None,
        "伊宁县",
        3200,
    ),
    (
        "南通文艺小分队“送文化下乡”冬季巡演",
        EventKind.CULTURAL,
        D("2024-12-18"),
        None,
        JILIYUZI,
        "吉里于孜镇",
        800,
    ),
    (
        "“四季游”冰雪旅游推介（南通站）",
        EventKind.TOURISM_PROMOTION,
        D("2025-01-10"),
        None,
        None,
        "南通市",
        420,
    ),
    (
        "“四季游”杏花季旅游推介活动（2025年）",
        EventKind.TOURISM_PROMOTION,
        D("2025-04-05"),
        D("2025-04-07"),
        TULUFANYUZI,
        "吐鲁番于孜乡杏花沟",
        5600,
    ),
    (
        "“通伊一家亲”端午民族团结联谊活动",
        EventKind.EXCHANGE,
        D("2025-05-31"),
        None,
        KASHI,
        "喀什镇文化大院",
        700,
    ),
)


def load(ctx):
    for name, kind, date, end_date, township, place, participants in EVENTS:
        ctx.save(
            CultureEvent(
                program=ctx.program,
                name=name,
                kind=kind,
                date=date,
                end_date=end_date,
                township=ctx.townships[township] if township else None,
                place=place,
                participants=participants,
                partners="江苏援伊·南通工作组、伊宁县文化体育广播电视和旅游局",
                description=NOTE,
            )
        )
