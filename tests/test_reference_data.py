"""National reference data: Xinjiang's divisions with their codes, the 19 aiding provinces and cities,
and a later release that renames and recodes without breaking the records that point at a region."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command

from tests.factories import make_project
from yuanjiang.core.context import acting_as
from yuanjiang.org import services as org_services
from yuanjiang.org.models import Organization, Program, ReferenceRelease, Region
from yuanjiang.org.services import RELEASES, Release, load_release, reference_load

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def whole_region(monkeypatch):
    """The whole of Xinjiang, as `./yj load_reference` loads it (conftest loads one county)."""
    monkeypatch.setattr(org_services, "DEFAULT_COUNTIES", None)


def test_load_reference_on_an_empty_database(capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "nbs-2023" in out
    provinces = Organization.objects.filter(kind="province")
    assert provinces.count() == 19
    assert {"beijing", "shenzhen", "jiangsu", "hunan", "heilongjiang"} <= {o.slug for o in provinces}
    counties = Region.objects.filter(level="county", code__startswith="65")
    assert counties.count() == 108  # every county-level division of Xinjiang, 2023 release
    assert all(len(c.code) == 6 and c.parent.level == "prefecture" for c in counties.select_related("parent"))
    townships = Region.objects.filter(level="township", code__startswith="65")
    assert townships.count() >= 1000
    assert townships.count() == 1405
    # 伊宁县 keeps its 18 townships, its corps farm (团场) and its former names.
    yining = Region.objects.get(code="654021")
    assert yining.children.exclude(kind="团场").count() == 18
    assert "阿热吾斯塘乡" in Region.objects.get(code="654021105").aliases
    # Every pairing's work group sits under its province and points at its recipient.
    wg = Organization.objects.get(slug="shanghai-wg-653125")
    assert wg.region.name == "莎车县" and wg.path.startswith("/shanghai/")
    assert Organization.objects.get(slug="nantong-wg").region == yining
    # 兵团第十二师 (no 师市 city, so no code): 山东's and 山西's work groups, under their corps front.
    xii = Organization.objects.get(slug="shandong-wg-xpcc12")
    assert (
        xii.region is None and xii.name == "山东援疆·兵团第十二师工作组" and xii.path.startswith("/shandong/")
    )
    assert Organization.objects.filter(slug="shanxi-wg-xpcc12").exists()
    release = ReferenceRelease.objects.get(key="nbs-2023")
    assert release.rows == 1 + 15 + 108 + 1405 and release.loaded_at is not None


def test_load_reference_is_idempotent():
    with acting_as(None, source="test"):
        first = reference_load()
        second = reference_load()
    assert first.regions == 1529 and first.organizations > 100
    assert (second.regions, second.organizations, second.renamed, second.recoded) == (0, 0, 0, 0)
    assert ReferenceRelease.objects.count() == 1


def test_later_release_renames_and_recodes_without_breaking_records(tmp_path):
    with acting_as(None, source="test"):
        reference_load(counties=("654021",))
        program = Program.objects.create(
            slug="p",
            name="测试",
            provider=Organization.objects.get(slug="nantong-wg"),
            recipient_region=Region.objects.get(code="654021"),
            batch=11,
            term_start=dt.date(2023, 4, 1),
            term_end=dt.date(2026, 3, 31),
        )
    wugong = Region.objects.get(name="武功乡")
    mazha = Region.objects.get(name="麻扎乡")
    project = make_project(program, 1, township=wugong)
    # The next release: 武功乡 becomes 武功镇 (new code), 麻扎乡 is no longer listed.
    base = RELEASES[0]
    with open(tmp_path / "next.csv", "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["code", "name", "level", "parent_code", "former_code"])
        from yuanjiang.org.services import DATA_DIR

        with open(DATA_DIR / base.file, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["code"] == wugong.code:
                    w.writerow(["654021110", "武功镇", "township", "654021", wugong.code])
                elif row["code"] != mazha.code:
                    w.writerow([row["code"], row["name"], row["level"], row["parent_code"], ""])
    nxt = Release(
        key="nbs-2024",
        file="next.csv",
        title="2024年版（测试）",
        year=2024,
        cutoff=dt.date(2024, 6, 30),
        source="测试",
        licence="测试",
    )
    with acting_as(None, source="test"):
        result = load_release(nxt, path=tmp_path / "next.csv", counties=("654021",))
        again = load_release(nxt, path=tmp_path / "next.csv", counties=("654021",))
    assert (result.renamed, result.recoded, result.ended, result.regions) == (1, 1, 1, 0)
    assert (again.renamed, again.recoded, again.ended) == (0, 0, 0)
    wugong.refresh_from_db()
    assert (wugong.code, wugong.name) == ("654021110", "武功镇")
    assert "武功乡" in wugong.aliases and "654021203" in wugong.former_codes
    project.refresh_from_db()
    assert project.township_id == wugong.pk  # the record still points at the same township
    mazha.refresh_from_db()
    assert mazha.valid_to == dt.date(2024, 6, 30)  # ended, kept
    assert Region.objects.filter(release__key="nbs-2024").count() > 18
