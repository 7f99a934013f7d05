import datetime as dt

from django.utils import timezone

from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.review.models import PeriodClose


def make_close(program, n):
    # A quarter no other case's records fall in: a closed period's figures may not change afterwards
    # (review.invariant), and the other cases create 2023's records after this one.
    with acting_as(None, source="test"):
        return PeriodClose.objects.create(
            program=program,
            start=dt.date(2020, 1, 1),
            end=dt.date(2020, 3, 31),
            label=f"结账{n}",
            closed_at=timezone.now(),
        )


register(ScopedCase(name="periodclose", make=make_close, text=lambda obj: obj.label))
