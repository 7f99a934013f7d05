"""Investment models in the test kit (tests/kit.py), and the factories the investment tests use."""

import datetime as dt
from decimal import Decimal

from tests.factories import make_project
from tests.kit import ScopedCase, SharedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    Institution,
    InvestmentPhase,
    InvestmentProject,
    Park,
    ParkUpgrade,
    PromotionEvent,
)


def _create(model, **fields):
    with acting_as(None, source="test"):
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        return obj


def make_enterprise(n, **fields):
    return _create(Enterprise, **{"name": f"测试企业{n}", "industry": "测试", **fields})


def make_institution(n, **fields):
    return _create(Institution, **{"name": f"测试机构{n}", "kind": "university", **fields})


def make_park(n, county=None, **fields):
    from yuanjiang.org.models import Region

    county = county or Region.objects.get(code="654021")
    return _create(Park, **{"name": f"测试园区{n}", "county": county, **fields})


def make_event(program, n, **fields):
    defaults = {
        "program": program,
        "title": f"测试招商活动{n}",
        "kind": "themed",
        "date": dt.date(2023, 6, 1),
        "review_status": "approved",  # metric tests count 已审核 records (tests/factories.make_transaction)
    }
    return _create(PromotionEvent, **{**defaults, **fields})


def make_contact(program, n, **fields):
    if "enterprise" not in fields and "institution" not in fields:
        fields["enterprise"] = make_enterprise(n)
    return _create(
        Contact, **{"program": program, "review_status": "approved", "date": dt.date(2023, 6, 1), **fields}
    )


def make_investment(program, n, **fields):
    if "enterprise" not in fields:
        fields["enterprise"] = make_enterprise(n)
    defaults = {
        "program": program,
        "name": f"测试招商项目{n}",
        "signed_date": dt.date(2023, 7, 1),
        "planned_investment": Decimal("10000000"),
        "expected_jobs": 10,
        "review_status": "approved",
    }
    return _create(InvestmentProject, **{**defaults, **fields})


def make_phase(program, n, **fields):
    project = fields.pop("project", None) or make_investment(program, n, name=f"分期项目{n}")
    return _create(InvestmentPhase, **{"project": project, "sequence": 1, "name": "一期", **fields})


def make_upgrade(program, n):
    park = make_park(n, county=program.recipient_region, name=f"改造园区{n}")
    return _create(ParkUpgrade, park=park, aid_project=make_project(program, n, name=f"园区改造项目{n}"))


register(
    ScopedCase(
        name="promotionevent",
        make=make_event,
        list_url="investment:promotionevent_list",
        detail_url="investment:promotionevent_detail",
        edit_url="investment:promotionevent_edit",
        text=lambda obj: obj.title,
    )
)
register(
    ScopedCase(
        name="contact",
        make=lambda program, n: make_contact(program, n, enterprise=make_enterprise(n, name=f"对接企业{n}")),
        list_url="investment:contact_list",
        detail_url="investment:contact_detail",
        edit_url="investment:contact_edit",
        delete_url="investment:contact_delete",
        text=lambda obj: obj.enterprise.name,
    )
)
register(
    ScopedCase(
        name="investmentproject",
        make=make_investment,
        list_url="investment:investmentproject_list",
        detail_url="investment:investmentproject_detail",
        edit_url="investment:investmentproject_edit",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="investmentphase",
        make=make_phase,
        edit_url="investment:investmentphase_edit",
        delete_url="investment:investmentphase_delete",
    )
)
register(ScopedCase(name="parkupgrade", make=make_upgrade, delete_url="investment:parkupgrade_delete"))

register(
    SharedCase(
        name="enterprise",
        make=make_enterprise,
        list_url="investment:enterprise_list",
        detail_url="investment:enterprise_detail",
        edit_url="investment:enterprise_edit",
        text=lambda obj: obj.name,
    )
)
register(
    SharedCase(
        name="institution",
        make=make_institution,
        list_url="investment:institution_list",
        detail_url="investment:institution_detail",
        edit_url="investment:institution_edit",
        text=lambda obj: obj.name,
    )
)
register(
    SharedCase(
        name="park",
        make=make_park,
        list_url="investment:park_list",
        detail_url="investment:park_detail",
        edit_url="investment:park_edit",
        text=lambda obj: obj.name,
    )
)
