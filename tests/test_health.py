"""医疗援疆: the county's reference townships, activity validation through the real web form, the
metrics (distinct townships, coverage rate, new techniques), the township coverage view and the demo's
figures."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.cases.health import hospital, make_activity
from tests.factories import make_user
from tests.kit import count_queries
from yuanjiang.accounts.models import Role
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships
from yuanjiang.investment.choices import InstitutionKind
from yuanjiang.metrics.registry import DistinctCountMetric, evaluate, evaluate_by_program, get
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.periods import Period
from yuanjiang.org.services import reference_load

YEAR = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
FREE = ActivityKind.FREE_CLINIC


def townships(program):
    return list(county_townships([program.recipient_region_id]))


# -- reference townships ------------------------------------------------------------------------


def test_the_county_has_its_18_reference_townships_with_former_names(program):
    names = [t.name for t in townships(program)]
    assert len(names) == 18
    assert sum(n.endswith("镇") for n in names) == 10
    assert "愉群翁回族乡" in names and "曲鲁海乡" in names
    assert "兵团七十团中心团场" not in names  # listed under the county code, not a county township
    by_name = {t.name: t for t in townships(program)}
    assert by_name["阿热吾斯塘镇"].aliases == "阿热吾斯塘乡"
    assert by_name["温亚尔镇"].aliases == "温亚尔乡"
    assert by_name["胡地于孜镇"].aliases == "胡地亚于孜"
    assert all(t.parent_id == program.recipient_region_id for t in townships(program))


def test_reference_load_is_idempotent(program):
    regions, changes = Region.objects.count(), ObjectChange.objects.count()
    result = reference_load()
    assert (result.regions, result.organizations) == (0, 0)
    assert Region.objects.count() == regions
    assert ObjectChange.objects.count() == changes  # nothing rewritten either


def test_a_township_no_longer_valid_is_not_counted(program):
    first = townships(program)[0]
    with acting_as(None, source="test"):
        first.valid_to = dt.date(2023, 12, 31)
        first.save()
    assert len(list(county_townships([program.recipient_region_id], on=dt.date(2023, 6, 30)))) == 18
    assert len(list(county_townships([program.recipient_region_id], on=dt.date(2024, 6, 30)))) == 17


# -- validation through the web form ------------------------------------------------------------


def form_data(program, **overrides):
    data = {
        "program": program.pk,
        "kind": FREE,
        "title": "巡回义诊",
        "date": "2023-11-14",
        "beneficiaries": "120",
        "cases": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_create(client, data):
    return client.post(reverse("health:medicalactivity_create"), data)


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_a_valid_activity_is_saved_and_logged(client, clerk, program):
    client.force_login(clerk)
    township = townships(program)[3]
    response = post_create(client, form_data(program, township=township.pk, occasion="世界糖尿病日"))
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = MedicalActivity.objects.get()
    assert (activity.township, activity.beneficiaries, activity.program) == (township, 120, program)
    entry = ObjectChange.objects.get(content_type__model="medicalactivity", action="create")
    assert entry.actor == clerk and entry.program == program
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert township.name in detail and "世界糖尿病日" in detail and "新增" in detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("beneficiaries", "-5", "受益人次不能为负数。"),
        ("cases", "-1", "病例数不能为负数。"),
        ("beneficiaries", "99999999999999999999", "受益人次不能超过1,000,000，请核对。"),
        ("cases", "1000001", "病例数不能超过1,000,000，请核对。"),
    ],
)
def test_bad_counts_are_refused(client, clerk, program, field, value, message):
    client.force_login(clerk)
    response = post_create(client, form_data(program, **{field: value}))
    assert response.status_code == 200
    assert message in errors(response, field)
    assert not MedicalActivity.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "1996-12-31", "9999-12-31", "2023-02-30", "明天"])
def test_bad_dates_are_refused(client, clerk, program, value):
    client.force_login(clerk)
    response = post_create(client, form_data(program, date=value))
    assert response.status_code == 200
    assert errors(response, "date")
    assert not MedicalActivity.objects.exists()


def test_date_messages(client, clerk, program):
    client.force_login(clerk)
    assert (
        "不能早于1997年1月1日"
        in errors(post_create(client, form_data(program, date="0001-01-01")), "date")[0]
    )
    assert "不能晚于今天" in errors(post_create(client, form_data(program, date="9999-12-31")), "date")[0]


def test_a_township_outside_the_programs_county_is_refused(client, clerk, program, other_program):
    theirs = Region.objects.get(code="654002100")  # 伊宁市's, the other program's county
    client.force_login(clerk)
    response = post_create(client, form_data(program, township=theirs.pk))
    assert errors(response, "township") == ["所选乡镇不存在，或不属于本项目组的受援县。"]
    # A user who may change both programs gets the model's rule: the township must be of the
    # chosen program's county.
    both = make_user(
        "both", Role.ADMIN, organization=Organization.objects.get(slug="jiangsu"), superuser=True
    )
    client.force_login(both)
    response = post_create(client, form_data(program, township=theirs.pk))
    assert errors(response, "township") == ["所选乡镇不属于伊宁县。"]
    # The county itself is not one of its townships.
    response = post_create(client, form_data(program, township=program.recipient_region_id))
    assert errors(response, "township") == ["所选乡镇不存在，或不属于本项目组的受援县。"]
    assert not MedicalActivity.objects.exists()


def test_another_programs_id_posted_is_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    response = post_create(client, form_data(other_program))
    assert errors(response, "program") == ["所选援疆项目组不存在或不在您的权限范围内。"]
    assert not MedicalActivity.objects.exists()
    # Editing one's own activity cannot move it to another program (the field is disabled).
    mine = make_activity(program, 1)
    response = client.post(
        reverse("health:medicalactivity_edit", args=[mine.pk]),
        form_data(other_program, title="改了", expected_version=mine.version),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.program == program and mine.title == "改了"


def test_hospitals_must_be_hospitals(client, clerk, program):
    client.force_login(clerk)
    university = hospital("南通大学", kind=InstitutionKind.UNIVERSITY)
    nantong = hospital()
    response = post_create(client, form_data(program, partner_hospital=university.pk))
    assert errors(response, "partner_hospital") == ["所选医院不存在，或不是机构类型为“医院”的机构。"]
    response = post_create(client, form_data(program, host_hospital=987654))
    assert errors(response, "host_hospital") == ["所选医院不存在，或不是机构类型为“医院”的机构。"]
    response = post_create(client, form_data(program, host_hospital=nantong.pk, partner_hospital=nantong.pk))
    assert errors(response, "partner_hospital") == ["援方医院与受援医院不能是同一家医院。"]
    assert not MedicalActivity.objects.exists()


def test_kind_specific_rules(client, clerk, program):
    client.force_login(clerk)
    response = post_create(client, form_data(program, kind=ActivityKind.NEW_TECHNIQUE, technique="  "))
    assert errors(response, "technique") == ["活动类型为“新技术新项目”时，请填写新技术/新项目名称。"]
    response = post_create(client, form_data(program, kind=ActivityKind.TELECONSULTATION))
    assert errors(response, "partner_hospital") == ["远程会诊须填写援方医院。"]
    assert not MedicalActivity.objects.exists()


def test_the_database_refuses_negative_counts(program):
    from django.db import IntegrityError, transaction

    activity = make_activity(program, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MedicalActivity.objects.filter(pk=activity.pk).update(beneficiaries=-1)


def test_the_list_filters(client, clerk, program):
    ts = townships(program)
    make_activity(program, 1, township=ts[0], title="甲镇义诊")
    make_activity(program, 2, township=ts[1], title="乙镇义诊")
    make_activity(
        program, 3, kind=ActivityKind.TELECONSULTATION, partner_hospital=hospital(), title="远程会诊甲"
    )
    client.force_login(clerk)
    url = reverse("health:medicalactivity_list")
    page = client.get(url, {"township": ts[0].pk}).content.decode()
    assert "甲镇义诊" in page and "乙镇义诊" not in page
    page = client.get(url, {"kind": ActivityKind.TELECONSULTATION}).content.decode()
    assert "远程会诊甲" in page and "甲镇义诊" not in page
    page = client.get(url, {"q": "乙镇"}).content.decode()
    assert "乙镇义诊" in page and "甲镇义诊" not in page
    page = client.get(url, {"date_after": "2024-01-01"}).content.decode()
    assert "甲镇义诊" not in page
    assert client.get(url, {"date_after": "0000-99-99", "township": "x"}).status_code == 200


# -- metrics -----------------------------------------------------------------------------------


def test_free_clinic_metrics(program):
    ts = townships(program)
    farm = Region.objects.get(name="兵团七十团中心团场")
    make_activity(program, 1, township=ts[0], beneficiaries=100)
    make_activity(program, 2, township=ts[0], beneficiaries=50)  # the same township again
    make_activity(program, 3, township=ts[1], beneficiaries=30)
    make_activity(program, 4, township=farm, beneficiaries=7)  # not a county township
    make_activity(program, 5, beneficiaries=5)  # no township
    make_activity(program, 6, township=ts[2], beneficiaries=999, date=dt.date(2023, 3, 31))  # before
    make_activity(program, 7, kind=ActivityKind.EXPERT_VISIT, township=ts[3], beneficiaries=40)
    figures = evaluate(None, Scope(program=program), YEAR)
    value = {code: f.value for code, f in figures.items()}
    assert value["health.free_clinics"] == 5
    assert value["health.free_clinic_beneficiaries"] == 192
    assert value["health.free_clinic_townships"] == 2
    assert value["health.county_townships"] == 18
    assert value["health.free_clinic_township_coverage_rate"] == Decimal("11.1")
    assert value["health.expert_visits"] == 1
    assert value["health.activities"] == 6
    assert value["health.beneficiaries"] == 232


def test_new_techniques_count_distinct_names(program):
    for n, name in enumerate(["房颤消融术", "房颤消融术", "经皮冠脉介入"]):
        make_activity(program, n, kind=ActivityKind.NEW_TECHNIQUE, technique=name, cases=2)
    make_activity(program, 9, kind=ActivityKind.TELECONSULTATION, partner_hospital=hospital(), cases=3)
    make_activity(
        program, 10, kind=ActivityKind.TELECONSULTATION, partner_hospital=hospital("南通市中医院"), cases=4
    )
    value = {c: f.value for c, f in evaluate(None, Scope(program=program), YEAR).items()}
    assert value["health.new_techniques"] == 2
    assert value["health.new_technique_cases"] == 6
    assert value["health.teleconsultations"] == 2
    assert value["health.teleconsultation_cases"] == 7
    assert value["health.partner_hospitals"] == 2


def test_distinct_count_is_one_query_and_agrees_by_program(program, other_program):
    ts = townships(program)
    for n in range(6):
        make_activity(program, n, township=ts[n % 3])
    make_activity(other_program, 99, township=Region.objects.get(code="654002100"))
    metric = get("health.free_clinic_townships")
    assert isinstance(metric, DistinctCountMetric)
    scope = Scope(organization=Organization.objects.get(slug="jiangsu"))
    assert count_queries(lambda: metric.compute(scope, YEAR)) == 1
    assert count_queries(lambda: metric.compute_by_program(scope, YEAR)) == 1
    assert metric.compute(Scope(program=program), YEAR) == 3
    # 伊宁市's 测试街道 is a township of its county (the test fixture has no kind for it).
    assert metric.compute(scope, YEAR) == 4
    assert metric.compute_by_program(scope, YEAR) == {program.pk: 3, other_program.pk: 1}


def test_county_townships_for_an_organization_count_each_county_once(program, other_program):
    # A second program (the next batch) in the same county.
    with acting_as(None, source="test"):
        next_batch = Program.objects.create(
            slug="nantong-yining-12",
            name="江苏援伊·南通工作组（第十二批）",
            provider=program.provider,
            recipient_region=program.recipient_region,
            batch=12,
            term_start=dt.date(2026, 4, 1),
            term_end=dt.date(2029, 3, 31),
        )
    metric = get("health.county_townships")
    org = Scope(organization=Organization.objects.get(slug="jiangsu"))
    assert metric.compute(org, YEAR) == 18 + 1  # 伊宁县 once, 伊宁市 (one test township) once
    assert count_queries(lambda: metric.compute(org, YEAR)) == 1
    assert count_queries(lambda: metric.compute_by_program(org, YEAR)) == 1
    assert metric.compute_by_program(org, YEAR) == {program.pk: 18, next_batch.pk: 18, other_program.pk: 1}
    by_program = evaluate_by_program(["health.free_clinic_township_coverage_rate"], org, YEAR)
    assert by_program[program.pk]["health.free_clinic_township_coverage_rate"] == 0


def test_the_program_overview_shows_the_health_block(client, clerk, program):
    make_activity(program, 1, township=townships(program)[0], beneficiaries=120)
    client.force_login(clerk)
    page = client.get(program.get_absolute_url(), {"period": YEAR.token}).content.decode()
    assert "民生援疆·医疗" in page and "义诊覆盖乡镇" in page and "120人次" in page


# -- the township coverage view ----------------------------------------------------------------


def coverage(client, program, period=YEAR):
    return client.get(reverse("health:township_coverage"), {"program": program.slug, "period": period.token})


def test_coverage_view_shows_every_township_and_opens_its_activities(client, clerk, program):
    ts = townships(program)
    make_activity(program, 1, township=ts[0], beneficiaries=100, title="甲镇义诊")
    make_activity(program, 2, township=ts[0], beneficiaries=20)
    make_activity(program, 3, kind=ActivityKind.EXPERT_VISIT, township=ts[1], beneficiaries=7)
    client.force_login(clerk)
    response = coverage(client, program)
    assert response.status_code == 200
    cells = response.context["cells"]
    assert [c["township"] for c in cells] == ts
    first, second = cells[0], cells[1]
    assert (first["covered"], first["free_clinics"], first["free_clinic_beneficiaries"]) == (True, 2, 120)
    assert (second["covered"], second["activities"], second["beneficiaries"]) == (False, 1, 7)
    assert response.context["covered"] == 1
    page = response.content.decode()
    assert "18个乡镇中，1个在统计期内开展过义诊" in page
    assert all(t.name in page for t in ts)
    listed = client.get(first["url"]).content.decode()
    assert "甲镇义诊" in listed
    assert f"township={ts[0].pk}" in first["url"] and "date_after=2023-04-01" in first["url"]


def test_coverage_view_queries_are_fixed(client, clerk, program):
    ts = townships(program)
    client.force_login(clerk)
    make_activity(program, 1, township=ts[0])
    small = count_queries(lambda: coverage(client, program))
    for n in range(40):
        make_activity(program, 100 + n, township=ts[n % len(ts)], beneficiaries=n)
    large = count_queries(lambda: coverage(client, program))
    assert small == large, (small, large)


def test_coverage_view_is_scoped(client, clerk, supervisor, program, other_program):
    client.force_login(clerk)
    assert coverage(client, other_program).status_code == 404
    bad = client.get(reverse("health:township_coverage"), {"period": "bad"})
    assert bad.status_code == 200 and 'id="period_error"' in bad.content.decode()
    assert client.get(reverse("health:township_coverage")).status_code == 200
    client.force_login(supervisor)
    assert coverage(client, program).status_code == 200


# -- the demo ----------------------------------------------------------------------------------


def test_demo_reproduces_the_articles_medical_figures(demo, db):
    out = StringIO()
    call_command(
        "metrics", "--program", "nantong-yining-11", "--period", YEAR.token, "--format", "json", stdout=out
    )
    metrics = json.loads(out.getvalue())["metrics"]
    program = Program.objects.get(slug="nantong-yining-11")
    assert 2501 <= metrics["health.free_clinic_beneficiaries"]["value"] <= 2599  # 2500余人次
    assert metrics["health.free_clinic_township_coverage_rate"] == {
        "value": 100,
        "unit": "%",
        "label": "义诊乡镇覆盖率",
    }
    assert metrics["health.free_clinic_townships"]["value"] == len(townships(program)) == 18
    assert metrics["health.new_techniques"]["value"] >= 1
    assert metrics["health.teleconsultations"]["value"] >= 2
    assert metrics["health.expert_visits"]["value"] >= 1
    partners = set(
        MedicalActivity.objects.filter(kind=ActivityKind.TELECONSULTATION).values_list(
            "partner_hospital__name", flat=True
        )
    )
    assert partners == {"南通市第一人民医院", "南通市中医院"}
    occasions = set(MedicalActivity.objects.filter(kind=FREE).values_list("occasion", flat=True))
    assert {"世界糖尿病日", "全国爱肝日"} <= occasions
    article = dt.date(2024, 6, 30)
    afib = MedicalActivity.objects.get(kind=ActivityKind.NEW_TECHNIQUE, date__lte=article)
    assert afib.doctors == "赵东生" and "房颤消融" in afib.technique
    # The demo's second year (示意) follows the article's records, every one marked as such.
    later = MedicalActivity.objects.filter(date__gt=article)
    assert later.exists() and all("示意" in a.note for a in later)
    assert all(a.note for a in MedicalActivity.objects.all())  # illustrative details are marked
    assert not MedicalActivity.objects.filter(program__slug="nanjing-yiningshi-11").exists()


@pytest.mark.parametrize(
    "code",
    ["health.county_townships", "health.free_clinic_township_coverage_rate", "health.free_clinic_townships"],
)
def test_the_records_behind_township_figures(client, clerk, program, code):
    make_activity(program, 1, township=townships(program)[0], title="甲镇义诊")
    client.force_login(clerk)
    response = client.get(
        reverse("metrics:metric_records", args=[code]), {"program": program.slug, "period": YEAR.token}
    )
    assert response.status_code == 200
    page = response.content.decode()
    if code == "health.free_clinic_townships":
        assert "甲镇义诊" in page and "共 1 条记录" in page
    else:
        assert "愉群翁回族乡" in page and "共 18 条记录" in page and "兵团七十团" not in page


def test_an_organization_overview_rolls_up_the_health_block(client, supervisor, program):
    make_activity(program, 1, township=townships(program)[0], beneficiaries=77)
    client.force_login(supervisor)
    page = client.get(
        reverse("org:organization_detail", args=["jiangsu-yili-front"]), {"period": YEAR.token}
    ).content.decode()
    assert "民生援疆·医疗" in page and "77人次" in page
