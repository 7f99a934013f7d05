"""The figure cache (metrics.cache). The invariant: a figure served is the figure of the data as it is
now — after every write path, committed or rolled back, accepted or refused, for every viewer — and
the same figures are computed once per state of the data."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from tests.test_write_kernel import _domain_models, _first_of, _perturbed, _try
from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import User
from yuanjiang.core.context import acting_as
from yuanjiang.metrics import cache
from yuanjiang.metrics.registry import evaluate, evaluate_by_program, evaluate_with_programs, section_codes
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import FundTransaction

# Writes must commit, as on a server (a test's own transaction never commits).
pytestmark = pytest.mark.django_db(transaction=True)

PERIODS = (
    Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30)),
    Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31)),
)


def _top(program):
    """The organization at the top of the program's provider (its province)."""
    org = program.provider
    while org.parent_id is not None:
        org = org.parent
    return org


def _token():
    return cache._token(connection)


def _values(scope, period, review):
    return {code: f.value for code, f in evaluate(None, scope, period, review=review).items()}


def served(scope):
    """Every declared metric, both review switches and two periods, as the cache serves them."""
    return {(p.start, review): _values(scope, p, review) for p in PERIODS for review in ("approved", "all")}


def computed(scope):
    """The same, computed now (nothing kept or served)."""
    with override_settings(FIGURE_CACHE_SECONDS=0):
        return served(scope)


def test_every_write_path_serves_the_figures_of_the_data_now(demo):
    """For every domain model, each write path on a record of the demo program, committed: the figures
    served after it (of the program and of the country) equal the figures computed afresh, and a
    write that changed data replaced the state; a refused write left it."""
    program = demo.program
    scopes = [Scope(program=program), Scope(organization=_top(program))]
    for scope in scopes:
        served(scope)  # kept
    tried = 0
    for model in _domain_models():
        obj = _first_of(model, program)
        if obj is None:
            continue
        field = next(
            (f for f in model._meta.concrete_fields if _perturbed(f, getattr(obj, f.attname)) is not None),
            None,
        )
        writes = []
        if field is not None:

            def save(m=model, pk=obj.pk, f=field):
                o = m.objects.get(pk=pk)
                setattr(o, f.attname, _perturbed(f, getattr(o, f.attname)))
                o.save()

            def update(m=model, pk=obj.pk, f=field):
                o = m.objects.get(pk=pk)
                m.objects.filter(pk=pk).update(**{f.name: _perturbed(f, getattr(o, f.attname))})

            def bulk_update(m=model, pk=obj.pk, f=field):
                o = m.objects.get(pk=pk)
                setattr(o, f.attname, _perturbed(f, getattr(o, f.attname)))
                m.objects.bulk_update([o], [f.name])

            writes += [("save", save), ("update", update), ("bulk_update", bulk_update)]

        def bulk_create(m=model, pk=obj.pk):
            copy = m.objects.get(pk=pk)
            copy.pk = None
            for f in m._meta.concrete_fields:
                if f.unique and not f.primary_key and isinstance(getattr(copy, f.attname), str):
                    setattr(copy, f.attname, getattr(copy, f.attname) + "副本")
            m.objects.bulk_create([copy])

        writes += [
            ("bulk_create", bulk_create),
            ("queryset_delete", lambda m=model, pk=obj.pk: m.objects.filter(pk=pk).delete()),
        ]
        for path, write in writes:
            if not model.objects.filter(pk=obj.pk).exists():
                break  # gone with a record it belonged to (an accepted cascade)
            before = _token()
            ok = _try(write)
            tried += 1
            if not ok:
                assert _token() == before, (model._meta.label, path, "refused, yet the state changed")
            for scope in scopes:
                assert served(scope) == computed(scope), (model._meta.label, path, scope.label)
    assert tried > 60


def test_the_same_figures_are_read_once_per_state(demo):
    scope = Scope(program=demo.program)
    first = served(scope)
    with CaptureQueriesContext(connection) as ctx:
        again = served(scope)
    assert again == first
    assert len(ctx.captured_queries) == 4  # the state's token, once per call; no figure read again
    codes = section_codes()
    root = Scope(organization=_top(demo.program))
    evaluate_with_programs(codes, codes, root, PERIODS[0])
    evaluate_by_program(codes, root, PERIODS[0])
    with CaptureQueriesContext(connection) as ctx:
        evaluate_with_programs(codes, codes, root, PERIODS[0])
        evaluate_by_program(codes, root, PERIODS[0])
    assert len(ctx.captured_queries) == 4  # per call: the token and the scope's programs (the rows' keys)


def test_a_transaction_that_wrote_reads_its_own_figures_and_a_rollback_keeps_the_state(demo):
    scope = Scope(program=demo.program)
    before = served(scope)
    token = _token()
    transaction_ = FundTransaction.objects.filter(project__program=demo.program, kind="disbursement").first()
    with transaction.atomic():
        with acting_as(None, source="test"):
            FundTransaction.objects.filter(pk=transaction_.pk).update(amount=transaction_.amount + 1000000)
        assert cache.dirty()
        inside = served(scope)
        fresh = computed(scope)
        diff = {(k, c): (v, fresh[k][c]) for k in inside for c, v in inside[k].items() if fresh[k][c] != v}
        assert not diff
        assert inside != before
        transaction.set_rollback(True)
    assert not cache.dirty()
    assert _token() == token  # nothing committed: the same state, the same figures
    assert served(scope) == before == computed(scope)


def test_each_viewer_is_served_their_own_figures(demo):
    """The viewer restriction is part of what is kept: a clerk of another program, a province's user
    and a superuser, asked in turn, each get the figures of what they may see."""
    root = _top(demo.program)
    lead = User.objects.get(username="nt_lead")
    users = [User.objects.filter(is_superuser=True).first(), lead, User.objects.get(username="nt_clerk")]
    users += list(User.objects.filter(is_superuser=False).exclude(pk__in=[u.pk for u in users if u])[:3])
    for _round in range(2):
        for user in users:
            if user is None:
                continue
            scope = Scope(organization=root, visible=scoping.restriction(user))
            assert served(scope) == computed(scope), user.username


def test_a_migration_or_flush_is_a_new_state_and_nothing_to_migrate_is_not(db):
    token = _token()
    cache.migrated(sender=None, plan=[])  # `migrate` with nothing to apply (after a restore)
    assert _token() == token
    cache.migrated(sender=None, plan=[("a migration", False)])
    assert _token() not in (None, token)
    token = _token()
    cache.migrated(sender=None)  # `flush`
    assert _token() not in (None, token)


def test_warning_counts_served_are_those_of_the_data_now(demo):
    """The roll-up's warning counts are kept like figures: after an acknowledgement and after a moved
    date (each committed), the counts served equal the counts of a fresh evaluation."""
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject
    from yuanjiang.warnings import services

    programs = list(Program.objects.order_by("pk"))
    on = dt.date(2024, 9, 1)

    def fresh():
        return services.counts_by_program(services.evaluate(programs, on=on))

    assert services.counts(programs, on=on) == fresh() != {}
    warning = services.evaluate(programs, on=on)[0]
    lead = User.objects.get(username="nt_lead")
    with acting_as(lead, source="test"):
        services.acknowledgement_create(
            program=warning.program, fingerprint=warning.fingerprint, note="已协调", user=lead, on=on
        )
    assert services.counts(programs, on=on) == fresh()
    overdue = AidProject.objects.filter(
        program__in=programs, planned_completion__lt=on, actual_completion=None
    )
    with acting_as(None, source="test"):
        overdue.update(planned_completion=dt.date(2026, 12, 31))
    assert services.counts(programs, on=on) == fresh()


def test_a_new_membership_is_seen_at_once(demo):
    """Which programs a restriction leaves is kept per state of the data too (metrics.registry._as_seen,
    even with the figure cache off): a clerk given a second program (committed) sees its figures."""
    from yuanjiang.accounts.models import Membership, Role

    clerk = User.objects.get(username="nt_clerk")
    province = _top(demo.program)
    before = computed(Scope(organization=province, visible=scoping.restriction(clerk)))
    with acting_as(None, source="test"):
        Membership.objects.create(user=clerk, program=demo.second_program, role=Role.CLERK)
    clerk = User.objects.get(pk=clerk.pk)  # memberships are read once per user object
    scope = Scope(organization=province, visible=scoping.restriction(clerk))
    assert served(scope) == computed(scope) != before


def test_the_inbox_counts_served_are_those_of_the_data_now(demo, settings):
    """The 待办 counts every page shows are kept per user like figures: after a clerk submits a record
    and after the lead returns it (each committed), the counts served equal the counts afresh."""
    from yuanjiang.review import inbox, services

    lead, clerk = User.objects.get(username="nt_lead"), User.objects.get(username="nt_clerk")

    def fresh(user):
        with override_settings(FIGURE_CACHE_SECONDS=0):
            return inbox.counts(user)

    before = {u.pk: inbox.counts(u) for u in (lead, clerk)}
    project = demo.projects[0]
    with acting_as(clerk, source="test"):
        draft = FundTransaction.objects.create(
            project=project, kind="disbursement", amount=10000, date=dt.date(2024, 5, 1)
        )
    with acting_as(clerk, source="test"):
        services.record_submit(draft, clerk)
    assert inbox.counts(lead) == fresh(lead) != before[lead.pk]
    with acting_as(lead, source="test"):
        services.record_return(FundTransaction.objects.get(pk=draft.pk), lead, "金额与凭证不符")
    assert inbox.counts(clerk) == fresh(clerk) != before[clerk.pk]
    assert inbox.counts(lead) == fresh(lead) == before[lead.pk]
