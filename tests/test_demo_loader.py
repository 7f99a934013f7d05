"""The demo's data files (docs/demo.md): one loader, natural keys, nested rows, updates, steps, errors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.culture.models import CultureEvent
from yuanjiang.demo import loader
from yuanjiang.demo.services import DemoError, _save
from yuanjiang.org.models import Region
from yuanjiang.projects.models import AidProject
from yuanjiang.review.choices import ReviewStatus

pytestmark = pytest.mark.django_db

EVENT = """
[["culture.CultureEvent"]]
program = "nantong-yining-11"
name = "消费帮扶产品展销会（示意）"
kind = "exchange"
date = 2024-03-02
township = "654021107"
place = "喀什镇"
participants = 120
"""


def _load(tmp_path, text: str) -> int:
    path = tmp_path / "first_year.toml"
    path.write_text(text, encoding="utf-8")
    with acting_as(None, source="demo"):
        return loader.load_file(path, _save)


def test_files_are_found_per_app_first_years_then_second_years():
    first = loader.data_files("first_year")
    apps = [p.parent.parent.name if p.suffix == ".toml" else p.parent.parent.parent.name for p in first]
    assert apps[:3] == ["org", "projects", "investment"]
    assert {"health", "talent", "education", "culture"} <= set(apps)
    # an app's flat lists (CSV) right after its TOML
    exams = first.index(next(p for p in first if p.name == "education.ExamResult.csv"))
    assert first[exams - 1].parts[-3:] == ("education", "demo", "first_year.toml")
    assert all(
        p.name == "second_year.toml" or p.parent.name == "second_year"
        for p in loader.data_files("second_year")
    )
    assert loader.YEARS == ("first_year", "second_year")


def test_a_row_is_validated_logged_and_approved_with_its_keys_resolved(demo, tmp_path):
    assert _load(tmp_path, EVENT) == 1
    event = CultureEvent.objects.get(name="消费帮扶产品展销会（示意）")
    assert event.program == demo.program
    assert event.township == Region.objects.get(code="654021107")
    assert event.review_status == ReviewStatus.APPROVED
    logged = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(CultureEvent), object_id=str(event.pk), action="create"
    )
    assert logged.get().changeset.source == "demo"


def test_nested_rows_and_an_update_by_natural_key(demo, tmp_path):
    project = AidProject.objects.get(program=demo.program, code="NTYN-2023-01")
    before = project.transactions.count()
    _load(
        tmp_path,
        """
[["projects.AidProject"]]
program = "nantong-yining-11"
code = "NTYN-2023-01"
local_contact = "新联系人（示意）"

[["projects.AidProject".transactions]]
kind = "expenditure"
date = 2025-06-01
amount = "1000.50"
source_document = "示意"
""",
    )
    project.refresh_from_db()
    assert project.local_contact == "新联系人（示意）"
    assert AidProject.objects.filter(code="NTYN-2023-01", program=demo.program).count() == 1
    added = project.transactions.order_by("-pk").first()
    assert project.transactions.count() == before + 1
    assert (added.amount, added.date) == (Decimal("1000.50"), dt.date(2025, 6, 1))


def test_if_missing_leaves_an_existing_row_alone(demo, tmp_path):
    name = Region.objects.get(code="654002").name
    _load(tmp_path, '[["org.Region"]]\n_if_missing = true\ncode = "654002"\nname = "别名"\n')
    assert Region.objects.get(code="654002").name == name


@pytest.mark.parametrize(
    "text, message",
    [
        (EVENT.replace('"654021107"', '"999999999"'), "找不到 org.Region：'999999999'"),
        (EVENT.replace("participants", "guests"), "没有字段“guests”"),
        ('[["culture.Nothing"]]\nname = "x"\n', "未知的模型“culture.Nothing”"),
        (
            '[["education.School"]]\nname = "x"\nprogram = "nantong-yining-11"\nfund = "x"\n',
            "没有字段“fund”",
        ),
    ],
)
def test_a_bad_file_names_itself_and_the_problem(demo, tmp_path, text, message):
    with pytest.raises(loader.LoaderError) as caught:
        _load(tmp_path, text)
    assert "first_year.toml" in str(caught.value) and message in str(caught.value)


def test_a_row_that_fails_validation_stops_the_load(demo, tmp_path):
    with pytest.raises(DemoError, match="未通过校验"):
        _load(tmp_path, EVENT.replace("participants = 120", "participants = -5"))


def test_a_model_without_a_single_key_needs_a_table(demo):
    with pytest.raises(loader.LoaderError, match="没有单一的自然键"):
        loader.resolve(AidProject, "NTYN-2023-01")
    assert loader.resolve(AidProject, {"program": "nantong-yining-11", "code": "NTYN-2023-01"}).code == (
        "NTYN-2023-01"
    )


def test_a_csv_file_holds_flat_rows_of_the_model_it_names(demo, tmp_path):
    path = tmp_path / "culture.CultureEvent.csv"
    path.write_text(
        "program,name,kind,date,township,place,participants,end_date\n"
        "nantong-yining-11,展销会甲（示意）,exchange,2024-03-02,654021107,喀什镇,120,\n"
        "nantong-yining-11,展销会乙（示意）,cultural,2024-03-09,,伊宁县城,,2024-03-10\n",
        encoding="utf-8",
    )
    with acting_as(None, source="demo"):
        assert loader.load_file(path, _save) == 2
    first, second = (CultureEvent.objects.get(name=f"展销会{n}（示意）") for n in "甲乙")
    assert (first.participants, first.township.code, first.end_date) == (120, "654021107", None)
    assert (second.participants, second.township, second.end_date) == (None, None, dt.date(2024, 3, 10))


def test_csv_headers_with_dots_name_a_key_as_a_table(tmp_path):
    path = tmp_path / "education.ExamResult.csv"
    path.write_text(
        "teaching_class.school.name,teaching_class.name,n\n二中,高一（1）班,46\n", encoding="utf-8"
    )
    assert loader._csv_rows(path) == [
        {"teaching_class": {"school": {"name": "二中"}, "name": "高一（1）班"}, "n": "46"}
    ]
