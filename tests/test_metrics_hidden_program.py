"""A scope the viewer may see nothing of (a program, or an organization, outside their programs): every
figure is that of no records, in one query (metrics.registry._as_seen), equal to what every
statement finding nothing gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_user
from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Role, User
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
    # The program they may not see, and an organization holding only that program: the same.
    org = other_program.provider
    assert not org.path.startswith(program.provider.path) and not program.provider.path.startswith(org.path)
    for scope in (Scope(program=other_program, visible=visible), Scope(organization=org, visible=visible)):
        with CaptureQueriesContext(connection) as ctx:
            hidden = registry.evaluate(codes, scope, DECADE)
        assert len(ctx.captured_queries) == 1
        with monkeypatch.context() as m:
            m.setattr(registry, "_as_seen", lambda scope: scope)
            every_statement = registry.evaluate(codes, scope, DECADE)
        assert {c: f.value for c, f in hidden.items()} == {c: f.value for c, f in every_statement.items()}
    # Seen by someone who may see it, the program has its money: the shortcut hid only what is hidden.
    seen = registry.evaluate(codes, Scope(program=other_program), DECADE)
    assert any(f.value not in (None, Decimal(0)) for f in seen.values())


def _top(program):
    org = program.provider
    while org.parent_id is not None:
        org = org.parent
    return org


@pytest.mark.parametrize("review", ["approved", "all"])
def test_a_restriction_that_leaves_one_program_or_every_program_gives_the_same_figures(
    demo, monkeypatch, settings, review
):
    """A clerk at their province (one program of two seen) and at their own program (all seen): the
    figures computed without the restriction, or as the one program's, equal those of every statement
    run with the restriction, in evaluate, evaluate_by_program and evaluate_with_programs."""
    settings.FIGURE_CACHE_SECONDS = 0
    codes = [m.code for m in registry.all_metrics()]
    clerk = User.objects.get(username="nt_clerk")
    visible = scoping.restriction(clerk)
    province = _top(demo.program)
    assert province.pk and demo.second_program.provider.path.startswith(province.path)
    for scope in (
        Scope(organization=province, visible=visible),
        Scope(program=demo.program, visible=visible),
    ):
        fast = registry.evaluate(codes, scope, DECADE, review=review)
        fast_rows = registry.evaluate_by_program(codes, scope, DECADE, review=review)
        fast_both = registry.evaluate_with_programs(codes, codes, scope, DECADE, review=review)
        with monkeypatch.context() as m:
            m.setattr(registry, "_as_seen", lambda s: s)
            slow = registry.evaluate(codes, scope, DECADE, review=review)
            slow_rows = registry.evaluate_by_program(codes, scope, DECADE, review=review)
            slow_both = registry.evaluate_with_programs(codes, codes, scope, DECADE, review=review)
        assert {c: f.value for c, f in fast.items()} == {c: f.value for c, f in slow.items()}
        assert fast_rows == slow_rows and list(fast_rows) == [demo.program.pk]
        assert {c: f.value for c, f in fast_both[0].items()} == {c: f.value for c, f in slow_both[0].items()}
        assert fast_both[1] == slow_both[1]
        assert any(f.value not in (None, Decimal(0)) for f in fast.values())
        assert all(f.scope is scope or f.scope == registry._with_review(scope, review) for f in fast.values())
