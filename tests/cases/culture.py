"""Culture events and reported figures (metrics.ManualValue) in the generic test kit (tests/kit.py)."""

import datetime as dt
from decimal import Decimal

from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.culture.models import CultureEvent
from yuanjiang.metrics.models import ManualValue


def make_event(program, n, **fields):
    defaults = {
        "program": program,
        "name": f"套件活动{n}",
        "kind": "tourism_promotion",
        "date": dt.date(2024, 4, 6),
        "place": "杏花沟",
        "participants": 100,
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return CultureEvent.objects.create(**defaults)


def make_manual_value(
    program, n, metric="culture.tourist_visits", value="1000", start=None, end=None, **fields
):
    start = start or dt.date(2019, 1, 1) + dt.timedelta(days=2 * n)  # within the plausible dates
    defaults = {
        "program": program,
        "metric": metric,
        "period_start": start,
        "period_end": end or start,
        "value": Decimal(value),
        "source": f"套件来源文件{n}",
        "source_date": dt.date(2024, 6, 12),
        "review_status": "approved",
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return ManualValue.objects.create(**defaults)


register(
    ScopedCase(
        name="cultureevent",
        make=make_event,
        list_url="culture:cultureevent_list",
        detail_url="culture:cultureevent_detail",
        edit_url="culture:cultureevent_edit",
        delete_url="culture:cultureevent_delete",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="manualvalue",
        make=make_manual_value,
        list_url="metrics:manualvalue_list",
        detail_url="metrics:manualvalue_detail",
        edit_url="metrics:manualvalue_edit",
        delete_url="metrics:manualvalue_delete",
        text=lambda obj: obj.source,
    )
)
