"""Early warnings (预警): each rule fires on its facts and only on them, acknowledgements hide a warning
until its facts change, `./yj warnings` prints them, and evaluating runs a fixed number of queries."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_project, make_transaction, make_user
from tests.factories_talent import make_course
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.org import periods
from yuanjiang.projects.models import AidProject, ProgressReport
from yuanjiang.reports.models import Target
from yuanjiang.review.models import PeriodClose
from yuanjiang.warnings import registry, services
from yuanjiang.warnings.models import Acknowledgement

D = dt.date


def codes(found, code=None):
    return [(w.code, [getattr(r, "code", r.pk) for r in w.records]) for w in found if code in (None, w.code)]


def update(obj, **fields):
    with acting_as(None, source="test"):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()


@pytest.fixture
def lead(program):
    return make_user("lead", Role.LEAD, program=program)


def test_rules_are_declared_in_their_owning_apps():
    rules = {r.code: r for r in registry.all_rules()}
    assert {
        "projects.start_overdue",
        "projects.finish_overdue",
        "projects.progress_silent",
        "projects.disbursement_behind",
        "projects.spending_over_funds",
        "reports.target_behind",
        "review.waiting",
        "review.period_unclosed",
        "talent.training_over_funds",
    } <= set(rules)
    for code, rule in rules.items():
        app = code.split(".")[0]
        assert rule.find.__module__ == f"yuanjiang.{app}.warnings", code
        assert rule.label and rule.period_rule and rule.severity in registry.SEVERITIES


def test_finish_overdue_appears_after_the_planned_date_and_goes_when_completed(program):
    p = make_project(program, 1, planned_completion=D(2024, 8, 15), actual_start=D(2023, 5, 1))
    assert codes(services.evaluate([program], on=D(2024, 8, 15)), "projects.finish_overdue") == []
    found = services.evaluate([program], on=D(2024, 8, 16))
    assert codes(found, "projects.finish_overdue") == [("projects.finish_overdue", ["P001"])]
    w = next(w for w in found if w.code == "projects.finish_overdue")
    assert w.since == D(2024, 8, 16) and "在建" in w.detail and w.severity == registry.SEVERE
    update(p, actual_completion=D(2024, 9, 1))
    assert codes(services.evaluate([program], on=D(2024, 9, 2)), "projects.finish_overdue") == []
    # judged as of a date before the completion, it was overdue then
    assert codes(services.evaluate([program], on=D(2024, 8, 20)), "projects.finish_overdue")


def test_start_overdue(program):
    make_project(program, 1, planned_start=D(2024, 3, 1))
    make_project(program, 2, planned_start=D(2024, 3, 1), actual_start=D(2024, 2, 20))
    assert codes(services.evaluate([program], on=D(2024, 3, 2)), "projects.start_overdue") == [
        ("projects.start_overdue", ["P001"])
    ]


def test_progress_silent(program):
    p = make_project(program, 1, actual_start=D(2024, 1, 1))
    make_project(program, 2)  # not started: no progress expected
    assert codes(services.evaluate([program], on=D(2024, 1, 20)), "projects.progress_silent") == []
    assert codes(services.evaluate([program], on=D(2024, 2, 15)), "projects.progress_silent") == [
        ("projects.progress_silent", ["P001"])
    ]
    with acting_as(None, source="test"):
        ProgressReport.objects.create(project=p, report_date=D(2024, 2, 10), progress_percent=20)
    assert codes(services.evaluate([program], on=D(2024, 2, 15)), "projects.progress_silent") == []
    assert codes(services.evaluate([program], on=D(2024, 3, 15)), "projects.progress_silent")


def test_disbursement_behind_the_year(program):
    p1 = make_project(program, 1, plan_year=2024, aid_funds=Decimal("1000000"))
    p2 = make_project(program, 2, plan_year=2024, aid_funds=Decimal("1000000"))
    make_transaction(p1, "disbursement", "900000", date=D(2024, 3, 1))
    # on 1 July half of the year is gone: 45% disbursed is within the 20-point margin
    assert codes(services.evaluate([program], on=D(2024, 7, 1)), "projects.disbursement_behind") == []
    # on 30 November 91% of the year is gone: 45% is behind, and p2 (0%) is the project behind
    found = codes(services.evaluate([program], on=D(2024, 11, 30)), "projects.disbursement_behind")
    assert found == [("projects.disbursement_behind", ["P002"])]
    make_transaction(p2, "disbursement", "900000", date=D(2024, 11, 1))
    assert codes(services.evaluate([program], on=D(2024, 11, 30)), "projects.disbursement_behind") == []


def test_spending_over_funds_and_training_over_funds(program):
    p = make_project(program, 1, aid_funds=Decimal("100000"))
    make_transaction(p, "disbursement", "50000", date=D(2023, 6, 1))
    make_transaction(p, "expenditure", "60000", date=D(2023, 7, 1))
    assert codes(services.evaluate([program], on=D(2023, 6, 30)), "projects.spending_over_funds") == []
    assert codes(services.evaluate([program], on=D(2023, 7, 2)), "projects.spending_over_funds") == [
        ("projects.spending_over_funds", ["P001"])
    ]
    make_course(program, 1, project=p, aid_funds=Decimal("80000"))
    assert codes(services.evaluate([program], on=D(2023, 9, 2)), "talent.training_over_funds") == []
    AidProject.objects.filter(pk=p.pk).update(aid_funds=Decimal("70000"))  # lowered afterwards
    assert codes(services.evaluate([program], on=D(2023, 9, 2)), "talent.training_over_funds") == [
        ("talent.training_over_funds", ["P001"])
    ]


def test_target_behind_pace(program):
    for n in range(1, 4):
        make_project(program, n, plan_year=2024, actual_start=D(2024, 2, 1) if n == 1 else None)
    with acting_as(None, source="test"):
        target = Target.objects.create(
            program=program,
            metric="projects.started",
            period_start=D(2024, 1, 1),
            period_end=D(2024, 12, 31),
            value=Decimal("4"),
        )
    # 1 of 4 started (25%) by 1 March (17% of the year gone): on pace
    assert codes(services.evaluate([program], on=D(2024, 3, 1)), "reports.target_behind") == []
    found = [w for w in services.evaluate([program], on=D(2024, 9, 1)) if w.code == "reports.target_behind"]
    assert [w.records for w in found] == [[target]]
    assert "25%" in found[0].detail
    # outside the target's period there is no pace to keep
    assert codes(services.evaluate([program], on=D(2025, 1, 2)), "reports.target_behind") == []


def test_review_waiting_and_period_unclosed(program):
    p = make_project(program, 1)
    t = make_transaction(p, "disbursement", "1000", date=D(2023, 6, 1), review_status="submitted")
    today = timezone.localdate()
    assert codes(services.evaluate([program], on=today), "review.waiting") == []
    found = [
        w for w in services.evaluate([program], on=today + dt.timedelta(days=8)) if w.code == "review.waiting"
    ]
    assert [w.records for w in found] == [[t]]
    first_year = periods.program_year(program, 1)
    on = first_year.end + dt.timedelta(days=31)
    unclosed = [w for w in services.evaluate([program], on=on) if w.code == "review.period_unclosed"]
    assert len(unclosed) == 1 and "首年" in unclosed[0].detail
    assert (
        codes(
            services.evaluate([program], on=first_year.end + dt.timedelta(days=30)), "review.period_unclosed"
        )
        == []
    )
    with acting_as(None, source="test"):
        PeriodClose.objects.create(
            program=program, start=first_year.start, end=first_year.end, closed_at=timezone.now()
        )
    assert codes(services.evaluate([program], on=on), "review.period_unclosed") == []


def test_acknowledged_until_the_facts_change(program, lead):
    p = make_project(program, 1, planned_completion=D(2024, 8, 15), actual_start=D(2023, 5, 1))
    on = D(2024, 9, 1)
    (w,) = [w for w in services.evaluate([program], on=on) if w.code == "projects.finish_overdue"]
    with acting_as(lead, source="test"):
        ack = services.acknowledgement_create(
            program=program, fingerprint=w.fingerprint, note="已报请延期至年底", user=lead, on=on
        )
    assert ObjectChange.objects.filter(
        action="create", content_type__model="acknowledgement", object_id=str(ack.pk)
    )
    assert codes(services.evaluate([program], on=on), "projects.finish_overdue") == []
    shown = [w for w in services.evaluate([program], on=on, include_acknowledged=True) if w.acknowledged]
    assert shown[0].as_dict()["acknowledgement"]["note"] == "已报请延期至年底"
    # the facts change (the planned date moves, still passed): the warning is back
    update(p, planned_completion=D(2024, 8, 20))
    assert codes(services.evaluate([program], on=on), "projects.finish_overdue") == [
        ("projects.finish_overdue", ["P001"])
    ]


def test_acknowledgement_refused_without_a_note_or_for_stale_facts(program, lead, other_clerk):
    make_project(program, 1, planned_completion=D(2024, 8, 15))
    on = D(2024, 9, 1)
    (w,) = [w for w in services.evaluate([program], on=on) if w.code == "projects.finish_overdue"]
    with pytest.raises(ValidationError) as exc:
        services.acknowledgement_create(
            program=program, fingerprint=w.fingerprint, note="  ", user=lead, on=on
        )
    assert "确认说明" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.acknowledgement_create(program=program, fingerprint="0" * 64, note="说明", user=lead, on=on)
    assert "已经变化" in str(exc.value)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.acknowledgement_create(
            program=program, fingerprint=w.fingerprint, note="说明", user=other_clerk, on=on
        )
    assert not Acknowledgement.objects.exists()


def test_acknowledge_on_the_web(client, program, lead):
    make_project(program, 1, planned_start=D(2020, 1, 1))  # long past: overdue today
    client.force_login(lead)
    page = client.get(f"/warnings/programs/{program.slug}/")
    assert page.status_code == 200
    (w,) = [w for w in page.context["warnings"] if w.code == "projects.start_overdue"]
    assert "项目逾期未开工" in page.content.decode()
    bad = client.post(
        f"/warnings/programs/{program.slug}/acknowledge/", {"fingerprint": w.fingerprint, "note": ""}
    )
    assert bad.status_code == 302 and not Acknowledgement.objects.exists()
    client.post(
        f"/warnings/programs/{program.slug}/acknowledge/", {"fingerprint": w.fingerprint, "note": "已协调"}
    )
    page = client.get(f"/warnings/programs/{program.slug}/")
    assert [w.code for w in page.context["acknowledged"]] == ["projects.start_overdue"]
    assert "已协调" in page.content.decode()


def test_other_programs_warnings_are_not_shown(client, program, other_clerk):
    client.force_login(other_clerk)
    assert client.get(f"/warnings/programs/{program.slug}/").status_code == 404


def run(*args):
    out = io.StringIO()
    call_command("warnings", *args, stdout=out)
    return out.getvalue()


def test_cli_json_and_text(program):
    make_project(program, 1, planned_completion=D(2024, 8, 15), actual_start=D(2023, 5, 1))
    data = json.loads(run("--program", program.slug, "--date", "2024-09-01", "--format", "json"))
    (w,) = [w for w in data if w["code"] == "projects.finish_overdue"]
    assert w["severity"] == "severe" and w["label"] == "项目逾期未完工" and w["program"] == program.slug
    assert w["records"][0]["model"] == "projects.aidproject" and w["records"][0]["code"] == "P001"
    assert w["since"] == "2024-08-16"
    assert "项目逾期未完工" in run("--program", program.slug, "--date", "2024-09-01")
    assert (
        run("--org", "jiangsu", "--date", "2024-09-01", "--format", "json").count("projects.finish_overdue")
        == 1
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--program", program.slug, "--date", "2024-13-01")
    with pytest.raises(CommandError, match="没有标识"):
        run("--program", "nope")


def _populate(program, n):
    for i in range(n):
        p = make_project(
            program,
            i + 1,
            plan_year=2024,
            planned_start=D(2024, 1, 1),
            planned_completion=D(2024, 6, 1),
            actual_start=D(2024, 2, 1) if i % 2 else None,
        )
        make_transaction(p, "disbursement", "1000", date=D(2024, 3, 1), review_status="submitted")
        make_transaction(p, "expenditure", "2000", date=D(2024, 3, 2))
        make_course(program, i + 1, project=p, aid_funds=Decimal("10"))
    with acting_as(None, source="test"):
        Target.objects.get_or_create(
            program=program,
            metric="projects.started",
            period_start=D(2024, 1, 1),
            period_end=D(2024, 12, 31),
            defaults={"value": Decimal("1000")},
        )


def test_query_count_does_not_grow_with_records_or_programs(program, other_program):
    on = D(2024, 11, 1)
    _populate(program, 2)
    with CaptureQueriesContext(connection) as small:
        few = services.evaluate([program], on=on)
    _populate(other_program, 12)
    for i in range(3, 10):
        make_project(program, 100 + i, planned_start=D(2024, 1, 1))
    with CaptureQueriesContext(connection) as large:
        many = services.evaluate([program, other_program], on=on)
    assert len(many) > len(few) > 0
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_yj_warnings_demo_lists_ntyn_2023_01_past_its_planned_finish(tmp_path):
    """The acceptance line, as an operator types it: `./yj demo --no-serve`, then
    `./yj warnings --demo --program nantong-yining-11 --format json` (its own process and database)."""
    import subprocess
    import sys

    from tests.ops_support import REPO, environment

    env = environment(tmp_path / "var")

    def yj(*args):
        return subprocess.run(
            [sys.executable, "-m", "yuanjiang.cli", *args], env=env, cwd=REPO, capture_output=True, text=True
        )

    built = yj("demo", "--no-serve")
    assert built.returncode == 0, built.stderr
    done = yj("warnings", "--demo", "--program", "nantong-yining-11", "--format", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    overdue = [w for w in found if w["code"] == "projects.finish_overdue"]
    assert any(
        r["code"] == "NTYN-2023-01" and r["model"] == "projects.aidproject"
        for w in overdue
        for r in w["records"]
    ), overdue
    (w,) = [w for w in overdue if w["records"][0]["code"] == "NTYN-2023-01"]
    assert w["since"] == "2024-08-16" and w["severity"] == "severe" and w["program"] == "nantong-yining-11"
