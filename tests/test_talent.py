"""智力援疆 records through the real web forms: bad input gets a Chinese message on the field and saves
nothing; the roster and names stay inside the program's scope; signed agreements are PDFs only."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from tests.factories import make_project
from tests.factories_talent import (
    make_agreement,
    make_course,
    make_institution,
    make_visit,
    make_worker,
    talent_field,
)
from yuanjiang.talent import validators
from yuanjiang.talent.models import Agreement, AidWorker, TalentVisit, TrainingCourse


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def course_data(program, **overrides):
    data = {
        "program": program.pk,
        "name": "党政干部能力提升班",
        "audience": "cadre",
        "mode": "mainland",
        "place": "南通市委党校",
        "start": "2023-09-01",
        "end": "2023-09-07",
        "participants": "40",
        "aid_funds": "180000",
    }
    data.update(overrides)
    return data


def visit_data(program, **overrides):
    data = {
        "program": program.pk,
        "field": talent_field("agri-tech").pk,
        "experts": "顾春笋团队",
        "start": "2023-07-10",
        "end": "2023-07-16",
        "people": "3",
        "person_times": "3",
    }
    data.update(overrides)
    return data


def worker_data(program, **overrides):
    data = {
        "program": program.pk,
        "name": "赵东生",
        "kind": "doctor",
        "sector": "health",
        "group_role": "member",
        "home_unit": "南通市第一人民医院",
        "host_unit": "伊宁县人民医院",
        "post": "心血管内科副主任",
        "term_kind": "short",
        "term_start": "2023-08-01",
        "term_end": "2025-01-31",
    }
    data.update(overrides)
    return data


def agreement_data(program, **overrides):
    data = {
        "program": program.pk,
        "kind": "framework",
        "title": "科技合作框架协议",
        "signed_on": "2024-05-22",
        "institution": make_institution().pk,
        "government_party": "伊宁县人民政府",
    }
    data.update(overrides)
    return data


def pdf_bytes(pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def post(client, name, data, pk=None):
    return client.post(reverse(name, args=[pk] if pk else []), data)


# --- valid input: each record created through its form and logged is tests/test_kit.py's generic test


# --- bad input: a Chinese message on the field, nothing saved ------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"participants": "0"}, "participants", "培训人次至少为1。"),
        ({"participants": "-3"}, "participants", "培训人次至少为1。"),
        ({"aid_funds": "-1"}, "aid_funds", "金额不能为负数。"),
        ({"end": "2023-08-31"}, "end", "培训结束日期（2023年8月31日）不能早于开始日期（2023年9月1日）。"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "start", "日期须在1997年1月1日至2100年12月31日之间"),
        ({"end": "9999-12-31"}, "end", "日期须在1997年1月1日至2100年12月31日之间"),
        ({"participants": "99999999999999"}, "participants", "培训人次不能超过1000000，请核对。"),
        ({"participants": "1000001"}, "participants", "培训人次不能超过1000000，请核对。"),
        ({"aid_funds": "1" + "0" * 30}, "aid_funds", "超出上限"),
        ({"start": "2023-02-30"}, "start", "有效"),
    ],
)
def test_bad_course_input(client, clerk, program, overrides, field, message):
    client.force_login(clerk)
    response = post(client, "talent:trainingcourse_create", course_data(program, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in errors(response, field)), errors(response, field)
    assert not TrainingCourse.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"people": "0", "person_times": "0"}, "people", "人数至少为1。"),
        ({"person_times": "0"}, "person_times", "人次至少为1。"),
        ({"people": "3", "person_times": "2"}, "person_times", "人次（2）不能少于人数（3）"),
        ({"end": "2023-07-01"}, "end", "不能早于开始日期"),
        ({"start": "9999-01-01", "end": ""}, "start", "日期须在1997年1月1日至2100年12月31日之间"),
        ({"people": "100001", "person_times": "100001"}, "people", "人数不能超过100000，请核对。"),
        ({"person_times": "99999999999999"}, "person_times", "人次不能超过1000000，请核对。"),
    ],
)
def test_bad_visit_input(client, clerk, program, overrides, field, message):
    client.force_login(clerk)
    response = post(client, "talent:talentvisit_create", visit_data(program, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in errors(response, field)), errors(response, field)
    assert not TalentVisit.objects.exists()


def test_bad_worker_and_agreement_input(client, clerk, program):
    client.force_login(clerk)
    response = post(client, "talent:aidworker_create", worker_data(program, term_end="2023-07-01"))
    assert "援疆任期结束日期（2023年7月1日）不能早于开始日期（2023年8月1日）。" in errors(
        response, "term_end"
    )
    assert not AidWorker.objects.exists()

    response = post(client, "talent:agreement_create", agreement_data(program, government_party=""))
    assert errors(response, "institution") == ["协议至少要有两方：请在机构方、企业方、政府方中至少填写两项。"]
    response = post(client, "talent:agreement_create", agreement_data(program, signed_on="2100-01-01"))
    assert "签订日期不能晚于今天" in errors(response, "signed_on")[0]
    assert not Agreement.objects.exists()


def test_another_programs_ids_are_refused(client, clerk, program, other_program):
    client.force_login(clerk)
    theirs = make_project(other_program, 1, name="南京项目")
    response = post(client, "talent:trainingcourse_create", course_data(program, project=theirs.pk))
    assert errors(response, "project") == ["所选资金来源项目不存在或不在您的权限范围内。"]
    response = post(client, "talent:trainingcourse_create", course_data(other_program))
    assert errors(response, "program") == ["所选援疆项目组不存在或不在您的权限范围内。"]
    response = post(client, "talent:aidworker_create", worker_data(other_program))
    assert "不在您的权限范围内" in errors(response, "program")[0]
    assert not TrainingCourse.objects.exists() and not AidWorker.objects.exists()


def test_a_course_paid_by_a_project_of_another_program_is_refused_by_the_model(program, other_program):
    theirs = make_project(other_program, 1, name="南京项目")
    course = TrainingCourse(
        program=program, name="班", audience="cadre", mode="local", start="2023-09-01", end="2023-09-02",
        participants=10, aid_funds=Decimal("10"), project=theirs,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert exc.value.message_dict["project"] == ["资金来源项目“南京项目”不属于本援疆项目组。"]


# --- a course may not overspend its paying project ----------------------------------------------


def test_a_course_overspending_its_project_is_refused_with_the_figures(client, clerk, program):
    project = make_project(program, 1, name="干部人才培训项目", aid_funds=Decimal("1000000"))
    make_course(program, 1, project=project, aid_funds=Decimal("800000"))
    client.force_login(clerk)
    response = post(
        client, "talent:trainingcourse_create", course_data(program, project=project.pk, aid_funds="300000")
    )
    assert response.status_code == 200
    assert errors(response, "aid_funds") == [
        "援疆资金超出项目“干部人才培训项目”的额度：该项目援疆资金100万元，其他培训班已使用80万元，"
        "尚余20万元；本班30万元将使合计达到110万元。"
    ]
    assert TrainingCourse.objects.count() == 1

    # Exactly the rest fits; then nothing is left.
    response = post(
        client, "talent:trainingcourse_create", course_data(program, project=project.pk, aid_funds="200000")
    )
    assert response.status_code == 302
    response = post(
        client, "talent:trainingcourse_create", course_data(program, project=project.pk, aid_funds="0.01")
    )
    assert "尚余0元" in errors(response, "aid_funds")[0]
    assert TrainingCourse.objects.count() == 2


def test_editing_a_course_counts_its_own_funds_once(client, clerk, program):
    project = make_project(program, 1, aid_funds=Decimal("1000000"))
    course = make_course(program, 1, project=project, aid_funds=Decimal("1000000"))
    client.force_login(clerk)
    data = course_data(program, project=project.pk, aid_funds="1000000", participants="45")
    data["expected_version"] = course.version
    response = post(client, "talent:trainingcourse_edit", data, pk=course.pk)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.participants == 45 and course.version == 2


def test_save_rechecks_the_funds_when_clean_was_skipped(program):
    """Two clerks saving at once both pass clean(); save() re-checks with the project row locked."""
    project = make_project(program, 1, aid_funds=Decimal("100"))
    make_course(program, 1, project=project, aid_funds=Decimal("60"))
    with pytest.raises(ValidationError) as exc:
        make_course(program, 2, project=project, aid_funds=Decimal("50"))
    assert "尚余40元" in exc.value.message_dict["aid_funds"][0]
    assert TrainingCourse.objects.count() == 1


# --- signed agreements: PDF only, size-limited, served through the scoped view --------------------


def test_a_pdf_is_stored_and_served_only_in_scope(client, clerk, other_clerk, program):
    client.force_login(clerk)
    upload = SimpleUploadedFile("框架协议.pdf", pdf_bytes(2), content_type="application/pdf")
    response = post(client, "talent:agreement_create", agreement_data(program, document=upload))
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.document.name.startswith("agreements/") and agreement.document.name.endswith(".pdf")
    url = reverse("talent:agreement_document", args=[agreement.pk])
    assert url in client.get(agreement.get_absolute_url()).content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")

    client.force_login(other_clerk)
    assert client.get(url).status_code == 404


def test_an_agreement_without_a_document_has_none_to_serve(client, clerk, program):
    agreement = make_agreement(program, 1)
    client.force_login(clerk)
    assert client.get(reverse("talent:agreement_document", args=[agreement.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("协议.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "不是PDF文件（文件内容不以%PDF-开头）"),
        ("协议.pdf", b"%PDF-1.4\n this is not really a pdf \n%%EOF", "已损坏或不是有效的PDF，无法解析。"),
        ("协议.exe", None, "只接受扩展名为.pdf的文件"),
        ("协议.pdf", b"", "是空的"),
    ],
)
def test_an_attachment_that_is_not_a_pdf_is_refused(client, clerk, program, name, content, message):
    client.force_login(clerk)
    upload = SimpleUploadedFile(name, pdf_bytes() if content is None else content)
    response = post(client, "talent:agreement_create", agreement_data(program, document=upload))
    assert response.status_code == 200
    assert any(message in e for e in errors(response, "document")), errors(response, "document")
    assert not Agreement.objects.exists()


def test_a_too_large_pdf_is_refused(client, clerk, program, monkeypatch):
    content = pdf_bytes(3)
    monkeypatch.setattr(validators, "PDF_MAX_BYTES", len(content) - 1)
    client.force_login(clerk)
    upload = SimpleUploadedFile("大文件.pdf", content, content_type="application/pdf")
    response = post(client, "talent:agreement_create", agreement_data(program, document=upload))
    assert any("超过" in e and "上限" in e for e in errors(response, "document"))
    assert not Agreement.objects.exists()


def test_editing_an_agreement_keeps_its_document(client, clerk, program):
    client.force_login(clerk)
    upload = SimpleUploadedFile("协议.pdf", pdf_bytes(), content_type="application/pdf")
    post(client, "talent:agreement_create", agreement_data(program, document=upload))
    agreement = Agreement.objects.get()
    stored = agreement.document.name
    data = agreement_data(program, title="改名后的协议", expected_version=agreement.version)
    assert post(client, "talent:agreement_edit", data, pk=agreement.pk).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "改名后的协议" and agreement.document.name == stored


# --- names stay inside the program's scope ---------------------------------------------------------


def test_another_programs_clerk_sees_neither_the_roster_nor_any_name(client, clerk, other_clerk, program):
    make_worker(program, 1, name="施张范", kind="cadre", group_role="leader", host_unit="伊宁县")
    make_worker(program, 2, name="赵东生", kind="doctor", host_unit="伊宁县人民医院")
    client.force_login(clerk)
    page = client.get(reverse("talent:aidworker_list")).content.decode()
    assert "施张范" in page and "赵东生" in page

    client.force_login(other_clerk)
    urls = [
        reverse("talent:aidworker_list"),
        reverse("talent:aidworker_list") + f"?program={program.slug}",
        reverse("talent:aidworker_list") + "?q=施",
        reverse("metrics:metric_records", args=["talent.aid_workers"]) + "?program=nanjing-yiningshi-11",
        reverse("projects:aidproject_list"),
    ]
    for url in urls:
        response = client.get(url)
        page = response.content.decode()
        assert "施张范" not in page and "赵东生" not in page and "伊宁县人民医院" not in page, url
    theirs = reverse("metrics:metric_records", args=["talent.aid_workers"]) + f"?program={program.slug}"
    assert client.get(theirs).status_code == 404
    for worker in AidWorker.objects.all():
        assert client.get(worker.get_absolute_url()).status_code == 404


def test_aid_workers_keep_no_sensitive_personal_data():
    names = {f.name for f in AidWorker._meta.get_fields()}
    for forbidden in ("id_number", "id_card", "identity", "birth", "phone", "address", "ethnicity", "gender"):
        assert not any(forbidden in n for n in names), forbidden


def test_roster_counts_by_kind_and_host_unit(client, clerk, program):
    for n, (kind, host) in enumerate(
        [
            ("teacher", "伊宁县第二中学"),
            ("teacher", "伊宁县第二中学"),
            ("doctor", "伊宁县人民医院"),
            ("cadre", "伊宁县"),
        ]
    ):
        make_worker(program, n, kind=kind, host_unit=host)
    client.force_login(clerk)
    response = client.get(reverse("talent:aidworker_list"))
    assert response.context["by_kind"] == [("教师", 2), ("党政干部", 1), ("医生", 1)]
    assert response.context["by_host_unit"] == [("伊宁县第二中学", 2), ("伊宁县", 1), ("伊宁县人民医院", 1)]
    filtered = client.get(reverse("talent:aidworker_list"), {"kind": "teacher"})
    assert filtered.context["by_host_unit"] == [("伊宁县第二中学", 2)]


def test_roster_in_post_filter(client, clerk, program):
    make_worker(program, 1, name="已离岗", term_start="2023-08-15", term_end="2024-01-15")
    make_worker(program, 2, name="在岗", term_start="2023-08-15", term_end=None)
    client.force_login(clerk)
    page = client.get(reverse("talent:aidworker_list"), {"in_post_on": "2024-06-30"}).content.decode()
    assert "在岗" in page and "已离岗" not in page


def test_visit_list_filters_shortage_fields(client, clerk, program):
    make_visit(program, 1, field="economy", experts="招商专家")
    make_visit(program, 2, field="culture", experts="文旅专家")
    client.force_login(clerk)
    page = client.get(reverse("talent:talentvisit_list"), {"shortage": "true"}).content.decode()
    assert "招商专家" in page and "文旅专家" not in page


def test_lists_show_totals_of_the_filtered_records(client, clerk, program, other_program):
    make_course(program, 1, participants=40, aid_funds=Decimal("180000"), mode="mainland")
    make_course(program, 2, participants=110, aid_funds=Decimal("60000"), mode="local")
    make_course(other_program, 3, participants=999, aid_funds=Decimal("999999"))
    client.force_login(clerk)
    response = client.get(reverse("talent:trainingcourse_list"))
    assert response.context["totals"] == [
        ("培训人次", 150, "人次"),
        ("使用援疆资金", Decimal("240000"), "元"),
    ]
    assert "24万元" in response.content.decode()
    response = client.get(reverse("talent:trainingcourse_list"), {"mode": "local"})
    assert response.context["totals"][0] == ("培训人次", 110, "人次")


def test_supervisor_rollup_shows_the_talent_section(client, supervisor, program, other_program):
    make_visit(program, 1, people=3, person_times=3)
    make_visit(other_program, 2, people=4, person_times=4)
    client.force_login(supervisor)
    response = client.get(reverse("org:organization_detail", args=["jiangsu-yili-front"]), {"period": "2023"})
    assert response.status_code == 200
    sections = dict((s.key, figures) for s, figures in response.context["sections"])
    visits = next(f for f in sections["talent"] if f.code == "talent.visit_person_times")
    assert visits.value == 7
