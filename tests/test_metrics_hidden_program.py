"""A scope the viewer may see nothing of (a program, or an organization, outside their programs): every
figure is that of no records, in one query (metrics.registry._as_seen), equal to what every
statement finding nothing gives."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_user
from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import FundTransaction

DECADE = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))


def test_a_hidden_program_gives_empty_figures_in_one_query(program, other_program, monkeypatch):
    project = make_project(other_program, 1)
    with acting_as(None, source="test"):
        FundTransaction.objects.create(
            project=project,
            kind="disbursement",
            amount=Decimal(5000),
            date=dt.date(2024, 3, 1),
            review_status="approved",
        )
    clerk = make_user("hidden_clerk", Role.CLERK, program=program)
    visible = scoping.restriction(clerk)
    codes = [m.code for m in registry.all_metrics()]
    with CaptureQueriesContext(connection) as ctx:
        hidden = registry.evaluate(codes, Scope(program=other_program, visible=visible), DECADE)
    assert len(ctx.captured_queries) == 1
    monkeypatch.setattr(registry, "_as_seen", lambda scope: scope)
    every_statement = registry.evaluate(codes, Scope(program=other_program, visible=visible), DECADE)
    assert {c: f.value for c, f in hidden.items()} == {c: f.value for c, f in every_statement.items()}
    # An organization holding only the program they may not see: the same.
    org = other_program.provider
    assert not org.path.startswith(program.provider.path) and not program.provider.path.startswith(org.path)
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as ctx:
        hidden = registry.evaluate(codes, Scope(organization=org, visible=visible), DECADE)
    assert len(ctx.captured_queries) == 1
    monkeypatch.setattr(registry, "_as_seen", lambda scope: scope)
    every_statement = registry.evaluate(codes, Scope(organization=org, visible=visible), DECADE)
    assert {c: f.value for c, f in hidden.items()} == {c: f.value for c, f in every_statement.items()}
    # Seen by someone who may see it, the program has its money: the shortcut hid only what is hidden.
    monkeypatch.undo()
    seen = registry.evaluate(codes, Scope(program=other_program), DECADE)
    assert any(f.value not in (None, Decimal(0)) for f in seen.values())
