"""Demo records of 文旅 for the seed's work group: "围绕'四季游'谋篇布局文旅产业" and 交流交往交融
activities. 示例数据: every event's name, date, place and head count is illustrative; so is the
reported tourist figure (a 报送数 with its — illustrative — source document)."""

import datetime as dt
from decimal import Decimal

from yuanjiang.culture.choices import EventKind
from yuanjiang.culture.models import CultureEvent
from yuanjiang.metrics.models import ManualValue

NOTE = "（示例数据：活动名称、日期、地点和人数为示意）"
TULUFANYUZI = "654021201"  # 吐鲁番于孜乡 (杏花沟)
JILIYUZI = "654021100"
KASHI = "654021107"

EVENTS = (
    (
        "“通伊一家亲”民族团结联谊活动",
        EventKind.EXCHANGE,
        dt.date(2023, 7, 28),
        None,
        KASHI,
        "喀什镇文化大院",
        600,
    ),
    (
        "伊宁县“四季游”文旅推介会（南通站）",
        EventKind.TOURISM_PROMOTION,
        dt.date(2023, 10, 19),
        None,
        None,
        "南通市",
        350,
    ),
    (
        "南通—伊宁青少年“手拉手”研学交流",
        EventKind.EXCHANGE,
        dt.date(2023, 8, 6),
        dt.date(2023, 8, 12),
        None,
        "南通市",
        80,
    ),
    (
        "“四季游”冬季冰雪旅游推介",
        EventKind.TOURISM_PROMOTION,
        dt.date(2024, 1, 13),
        None,
        JILIYUZI,
        "伊宁县城",
        1200,
    ),
    (
        "“四季游”杏花季旅游推介活动",
        EventKind.TOURISM_PROMOTION,
        dt.date(2024, 4, 6),
        dt.date(2024, 4, 8),
        TULUFANYUZI,
        "吐鲁番于孜乡杏花沟",
        5000,
    ),
    ("南通文艺小分队“送文化下乡”巡演", EventKind.CULTURAL, dt.date(2024, 5, 18), None, KASHI, "喀什镇", 900),
)


def load(ctx):
    program = ctx.program
    for name, kind, date, end_date, township, place, participants in EVENTS:
        ctx.save(
            CultureEvent(
                program=program,
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
    ctx.save(
        ManualValue(
            program=program,
            metric="culture.tourist_visits",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 5, 31),
            value=Decimal("1260000"),
            source="伊宁县文化体育广播电视和旅游局《2024年1—5月旅游接待情况》（示例）",
            reporter="伊宁县文化体育广播电视和旅游局",
            source_date=dt.date(2024, 6, 12),
            note="示例数据：数值和来源文件为示意，非官方统计。",
        )
    )
