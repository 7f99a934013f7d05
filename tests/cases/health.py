import datetime as dt

from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.investment.models import Institution


def hospital(name="南通市第一人民医院", kind=InstitutionKind.HOSPITAL):
    with acting_as(None, source="test"):
        return Institution.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def make_activity(program, n, **fields):
    """A valid activity of `program` (a free clinic in none of the townships unless one is given)."""
    defaults = {
        "program": program,
        "kind": ActivityKind.FREE_CLINIC,
        "title": f"测试活动{n}",
        "date": dt.date(2023, 11, 14),
        "beneficiaries": 10,
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        activity = MedicalActivity(**defaults)
        activity.full_clean()
        activity.save()
        return activity


register(
    ScopedCase(
        name="medicalactivity",
        make=lambda program, n: make_activity(
            program, n, title=f"套件活动{n}", kind=ActivityKind.TELECONSULTATION, partner_hospital=hospital()
        ),
        list_url="health:medicalactivity_list",
        detail_url="health:medicalactivity_detail",
        edit_url="health:medicalactivity_edit",
        delete_url="health:medicalactivity_delete",
        text=lambda obj: obj.title,
    )
)
