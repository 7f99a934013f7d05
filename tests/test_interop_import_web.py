"""The import pages and the `import` command: upload → preview → confirm, scoping, the kept file,
the CLI's exit codes and its all-or-nothing commit."""

import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.test_interop_import import MESSY_MERGES, messy_rows, xlsx
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import uploads
from yuanjiang.projects.models import AidProject


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, program, data, name="台账.xlsx"):
    return client.post(
        reverse("interop:import", args=["projects"]),
        {"program": program.pk, "file": SimpleUploadedFile(name, data)},
    )


def test_upload_preview_confirm(client, clerk, program, tmp_path):
    client.force_login(clerk)
    page = client.get(reverse("interop:import", args=["projects"]))
    assert page.status_code == 200 and "导入项目台账" in page.content.decode()
    response = _upload(client, program, xlsx(messy_rows(), MESSY_MERGES))
    html = response.content.decode()
    assert response.status_code == 200
    assert "新增3条，更新0条，不变0条" in html and "确认导入" in html
    assert not AidProject.objects.exists()  # nothing saved by the preview
    token = response.context["token"]
    kept = list((tmp_path / "private" / "imports" / str(clerk.pk)).glob("*.upload"))
    assert len(kept) == 1 and token in kept[0].name
    response = client.post(reverse("interop:import_confirm", args=["projects"]), {"token": token})
    assert response.status_code == 302
    assert AidProject.objects.filter(program=program).count() == 3
    assert not list((tmp_path / "private" / "imports" / str(clerk.pk)).glob("*"))  # removed once committed
    assert (
        ObjectChange.objects.filter(changeset__source__startswith="导入:", changeset__actor=clerk).count()
        == 3
    )
    # The same token again: gone.
    response = client.post(
        reverse("interop:import_confirm", args=["projects"]), {"token": token}, follow=True
    )
    assert "已过期或不存在" in response.content.decode()


def test_preview_with_errors_highlights_cells_and_offers_no_confirmation(client, clerk, program):
    client.force_login(clerk)
    response = _upload(client, program, xlsx(messy_rows(bad=True), MESSY_MERGES))
    html = response.content.decode()
    assert "文件中有3处错误" in html
    assert "第6行「开工时间」：2023年13月 不是有效日期" in html
    assert html.count('class="cell-error"') == 3
    assert "确认导入" not in html and response.context["token"] == ""


def test_bad_file_is_a_message_not_a_500(client, clerk, program):
    client.force_login(clerk)
    response = _upload(client, program, b"\x89PNG\r\n\x1a\n\x00\x00", "x.xlsx")
    assert response.status_code == 400
    assert "不是Excel或CSV表格文件" in response.content.decode()


def test_another_users_token_and_another_program(client, clerk, other_clerk, program, other_program):
    client.force_login(clerk)
    token = _upload(client, program, xlsx(messy_rows(), MESSY_MERGES)).context["token"]
    client.force_login(other_clerk)
    response = client.post(
        reverse("interop:import_confirm", args=["projects"]), {"token": token}, follow=True
    )
    assert "已过期或不存在" in response.content.decode()
    # A program the clerk may not change is not offered, and posting it is refused.
    response = _upload(client, program, xlsx(messy_rows(), MESSY_MERGES))
    assert response.status_code == 400 and "请选择要导入到的援疆项目组" in response.content.decode()
    assert not AidProject.objects.exists()


def test_kept_upload_expires_and_is_hash_checked(client, clerk, program, monkeypatch):
    client.force_login(clerk)
    token = _upload(client, program, xlsx(messy_rows(), MESSY_MERGES)).context["token"]
    blob, _note = uploads._paths(clerk.pk, token)
    blob.write_bytes(blob.read_bytes() + b"x")
    with pytest.raises(uploads.UploadGone, match="发生了变化"):
        uploads.load(clerk, token)
    token = _upload(client, program, xlsx(messy_rows(), MESSY_MERGES)).context["token"]
    real = time.time
    monkeypatch.setattr(uploads.time, "time", lambda: real() + uploads.EXPIRY_SECONDS + 10)
    with pytest.raises(uploads.UploadGone, match="已过期"):
        uploads.load(clerk, token)


def test_import_pages_are_linked(client, clerk, program):
    client.force_login(clerk)
    html = client.get(reverse("projects:aidproject_list")).content.decode()
    assert reverse("interop:import", args=["projects"]) in html
    html = client.get(reverse("interop:index")).content.decode()
    assert "培训台账" in html


def _file(tmp_path, rows, merges=(), name="ledger.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows, merges))
    return str(path)


def test_cli_dry_run_then_commit(tmp_path, program):
    path = _file(tmp_path, messy_rows(), MESSY_MERGES)
    out = io.StringIO()
    call_command("import", "projects", path, "--program", program.slug, "--dry-run", stdout=out)
    assert "新增3条" in out.getvalue() and not AidProject.objects.exists()
    out = io.StringIO()
    call_command("import", "projects", path, "--program", program.slug, stdout=out)
    assert "已导入：新增3条" in out.getvalue()
    assert AidProject.objects.get(code="YN-02").aid_funds == Decimal("12000000.00")
    out = io.StringIO()
    call_command("import", "projects", path, "--program", program.slug, stdout=out)
    assert "新增0条，更新0条，不变3条" in out.getvalue()


def test_cli_errors_exit_non_zero_and_save_nothing(tmp_path, program):
    path = _file(tmp_path, messy_rows(bad=True), MESSY_MERGES)
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "projects", path, "--program", program.slug, stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "第6行「开工时间」：2023年13月 不是有效日期" in err.getvalue()
    assert not AidProject.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["nonsense", "x.xlsx", "--program", "nantong-yining-11"], "没有名为“nonsense”的台账"),
        (["projects", "missing.xlsx", "--program", "nantong-yining-11"], "找不到文件"),
        (["projects", "missing.xlsx", "--program", "nope"], "没有标识为“nope”"),
        (["projects", "missing.xlsx"], "--program"),
    ],
)
def test_cli_bad_requests(program, args, message):
    with pytest.raises(CommandError, match=message) as exc:
        call_command("import", *args, stdout=io.StringIO())
    assert exc.value.returncode == 2


def test_an_oversized_upload_is_refused_with_a_message(client, clerk, program):
    client.force_login(clerk)
    big = b"a,b\n" * (21 * 1024 * 1024 // 4)
    response = _upload(client, program, big, "big.csv")
    assert response.status_code == 400
    assert "超过20MB的上限" in response.content.decode()
    assert not AidProject.objects.exists()
