"""Place names of the whole region: a ledger's township resolves in its program's own county (with
former names as aliases, also after a later release renames it), and the claims check counts 全县N个乡镇
against the program's own county, and reads another county's name as another body's figure."""

import csv
import datetime as dt

import pytest

from tests.factories import make_user
from tests.test_interop_import import xlsx
from yuanjiang.accounts.models import Role
from yuanjiang.claims.services import MATCH, OTHERS, check_text
from yuanjiang.core.context import acting_as
from yuanjiang.interop import mapping
from yuanjiang.interop.importing import preview
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.periods import Period
from yuanjiang.org.services import DATA_DIR, RELEASES, Release, load_release, reference_load

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def huocheng_program(reference):
    with acting_as(None, source="test"):
        reference_load(counties=("654021", "654023"))
        return Program.objects.create(
            slug="jiangyin-huocheng-11",
            name="江苏援伊·江阴工作组（第十一批）",
            provider=Organization.objects.get(slug="jiangyin-wg"),
            recipient_region=Region.objects.get(code="654023"),
            batch=11,
            term_start=D(2023, 4, 1),
            term_end=D(2026, 3, 31),
        )


def ledger_rows(*townships):
    rows = [["项目编号", "项目名称", "项目类别", "建设地点", "计划年度", "援疆资金（元）"]]
    for i, t in enumerate(townships, 1):
        rows.append([f"HC-{i:02d}", f"测试项目{i}", "教育", t, 2023, 100000])
    return rows


def test_a_ledger_township_resolves_in_its_own_county(huocheng_program):
    clerk = make_user("hc_clerk", Role.CLERK, program=huocheng_program)
    plan = preview(
        mapping.get("projects"), huocheng_program, xlsx(ledger_rows("三宫乡", "英塔木镇")), "台账.xlsx", clerk
    )
    errors = [str(i) for i in plan.errors]
    assert len(errors) == 1 and "“英塔木镇”不是受援县的乡镇" in errors[0]  # 伊宁县's, not 霍城县's


def test_a_renamed_township_is_still_found_by_its_former_name(huocheng_program, tmp_path):
    clerk = make_user("hc_clerk", Role.CLERK, program=huocheng_program)
    path = tmp_path / "next.csv"
    with open(DATA_DIR / RELEASES[0].file, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["code", "name", "level", "parent_code", "former_code"])
        for row in csv.DictReader(f):
            if row["code"] == "654023204":  # 三宫乡 → 三宫镇 (a new 镇 code)
                w.writerow(["654023106", "三宫镇", "township", "654023", "654023204"])
            else:
                w.writerow([row["code"], row["name"], row["level"], row["parent_code"], ""])
    release = Release("nbs-next", "next.csv", "测试版", 2024, D(2024, 6, 30), "测试", "测试")
    with acting_as(None, source="test"):
        load_release(release, path=path, counties=("654021", "654023"))
    town = Region.objects.get(code="654023106")
    assert town.name == "三宫镇" and "三宫乡" in town.aliases
    plan = preview(mapping.get("projects"), huocheng_program, xlsx(ledger_rows("三宫乡")), "台账.xlsx", clerk)
    assert plan.ok, [str(i) for i in plan.errors]


def test_claims_count_the_townships_of_the_programs_own_county(huocheng_program):
    own = Region.objects.filter(parent__code="654023", kind__in=("镇", "乡")).count()
    assert own == 9  # 霍城县: 6 镇 + 3 乡 (not its 良种繁育中心 nor the corps' 六十六团分部)
    period = Period(D(2023, 4, 1), D(2024, 3, 31))
    result = check_text(f"江阴援疆医生走遍全县{own}个乡镇。", Scope(program=huocheng_program), period)
    got = {it["fragment"]: (it["verdict"], it.get("metric")) for it in result.items}
    assert got[f"{own}个"] == (MATCH, "health.county_townships"), got
    wrong = check_text("江阴援疆医生走遍全县18个乡镇。", Scope(program=huocheng_program), period)
    assert {it["fragment"]: it["verdict"] for it in wrong.items}["18个"] != MATCH  # 伊宁县's count


def test_another_countys_name_makes_it_another_bodys_figure(huocheng_program, program):
    period = Period(D(2023, 4, 1), D(2024, 3, 31))
    result = check_text("霍城县实施援疆项目20个。", Scope(program=program), period)  # 伊宁县's program
    assert {it["fragment"]: it["verdict"] for it in result.items}["20个"] == OTHERS
