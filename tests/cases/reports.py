import datetime as dt
from decimal import Decimal

from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.reports.models import Target


def make_target(program, n):
    with acting_as(None, source="test"):
        return Target.objects.create(
            program=program,
            metric="projects.count",
            # A month of its own for each n (below 144), within the dates a form accepts (2018-04 … 2031-03).
            period_start=dt.date(2019 + n // 12 % 12, n % 12 + 1, 1),
            period_end=dt.date(2019 + n // 12 % 12, n % 12 + 1, 28),
            value=Decimal(n),
            note=f"目标说明{n}号",
        )


register(
    ScopedCase(
        name="target",
        make=make_target,
        list_url="reports:target_list",
        edit_url="reports:target_edit",
        delete_url="reports:target_delete",
        text=lambda obj: obj.note,
    )
)
