"""The IATI 2.03 export (api.iati, `./yj iati`, the program page's download): the demo's file validates
against the official 2.03 XSD (vendored) and every code in it is in its IATI codelist (vendored)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import etree

from tests.kit import count_queries
from yuanjiang.api import iati
from yuanjiang.api.models import IatiSector
from yuanjiang.projects.models import AidProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo):
    """The demo (conftest's, built once per session): its program."""
    return demo.program


def test_demo_export_validates_and_every_code_is_in_its_codelist(demo, tmp_path):
    out = tmp_path / "iati.xml"
    call_command("iati", program=demo.slug, output=str(out), stderr=io.StringIO())
    tree = etree.parse(str(out))
    assert iati.validate(tree) == []
    assert iati.code_errors(tree) == []
    root = tree.getroot()
    assert root.get("version") == "2.03"
    activities = root.findall("iati-activity")
    # the article's 15, the two 续建 of the 第十批 and the 2025 plan of the demo's second year
    assert len(activities) == AidProject.objects.filter(program=demo).count() == 15 + 2 + 4
    # every coded attribute the file uses was checked (none slipped past the CODED table)
    seen = {(el.tag, a) for el in root.iter() for a in el.attrib}
    coded_like = {(t, a) for t, a in seen if a in ("code", "type", "role", "vocabulary", "measure", "status")}
    assert coded_like <= set(iati.CODED), coded_like - set(iati.CODED)
    first = activities[0]
    assert first.findtext("iati-identifier").endswith(
        AidProject.objects.filter(program=demo).order_by("plan_year", "code")[0].code
    )
    assert first.find("recipient-country").get("code") == "CN"
    assert first.find("location").get("ref").startswith("CN-6540")
    assert {t.get("code") for t in root.iter("transaction-type")} <= {"2", "3", "4"}
    assert root.findall(".//transaction")
    assert root.findall(".//result/indicator")


def test_the_schema_and_codelists_really_check(demo):
    tree = iati.build(AidProject.objects.filter(program=demo))
    tree.getroot()[0].find("activity-status").set("code", "9")
    assert iati.code_errors(tree)
    tree.getroot()[0].remove(tree.getroot()[0].find("iati-identifier"))
    assert iati.validate(tree)


def test_sector_table_is_editable(demo):
    project = AidProject.objects.filter(program=demo).first()
    IatiSector.objects.create(category=project.category, dac_code="43010")
    tree = iati.build(AidProject.objects.filter(pk=project.pk))
    assert tree.getroot()[0].find("sector").get("code") == "43010"
    bad = IatiSector(category="other", dac_code="99999")
    with pytest.raises(Exception, match="不在 IATI 行业代码表"):
        bad.full_clean()


def test_export_queries_fixed(demo):
    few = AidProject.objects.filter(program=demo, pk__in=AidProject.objects.values("pk")[:3])
    many = AidProject.objects.filter(program=demo)
    assert count_queries(lambda: iati.build(few)) == count_queries(lambda: iati.build(many))


def test_program_page_download(demo, clerk_of_demo):
    web = Client()
    web.force_login(clerk_of_demo)
    r = web.get(f"/api/iati/{demo.slug}.xml")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/xml")
    assert iati.validate(etree.fromstring(r.content).getroottree()) == []
    page = web.get(demo.get_absolute_url())
    assert f"/api/iati/{demo.slug}.xml" in page.content.decode()


@pytest.fixture
def clerk_of_demo(demo):
    from tests.factories import make_user
    from yuanjiang.accounts.models import Role

    return make_user("iati_clerk", Role.CLERK, program=demo)
