"""The claims check page: paste or upload, marked text, kept checks, bad input, scoping."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.cases.health import make_activity
from tests.factories import make_project
from yuanjiang.claims.models import ClaimCheck

pytestmark = pytest.mark.django_db

TEXT = "南通工作组15个援疆项目全部开工。巡回义诊受益群众30余人次。新建温室大棚56座。"


@pytest.fixture
def records(program):
    for n in range(1, 16):
        make_project(program, n, actual_start=dt.date(2023, 6, 1))
    make_activity(program, 1, beneficiaries=20)
    make_activity(program, 2, beneficiaries=15)
    return program


def post(client, program, **data):
    payload = {"program": program.pk, "text": "", "period": "2023-04-01:2024-06-30", **data}
    return client.post(reverse("claims:claimcheck_list"), payload)


def test_pasted_text_is_checked_kept_and_marked(client, clerk, records):
    client.force_login(clerk)
    response = post(client, records, text=TEXT, title="测试稿")
    assert response.status_code == 302
    check = ClaimCheck.objects.get()
    assert check.program == records and check.created_by == clerk
    assert [it["verdict"] for it in check.results] == ["相符", "相符", "无对应记录"]
    assert check.summary["相符"] == 2
    page = client.get(response["Location"]).content.decode()
    assert 'class="claim v-match"' in page and 'class="claim v-none"' in page
    assert "/metrics/health.free_clinic_beneficiaries/?program=nantong-yining-11" in page
    assert "测试稿" in client.get(reverse("claims:claimcheck_list")).content.decode()


def test_recheck_follows_the_records(client, clerk, records):
    client.force_login(clerk)
    post(client, records, text=TEXT)
    check = ClaimCheck.objects.get()
    make_activity(records, 3, beneficiaries=100)
    response = client.post(check.get_absolute_url(), {"period": "2023-04-01:2024-06-30"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.results[1]["verdict"] == "少报"


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for para in text.split("。"):
        if para:
            document.add_paragraph(para + "。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_docx_and_txt_uploads(client, clerk, records):
    client.force_login(clerk)
    assert post(client, records, file=upload("稿件.docx", docx_bytes(TEXT))).status_code == 302
    assert post(client, records, file=upload("稿件.txt", TEXT.encode())).status_code == 302
    first, second = ClaimCheck.objects.order_by("pk")
    assert first.source_name == "稿件.docx" and "15个援疆项目" in first.text
    assert [it["verdict"] for it in first.results] == [it["verdict"] for it in second.results]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "文本为空"),
        ({"text": "没有任何数字。"}, "没有数字"),
        ({"text": "受益群众2500余人次。" * 20000}, "过长"),
        ({"file": ("a.docx", b"PK not really a zip")}, "不是 zip 格式"),
        ({"file": ("a.txt", "受益群众2500余人次".encode("gbk"))}, "不是 UTF-8"),
        ({"file": ("a.txt", b"")}, ""),
        ({"file": ("a.doc", b"\xd0\xcf\x11\xe0")}, ".doc"),
        (
            {"text": TEXT, "period": "2024-13-01:2024-01-01"},
            'class="errorlist"',
        ),  # the period parser's message
        ({"text": TEXT, "text_date": "0000-00-00"}, "请输入有效日期"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(client, clerk, records, data, message):
    client.force_login(clerk)
    if "file" in data:
        name, content = data.pop("file")
        data["file"] = upload(name, content)
    response = post(client, records, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ClaimCheck.objects.count() == 0


def test_docx_with_no_body_is_refused(client, clerk, records):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "x")
    client.force_login(clerk)
    response = post(client, records, file=upload("a.docx", out.getvalue()))
    assert response.status_code == 400 and "不是有效的 .docx" in response.content.decode()
    assert ClaimCheck.objects.count() == 0


def test_another_programs_check_and_program_are_out_of_reach(
    client, clerk, other_clerk, records, other_program
):
    client.force_login(other_clerk)
    response = post(client, records, text=TEXT)  # 南京's clerk posts 南通's program id
    assert response.status_code == 400 and ClaimCheck.objects.count() == 0
    client.force_login(clerk)
    post(client, records, text=TEXT)
    check = ClaimCheck.objects.get()
    client.force_login(other_clerk)
    assert client.get(check.get_absolute_url()).status_code == 404
    assert client.post(check.get_absolute_url(), {}).status_code == 404
    assert (
        "数字核对 "
        not in client.get(reverse("claims:claimcheck_list")).content.decode().split("已保存的核对")[1]
    )


def test_list_and_detail_queries_do_not_grow(client, clerk, records, django_assert_max_num_queries):
    client.force_login(clerk)
    post(client, records, text=TEXT)
    check = ClaimCheck.objects.get()
    with django_assert_max_num_queries(12):
        client.get(check.get_absolute_url())
    for _ in range(5):
        post(client, records, text=TEXT)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("claims:claimcheck_list")).status_code == 200


def test_a_single_claims_period_can_be_changed(client, clerk, records):
    client.force_login(clerk)
    post(client, records, text=TEXT)
    check = ClaimCheck.objects.get()
    claim = check.results[1]
    assert claim["fragment"] == "30余人次" and claim["verdict"] == "相符"
    key = f"p_{claim['start']}"
    assert f'name="{key}"' in client.get(check.get_absolute_url()).content.decode()
    response = client.post(check.get_absolute_url(), {key: "2023-12-01:2023-12-31"})
    assert response.status_code == 302
    check.refresh_from_db()
    changed = check.results[1]
    assert changed["period"]["start"] == "2023-12-01" and changed["period"]["cue"] == "用户指定"
    # nothing recorded in that month: said so, not called an overstatement (issue 24)
    assert changed["verdict"] == "无对应记录" and changed["record_value"] == 0
    assert "记录值为0" in changed["note"]
    assert check.results[0]["verdict"] == "相符"  # the other claims keep their period
    client.post(check.get_absolute_url(), {key: "2024-13-01:2024-01-01"})  # refused, nothing changed
    check.refresh_from_db()
    assert check.period_overrides == {str(claim["start"]): "2023-12-01:2023-12-31"}
    client.post(check.get_absolute_url(), {key: ""})  # cleared: back to the text's cue
    check.refresh_from_db()
    assert check.period_overrides == {} and check.results[1]["verdict"] == "相符"


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_extreme_text_dates_do_not_break_the_check(client, clerk, records, date):
    client.force_login(clerk)
    text = "前年12月以来，义诊受益群众30余人次。今年，15个援疆项目全部开工。去年8月捐赠资金118万元。"
    response = post(client, records, text=text, text_date=date, period="")
    # A date far from the program's term is refused with the rule's message, nothing stored, no 500.
    assert response.status_code == 400
    assert "不在合理范围内" in response.content.decode()
    assert not ClaimCheck.objects.exists()


def test_an_oversized_upload_is_refused(client, clerk, records):
    client.force_login(clerk)
    response = post(client, records, file=upload("big.txt", b"1" * (4 * 1024 * 1024 + 1)))
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert ClaimCheck.objects.count() == 0


def test_an_organization_roll_up_check_in_the_web(client, supervisor, clerk, records):
    from yuanjiang.org.models import Organization

    front = Organization.objects.get(slug="jiangsu-yili-front")
    client.force_login(supervisor)
    assert reverse("claims:claimcheck_org") in client.get(reverse("claims:claimcheck_list")).content.decode()
    response = client.post(
        reverse("claims:claimcheck_org"),
        {"organization": front.pk, "text": TEXT, "period": "2023-04-01:2024-06-30", "title": "通报"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="claim v-match"' in page and "江苏援伊前方指挥部" in page
    assert not ClaimCheck.objects.exists()  # a roll-up check is shown, not kept
    # a program's clerk reads no organization as a whole
    client.force_login(clerk)
    assert (
        reverse("claims:claimcheck_org") not in client.get(reverse("claims:claimcheck_list")).content.decode()
    )
    response = client.post(reverse("claims:claimcheck_org"), {"organization": front.pk, "text": TEXT})
    assert response.status_code == 400 and "请选择您可汇总查看的组织机构" in response.content.decode()


def test_the_texts_own_period_is_offered(client, clerk, records):
    client.force_login(clerk)
    text = "南通工作组2024年上半年工作总结\n\n上半年，15个援疆项目全部开工。"
    post(client, records, text=text)
    check = ClaimCheck.objects.get()
    page = client.get(check.get_absolute_url()).content.decode()
    assert "文中所述时间段为“2024年上半年”" in page and 'name="use_period"' in page
    response = client.post(check.get_absolute_url(), {"use_period": "2024-01-01:2024-06-30", "period": ""})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.period_start, check.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
