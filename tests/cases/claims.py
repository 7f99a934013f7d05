import datetime as dt

from tests.kit import ScopedCase, register
from yuanjiang.claims.models import ClaimCheck
from yuanjiang.core.context import acting_as


def make_check(program, n):
    with acting_as(None, source="test"):
        check = ClaimCheck(
            program=program,
            title=f"核对稿件{n}",
            text="受益群众2500余人次。",
            period_start=dt.date(2023, 4, 1),
            period_end=dt.date(2024, 6, 30),
            results=[],
            summary={"相符": 0},
        )
        check.full_clean()
        check.save()
        return check


register(
    ScopedCase(
        name="claimcheck",
        make=make_check,
        list_url="claims:claimcheck_list",
        detail_url="claims:claimcheck_detail",
        delete_url="claims:claimcheck_delete",
        text=lambda obj: obj.title,
    )
)
