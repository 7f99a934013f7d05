"""Factories for talent records (plain functions that build valid records, like tests/factories.py)."""

import datetime as dt
from decimal import Decimal

from yuanjiang.core.context import acting_as
from yuanjiang.investment.models import Institution
from yuanjiang.talent import services
from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse


def talent_field(code="economy") -> TalentField:
    """A field of the reference list (loaded on demand: transactional tests flush migration data)."""
    services.reference_load()
    return TalentField.objects.get(code=code)


def make_worker(program, n, **fields):
    defaults = {
        "program": program,
        "name": f"援疆人员{n}",
        "kind": "teacher",
        "home_unit": "南通市第一中学",
        "host_unit": "伊宁县第二中学",
        "post": "数学教师",
        "term_start": dt.date(2023, 8, 15),
        "term_end": dt.date(2025, 1, 20),
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return AidWorker.objects.create(**defaults)


def make_visit(program, n, field="economy", **fields):
    defaults = {
        "program": program,
        "field": talent_field(field),
        "experts": f"专家团队{n}",
        "start": dt.date(2023, 9, 1),
        "people": 3,
        "person_times": 3,
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return TalentVisit.objects.create(**defaults)


def make_institution(name="中国科学院植物研究所", kind="research"):
    with acting_as(None, source="test"):
        return Institution.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def make_agreement(program, n, **fields):
    defaults = {
        "program": program,
        "title": f"合作协议{n}",
        "signed_on": dt.date(2024, 5, 22),
        "institution": make_institution(),
        "government_party": "伊宁县人民政府",
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return Agreement.objects.create(**defaults)


def make_course(program, n, **fields):
    defaults = {
        "program": program,
        "name": f"培训班{n}",
        "audience": "cadre",
        "mode": "mainland",
        "start": dt.date(2023, 9, 1),
        "end": dt.date(2023, 9, 7),
        "participants": 40,
        "aid_funds": Decimal("100000"),
        "review_status": "approved",  # metric tests count 已审核 records
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return TrainingCourse.objects.create(**defaults)
