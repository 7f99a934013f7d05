"""The roll-ups' count path (issue 25): `services.counts` gives exactly what counting `evaluate`'s warnings
gives — acknowledged warnings hidden, re-opened ones back — in a fixed number of queries and without a
model instance per record; the findings' light references (`registry.Ref`) keep the subjects and
fingerprints that acknowledgements already stored; the country roll-up's column shows the counts."""

import datetime as dt
import hashlib
import json
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_project, make_transaction
from tests.factories_talent import make_course
from yuanjiang.core.context import acting_as
from yuanjiang.kernel.models import DomainModel
from yuanjiang.org.models import Program
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport
from yuanjiang.reports.models import Target
from yuanjiang.warnings import registry, services
from yuanjiang.warnings.models import Acknowledgement

D = dt.date


def acknowledge(w: services.Warning, note="已知悉"):
    """An acknowledgement of `w` as the warnings page writes it (its rule, subject and fingerprint)."""
    with acting_as(None, source="test"):
        return Acknowledgement.objects.create(
            program=w.program, rule=w.code, subject=w.subject, fingerprint=w.fingerprint, note=note
        )


def same(programs, on):
    """counts() and counts_by_program(evaluate()) for `programs` on `on`; asserts they are equal."""
    fast = services.counts(programs, on=on)
    full = services.counts_by_program(services.evaluate(programs, on=on))
    assert fast == full, (on, fast, full)
    return fast


def total(counts) -> int:
    return sum(sum(by.values()) for by in counts.values())


def test_counts_equal_evaluate_on_the_demo(demo):
    programs = list(Program.objects.order_by("pk"))
    dates = [D(2024, 9, 1), D(2025, 3, 31), D(2025, 12, 15), timezone.localdate()]
    before = {on: same(programs, on) for on in dates}
    assert total(before[D(2024, 9, 1)]) > 0
    assert {s for by in before[D(2024, 9, 1)].values() for s in by} >= {"severe", "warning"}
    # Acknowledge one warning of each rule (on 1 September 2024): each hides exactly one.
    on = D(2024, 9, 1)
    found = services.evaluate(programs, on=on)
    picked = list({w.code: w for w in found}.values())
    for w in picked:
        acknowledge(w)
    after = same(programs, on)
    assert total(after) == total(before[on]) - len(picked)
    for on in dates:
        same(programs, on)
    # One program alone, and none
    assert same(programs[:1], D(2024, 9, 1)) == {k: v for k, v in after.items() if k == programs[0].pk}
    assert services.counts([], on=on) == {}


def _random_ledger(rng: random.Random, programs, n_projects: int, first: int = 1000):
    """Projects with random plans and states, money, progress reports, courses and submitted records."""
    projects = []
    for i in range(n_projects):
        program = rng.choice(programs)
        start = D(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
        finish = start + dt.timedelta(days=rng.randrange(30, 400))
        started = rng.random() < 0.6
        done = started and rng.random() < 0.3
        actual_start = start + dt.timedelta(days=rng.randrange(-20, 60)) if started else None
        p = make_project(
            program,
            first + i,
            plan_year=rng.choice([2023, 2024, 2025]),
            aid_funds=Decimal(rng.choice([50000, 100000, 300000])),
            planned_start=start,
            planned_completion=finish,
            actual_start=actual_start,
            actual_completion=finish + dt.timedelta(days=rng.randrange(-30, 90)) if done else None,
        )
        projects.append(p)
        for _ in range(rng.randrange(0, 3)):
            make_transaction(
                p,
                rng.choice(["disbursement", "expenditure"]),
                str(rng.choice([20000, 60000, 90000])),
                date=D(2023, 3, 1) + dt.timedelta(days=rng.randrange(0, 800)),
                review_status=rng.choice(["approved", "approved", "submitted", "draft"]),
            )
        if started and rng.random() < 0.5:
            with acting_as(None, source="test"):
                ProgressReport.objects.create(
                    project=p,
                    report_date=actual_start + dt.timedelta(days=rng.randrange(0, 200)),
                    progress_percent=rng.randrange(0, 100),
                )
        if rng.random() < 0.2:
            make_course(
                program,
                first + 1000 + i,
                project=p,
                aid_funds=Decimal(rng.choice([20000, 40000])),
                start=D(2023, 6, 1) + dt.timedelta(days=rng.randrange(0, 500)),
                end=D(2025, 1, 1),
            )
            if rng.random() < 0.5:  # the project's funds lowered afterwards, below its courses'
                AidProject.objects.filter(pk=p.pk).update(aid_funds=Decimal("10000"))
    with acting_as(None, source="test"):
        for program in programs:  # a yearly target to keep pace with
            Target.objects.get_or_create(
                program=program,
                metric="projects.started",
                period_start=D(2024, 1, 1),
                period_end=D(2024, 12, 31),
                defaults={"value": Decimal(rng.randrange(3, 30))},
            )
    # Submitted long ago: waiting for review
    FundTransaction.objects.filter(review_status="submitted").update(
        updated_at=timezone.make_aware(dt.datetime(2024, 1, 5))
    )
    return projects


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_equal_evaluate_on_random_ledgers_with_acknowledged_and_reopened(program, other_program, seed):
    rng = random.Random(seed)
    programs = [program, other_program]
    projects = _random_ledger(rng, programs, 30)
    dates = [D(2024, 1, 20), D(2024, 6, 30), D(2024, 11, 30), D(2025, 4, 1)]
    for on in dates:
        same(programs, on)
    on = rng.choice(dates[1:])
    found = services.evaluate(programs, on=on)
    assert len({w.code for w in services.evaluate(programs, on=D(2024, 11, 30))}) >= 8  # nearly every rule
    # Acknowledge a random half (a stale acknowledgement of other facts first: the newest is in force)
    acked = rng.sample(found, max(1, len(found) // 2))
    for w in acked:
        with acting_as(None, source="test"):
            Acknowledgement.objects.create(
                program=w.program, rule=w.code, subject=w.subject, fingerprint="0" * 64, note="旧"
            )
        acknowledge(w)
    counts = same(programs, on)
    assert total(counts) == len(found) - len(acked)
    for on_ in dates:
        same(programs, on_)
    # Re-open some: the facts change (a project's planned completion moves; a new submitted record)
    overdue = [w for w in acked if w.code == "projects.finish_overdue"]
    for w in overdue[:3]:
        planned = AidProject.objects.get(pk=w.records[0].pk).planned_completion
        AidProject.objects.filter(pk=w.records[0].pk).update(
            planned_completion=planned - dt.timedelta(days=1)
        )
    waiting = [w for w in acked if w.code == "review.waiting"]
    for w in waiting[:1]:  # a 下达 (no rule sums them) submitted long ago joins the queue
        p = next(p for p in projects if p.program_id == w.program.pk)
        t = make_transaction(p, "commitment", "1000", date=D(2023, 6, 1), review_status="submitted")
        FundTransaction.objects.filter(pk=t.pk).update(
            updated_at=timezone.make_aware(dt.datetime(2024, 1, 5))
        )
    reopened = len(overdue[:3]) + len(waiting[:1])
    assert reopened >= 1
    assert total(same(programs, on)) == len(found) - len(acked) + reopened
    for on_ in dates:
        same(programs, on_)


def test_counts_queries_are_fixed_and_build_no_record_instance(program, other_program, monkeypatch):
    on = D(2024, 11, 30)
    _random_ledger(random.Random(7), [program], 3)
    with CaptureQueriesContext(connection) as one:
        few = services.counts([program], on=on)
    _random_ledger(random.Random(8), [program, other_program], 25, first=5000)
    built: list[str] = []
    original = DomainModel.from_db.__func__

    def counting(cls, db, field_names, values):
        built.append(cls._meta.label_lower)
        return original(cls, db, field_names, values)

    monkeypatch.setattr(DomainModel, "from_db", classmethod(counting))
    with CaptureQueriesContext(connection) as many:
        more = services.counts([program, other_program], on=on)
    assert total(more) > total(few) > 0
    assert len(many) == len(one), [q["sql"][:120] for q in many.captured_queries]
    # No aid project, transaction or report is built to count (acknowledgements and programs may be)
    assert not {"projects.aidproject", "projects.fundtransaction", "projects.progressreport"} & set(built)
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as full:
        services.evaluate([program, other_program], on=on)
    assert len(full) == len(many)  # the same rules, the same queries


def test_refs_keep_subjects_and_fingerprints_of_model_instances(program):
    """Acknowledgements stored before the light references still match: a Ref's subject and a
    finding's fingerprint are those computed from the model instance."""
    p = make_project(program, 1, planned_completion=D(2024, 8, 15), actual_start=D(2023, 5, 1))
    (w,) = [w for w in services.evaluate([program], on=D(2024, 9, 1)) if w.code == "projects.finish_overdue"]
    (ref,) = w.records
    assert (
        isinstance(ref, registry.Ref)
        and ref == p
        and p == ref
        and hash(ref) == hash(registry.Ref(AidProject, p.pk))
    )
    assert w.subject == f"projects.aidproject:{p.pk}"
    raw = json.dumps([f"projects.aidproject:{p.pk}", [str(D(2024, 8, 15)), "在建"]], ensure_ascii=False)
    assert w.fingerprint == hashlib.sha256(raw.encode()).hexdigest()
    # What a page shows of it: from the row read, no query
    with CaptureQueriesContext(connection) as ctx:
        assert (ref.code, str(ref), ref.get_absolute_url()) == (p.code, str(p), p.get_absolute_url())
        assert ref.program_id == program.pk
        assert services.record_dict(ref) == services.record_dict(p)
    assert not ctx.captured_queries
    with pytest.raises(AttributeError):
        ref.no_such_field  # noqa: B018


def test_records_waiting_for_review_are_read_together_when_shown(program):
    projects = [make_project(program, n) for n in range(1, 4)]
    waiting = [
        make_transaction(p, "disbursement", "1000", date=D(2023, 6, 1), review_status="submitted")
        for p in projects
        for _ in range(2)
    ]
    FundTransaction.objects.filter(pk__in=[t.pk for t in waiting]).update(
        updated_at=timezone.make_aware(dt.datetime(2024, 1, 5))
    )
    (w,) = [w for w in services.evaluate([program], on=D(2024, 2, 1)) if w.code == "review.waiting"]
    assert w.records == sorted(waiting, key=lambda t: t.pk)
    with CaptureQueriesContext(connection) as ctx:
        shown = [str(r) for r in w.records]
    assert len(ctx.captured_queries) == 1  # all six in one query
    assert shown == [str(t) for t in sorted(waiting, key=lambda t: t.pk)]


def test_rollup_warning_column_is_the_counts(client, supervisor, program, other_program):
    on = timezone.localdate()
    for n in range(1, 5):  # overdue, two of them started
        make_project(
            program,
            n,
            planned_completion=on - dt.timedelta(days=n),
            actual_start=D(2023, 5, 1) if n % 2 else None,
        )
    for n in range(10, 12):
        make_project(other_program, n, planned_start=on - dt.timedelta(days=3))
    found = services.evaluate([program, other_program])
    acknowledge(next(w for w in found if w.program == program and w.code == "projects.finish_overdue"))
    expected = services.counts_by_program(services.evaluate([program, other_program]))
    assert expected[program.pk]["severe"] == 3
    client.force_login(supervisor)
    for query in ({}, {"all": "1"}):
        page = client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"]), query)
        shown = {p.pk: (dict(counts), n) for p, _figures, counts, n in page.context["table_rows"]}
        assert shown == {pk: (by, sum(by.values())) for pk, by in expected.items()}
        html = page.content.decode()
        assert f"严重{expected[program.pk]['severe']}</span>" in html
