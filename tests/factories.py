"""Factories for tests: plain functions that build valid records."""

import datetime as dt
from decimal import Decimal

from yuanjiang.accounts.models import Membership, User
from yuanjiang.core.context import acting_as
from yuanjiang.projects.models import AidProject, FundTransaction


def make_user(username, role, *, program=None, organization=None, superuser=False):
    user = User.objects.create_user(
        username, password="pw-" + username, is_superuser=superuser, is_staff=superuser
    )
    Membership.objects.create(user=user, role=role, program=program, organization=organization)
    return user


def township(program, index=0):
    townships = list(program.townships())
    return townships[index % len(townships)]


def make_project(program, n, **fields):
    defaults = {
        "program": program,
        "code": f"P{n:03d}",
        "name": f"测试项目{n}",
        "category": "education",
        "plan_year": 2023,
        "aid_funds": Decimal("1000000"),
        "total_investment": Decimal("1200000"),
    }
    defaults.update(fields)
    with acting_as(None, source="test"):
        return AidProject.objects.create(**defaults)


def make_transaction(project, kind, amount, date=dt.date(2023, 6, 1), review_status="approved"):
    """A fund transaction, 已审核 unless told otherwise (so that metrics count it by default)."""
    with acting_as(None, source="test"):
        return FundTransaction.objects.create(
            project=project, kind=kind, amount=Decimal(amount), date=date, review_status=review_status
        )
