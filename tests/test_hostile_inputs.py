"""Hostile texts (issue 22): script payloads are shown as text on every page that shows them, and
oversized values in a ledger get a Chinese message, not a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_project, make_transaction
from yuanjiang.interop.reading import ReadError, read_sheets
from yuanjiang.projects.models import AidProject

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
]


def _raw_payload_absent(html: str):
    for payload in XSS:
        if payload.startswith("<") or payload.startswith('"'):
            assert payload not in html, payload


@pytest.fixture
def hostile_project(program):
    p = make_project(program, 1, name=XSS[0], actual_start=dt.date(2023, 6, 1), location_detail=XSS[1])
    make_transaction(p, "disbursement", "1000", dt.date(2023, 7, 1))
    return p


def test_pages_show_payloads_as_text(client, clerk, auditor, program, hostile_project):
    client.force_login(clerk)
    for url, params, shown in [
        (reverse("projects:aidproject_list"), {}, True),
        (hostile_project.get_absolute_url(), {}, True),
        (
            reverse("reports:report", args=["program", program.slug]),
            {"period": "2023-04-01:2024-06-30"},
            False,
        ),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        html = response.content.decode()
        _raw_payload_absent(html)
        assert not shown or "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    client.force_login(auditor)
    html = client.get(reverse("objectchange_list")).content.decode()
    _raw_payload_absent(html)


def test_a_payload_typed_as_a_user_name_is_text_in_the_account_log(client, auditor):
    client.post(reverse("login"), {"username": XSS[1], "password": "x"})
    client.force_login(auditor)
    html = client.get(reverse("accountevent_list")).content.decode()
    _raw_payload_absent(html)
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_payload_in_an_imported_ledger_is_text_in_the_preview(client, clerk, program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(clerk)
    csv = f"项目编号,项目名称,项目类别,计划年度,援疆资金（万元）\nP01,{XSS[0]},教育,2023,100\n".encode()
    response = client.post(
        reverse("interop:import", args=["projects"]),
        {"program": program.pk, "file": SimpleUploadedFile("台账.csv", csv)},
    )
    html = response.content.decode()
    _raw_payload_absent(html)
    assert not AidProject.objects.exists()


def test_an_oversized_cell_is_a_message():
    big = "项目编号,项目名称\nP01," + "长" * 200_000 + "\n"
    with pytest.raises(ReadError, match="单元格内容超过131072个字符"):
        read_sheets(big.encode(), "big.csv")
