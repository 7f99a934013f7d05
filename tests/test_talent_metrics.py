"""智力援疆 metrics: their period rules, provenance, fixed query counts, and the seed's figures in the demo."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from tests.factories import make_project
from tests.factories_talent import make_agreement, make_course, make_visit, make_worker
from tests.kit import count_queries
from yuanjiang.metrics.registry import evaluate, evaluate_by_program
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period

PERIOD = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
CODES = [
    "talent.aid_workers",
    "talent.visit_person_times",
    "talent.shortage_visit_person_times",
    "talent.agreements",
    "training.courses",
    "training.person_times",
    "training.aid_funds",
]


def values(program, period=PERIOD):
    return {code: f.value for code, f in evaluate(CODES, Scope(program=program), period).items()}


def test_aid_workers_are_those_in_post_at_the_period_end(program):
    make_worker(program, 1, term_start=dt.date(2023, 4, 1), term_end=dt.date(2026, 3, 31))  # in post
    make_worker(program, 2, term_start=dt.date(2023, 8, 15), term_end=dt.date(2024, 1, 15))  # left before
    make_worker(program, 3, term_start=dt.date(2024, 7, 1), term_end=None)  # not yet arrived
    make_worker(program, 4, term_start=dt.date(2024, 4, 10), term_end=dt.date(2024, 6, 30))  # last day
    make_worker(program, 5, term_start=dt.date(2023, 4, 1), term_end=None)  # no end date: in post
    assert values(program)["talent.aid_workers"] == 3
    assert values(program, Period(dt.date(2023, 4, 1), dt.date(2023, 12, 31)))["talent.aid_workers"] == 3


def test_flows_count_the_records_dated_in_the_period(program):
    make_visit(program, 1, field="economy", people=3, person_times=3, start=dt.date(2023, 6, 1))
    make_visit(program, 2, field="agri-tech", people=2, person_times=6, start=dt.date(2024, 6, 30))
    make_visit(
        program, 3, field="culture", people=5, person_times=5, start=dt.date(2024, 1, 1)
    )  # no shortage
    make_visit(program, 4, field="economy", people=7, person_times=7, start=dt.date(2024, 7, 1))  # after
    make_agreement(program, 1, signed_on=dt.date(2024, 5, 22))
    make_agreement(program, 2, signed_on=dt.date(2023, 3, 31))  # before
    project = make_project(program, 1, aid_funds=Decimal("4800000"))
    make_course(program, 1, participants=40, aid_funds=Decimal("180000"), project=project)
    make_course(program, 2, participants=110, aid_funds=Decimal("60000.50"))
    make_course(
        program,
        3,
        participants=999,
        aid_funds=Decimal("1"),
        start=dt.date(2024, 7, 1),
        end=dt.date(2024, 7, 2),
    )
    v = values(program)
    assert v["talent.visit_person_times"] == 14
    assert v["talent.shortage_visit_person_times"] == 9
    assert v["talent.agreements"] == 1
    assert v["training.courses"] == 2
    assert v["training.person_times"] == 150
    assert v["training.aid_funds"] == Decimal("240000.50")


def test_empty_scope_gives_zeros(program):
    assert all(v == 0 for v in values(program).values())


def test_rollup_by_program(program, other_program):
    make_visit(program, 1, people=3, person_times=3)
    make_visit(other_program, 2, people=4, person_times=8)
    make_worker(other_program, 1)
    front = Organization.objects.get(slug="jiangsu-yili-front")
    by_program = evaluate_by_program(CODES, Scope(organization=front), PERIOD)
    assert by_program[program.pk]["talent.visit_person_times"] == 3
    assert by_program[other_program.pk]["talent.visit_person_times"] == 8
    assert by_program[other_program.pk]["talent.aid_workers"] == 1
    assert (
        evaluate(["talent.visit_person_times"], Scope(organization=front), PERIOD)[
            "talent.visit_person_times"
        ].value
        == 11
    )


def test_each_figure_opens_the_records_behind_it(client, clerk, program):
    make_worker(program, 1, name="在岗教师")
    make_worker(program, 2, name="已离岗教师", term_end=dt.date(2024, 1, 1))
    make_visit(program, 1, experts="招商专家组", field="economy")
    make_visit(program, 2, experts="文旅专家组", field="culture")
    make_agreement(program, 1, title="科技合作框架协议")
    make_course(program, 1, name="乡村干部就地培训班")
    client.force_login(clerk)
    overview = client.get(reverse("org:program_detail", args=[program.slug]), {"period": PERIOD.token})
    page = overview.content.decode()
    assert "智力援疆" in page
    expected = {
        "talent.aid_workers": ("在岗教师", "已离岗教师"),
        "talent.visit_person_times": ("招商专家组", None),
        "talent.shortage_visit_person_times": ("招商专家组", "文旅专家组"),
        "talent.agreements": ("科技合作框架协议", None),
        "training.courses": ("乡村干部就地培训班", None),
        "training.person_times": ("乡村干部就地培训班", None),
        "training.aid_funds": ("乡村干部就地培训班", None),
    }
    for code, (shown, hidden) in expected.items():
        url = reverse("metrics:metric_records", args=[code])
        assert url in page, code
        records = client.get(url, {"program": program.slug, "period": PERIOD.token})
        assert records.status_code == 200, code
        body = records.content.decode()
        assert shown in body, code
        if hidden:
            assert hidden not in body, code


def _grow(program, start, count):
    for n in range(start, start + count):
        make_worker(program, n, kind=("teacher", "doctor", "cadre")[n % 3], host_unit=f"受援单位{n % 4}")
        make_visit(program, n, field=("economy", "culture")[n % 2])
        make_agreement(program, n)
        make_course(program, n)


def test_metrics_roster_and_records_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    scope = Scope(program=program)
    roster = reverse("talent:aidworker_list")
    records = [
        (reverse("metrics:metric_records", args=[code]), {"program": program.slug, "period": PERIOD.token})
        for code in CODES
    ]
    _grow(program, 0, 3)  # every kind present at both sizes: an empty page runs one query fewer
    small = [
        count_queries(lambda: evaluate(CODES, scope, PERIOD)),
        count_queries(lambda: client.get(roster)),
        count_queries(lambda: client.get(roster, {"in_post_on": "2024-06-30", "kind": "teacher"})),
        *[count_queries(lambda u=u, q=q: client.get(u, q)) for u, q in records],
    ]
    _grow(program, 100, 20)
    large = [
        count_queries(lambda: evaluate(CODES, scope, PERIOD)),
        count_queries(lambda: client.get(roster)),
        count_queries(lambda: client.get(roster, {"in_post_on": "2024-06-30", "kind": "teacher"})),
        *[count_queries(lambda u=u, q=q: client.get(u, q)) for u, q in records],
    ]
    assert small == large, (small, large)
    # One statement per records table (metrics engine): workers, visits (shortage visits included),
    # agreements, and the courses' three figures together.
    assert small[0] == 4 < len(CODES)


def test_detail_pages_queries_are_fixed(client, clerk, program):
    client.force_login(clerk)
    objects = [
        make_worker(program, 1),
        make_visit(program, 1),
        make_agreement(program, 1),
        make_course(program, 1),
    ]
    # A history of a create and one update (an update's text is read back with the relations its
    # text reads: one query per relation, whatever the number of entries), then five more.
    for o in objects:
        o.note = "修改"
        o.save()
    small = [count_queries(lambda o=o: client.get(o.get_absolute_url())) for o in objects]
    for o in objects:  # the history tab grows
        for n in range(5):
            o.note = f"修改{n}"
            o.save()
    large = [count_queries(lambda o=o: client.get(o.get_absolute_url())) for o in objects]
    assert small == large


# --- the demo reproduces the article's 智力援疆 figures -------------------------------------------


def test_demo_figures(demo):
    out = StringIO()
    call_command(
        "metrics",
        "--program",
        "nantong-yining-11",
        "--period",
        "2023-04-01:2024-06-30",
        "--format",
        "json",
        stdout=out,
    )
    metrics = json.loads(out.getvalue())["metrics"]
    assert metrics["talent.visit_person_times"]["value"] == 86  # 进疆开展工作86人次
    assert metrics["talent.shortage_visit_person_times"]["value"] == 86  # all in shortage fields
    assert metrics["talent.agreements"]["value"] >= 1
    assert 3101 <= metrics["training.person_times"]["value"] <= 3199  # 3100余人次
    assert metrics["training.aid_funds"]["value"] == 4800000  # 投入援疆资金480万元
    assert metrics["talent.aid_workers"]["value"] > 0


def test_demo_records(demo):
    from yuanjiang.talent.models import Agreement, AidWorker, TrainingCourse

    program = demo.program
    workers = {w.name: w for w in AidWorker.objects.filter(program=program)}
    assert workers["施张范"].group_role == "leader"
    assert workers["杨永辉"].group_role == "deputy"
    assert workers["赵东生"].kind == "doctor" and workers["赵东生"].host_unit == "伊宁县人民医院"
    assert workers["曹荣彬"].kind == "teacher"
    illustrative = [w for w in workers.values() if w.name not in {"施张范", "杨永辉", "赵东生", "曹荣彬"}]
    assert illustrative and all("示例" in w.note for w in illustrative)

    # The article's records end on 2024-06-30; the demo's second year (示意) follows, marked as such.
    article = dt.date(2024, 6, 30)
    agreement = Agreement.objects.get(program=program, signed_on__lte=article)
    assert agreement.institution.name == "中国科学院植物研究所"
    assert agreement.government_party == "伊宁县人民政府" and agreement.counterpart_team == "顾春笋团队"
    later = Agreement.objects.filter(program=program, signed_on__gt=article)
    assert later.exists() and all("示意" in a.note for a in later)

    courses = TrainingCourse.objects.filter(program=program, start__lte=article)
    second_year = TrainingCourse.objects.filter(program=program, start__gt=article)
    assert second_year.exists() and all("示意" in c.note for c in second_year)
    project = program.aid_projects.get(code="NTYN-2023-03")
    assert set(courses.values_list("project", flat=True)) == {project.pk}
    assert courses.aggregate(s=Sum("aid_funds"))["s"] == project.aid_funds == Decimal("4800000")
    assert set(courses.values_list("audience", flat=True)) == {"cadre", "village", "professional"}
    assert set(courses.values_list("mode", flat=True)) == {"mainland", "local"}
    assert courses.count() == 42  # as the training project's progress report says
    assert max(courses.values_list("end", flat=True)) <= dt.date(2024, 3, 31)


def test_demo_roster_is_scoped(client, demo):
    from yuanjiang.accounts.models import User

    client.force_login(User.objects.get(username="nj_clerk"))
    page = client.get(reverse("talent:aidworker_list")).content.decode()
    assert "韩立" in page
    assert "施张范" not in page and "赵东生" not in page and "曹荣彬" not in page
    client.force_login(User.objects.get(username="nt_lead"))
    page = client.get(reverse("talent:aidworker_list")).content.decode()
    assert "施张范" in page and "韩立" not in page
