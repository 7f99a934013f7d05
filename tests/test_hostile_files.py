"""Hostile ledger files (issue 22): each is refused with a Chinese message that says what is wrong,
before anything parses it — 400 on the web, exit 2 on the command line — and saves nothing."""

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests import hostile
from yuanjiang.core.models import ObjectChange
from yuanjiang.interop import limits, mapping, parse_child, reading
from yuanjiang.interop.importing import preview
from yuanjiang.interop.reading import ReadError
from yuanjiang.projects.models import AidProject

HOSTILE = {
    "sparse A2 + XFD1048576": (hostile.sparse, "16384列，超过200列的上限"),
    "sparse, no <dimension>": (hostile.sparse_without_dimension, "16384列，超过200列的上限"),
    "sparse, lying <dimension>": (hostile.lying_dimension, "16384列，超过200列的上限"),
    "sparse to XFD3000": (lambda: hostile.sparse("XFD3000", None), "16384列，超过200列的上限"),
    "far row, column A": (lambda: hostile.sparse("A900000", None), "900000行，超过100000行的上限"),
    "dense 20000 x 200": (lambda: hostile.sparse("GR20000", None), "共4000000个单元格，超过3000000个的上限"),
    "cells without r=": (hostile.without_references, "201列，超过200列的上限"),
    "namespace prefix": (hostile.prefixed, "16384列，超过200列的上限"),
    "zip bomb": (hostile.zip_bomb, "解压后有300MB，超过100MB的上限"),
    "compression ratio": (lambda: hostile.zip_bomb(60), "压缩比异常"),
    "billion laughs": (hostile.billion_laughs, "含有DTD声明"),
    "XXE": (hostile.xxe, "含有DTD声明"),
}


@pytest.fixture(scope="module")
def million_rows():
    return hostile.many_rows(1_000_000)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_workbook_is_refused_before_parsing(case, monkeypatch):
    build, message = HOSTILE[case]

    def no_parse(*args):  # the limits refuse the file: the parser never sees it
        raise AssertionError("parsed")

    monkeypatch.setattr(parse_child, "run", no_parse)
    with pytest.raises(ReadError, match=message):
        reading.read_sheets(build(), "f.xlsx")


def test_a_million_rows_are_refused(million_rows):
    with pytest.raises(ReadError, match="超过100000行的上限"):
        reading.read_sheets(million_rows, "rows.xlsx")


def test_text_named_xlsx_and_broken_zips():
    with pytest.raises(ReadError, match="内容不是Excel表格"):
        reading.read_sheets("项目编号,项目名称\n".encode(), "ledger.xlsx")
    data = hostile.sparse()
    with pytest.raises(ReadError, match="不是有效的Excel文件"):
        reading.read_sheets(data[: len(data) - 30], "cut.xlsx")
    # A member whose data inflates past its declared size (a lying zip directory): zipfile stops at
    # the declared size and the CRC check fails.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * 2_000_000)
    raw = bytearray(buf.getvalue())
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # uncompressed size: 1000
    with pytest.raises(ReadError, match="不是有效的Excel文件"):
        reading.read_sheets(bytes(raw), "lying.xlsx")


def test_limits_are_settings(settings):
    data = hostile.sparse("C50", None)
    reading.read_sheets(data, "small.xlsx")  # 50 x 3: within the defaults
    settings.IMPORT_MAX_ROWS = 40
    with pytest.raises(ReadError, match="50行，超过40行的上限"):
        reading.read_sheets(data, "small.xlsx")
    settings.IMPORT_MAX_ROWS = 100_000
    settings.IMPORT_MAX_CELLS = 100
    with pytest.raises(ReadError, match="50行×3列，共150个单元格，超过100个的上限"):
        reading.read_sheets(data, "small.xlsx")


def test_csv_limits_are_checked_while_reading():
    with pytest.raises(ReadError, match="文件有1000001列，超过200列的上限"):
        reading.read_sheets(b"," * 1_000_000, "commas.csv")
    with pytest.raises(ReadError, match="超过100000行的上限"):
        reading.read_sheets(b"1\n" * 1_000_000, "rows.csv")


def test_parse_runs_under_a_memory_ceiling():
    """Whatever gets past the checks, the parse cannot take the worker with it: the sparse workbook,
    with every limit lifted but the memory ceiling, ends the child process, not this one."""
    lifted = limits.Limits(
        max_bytes=reading.MAX_BYTES,
        max_rows=10**9,
        max_columns=10**9,
        max_cells=10**15,
        max_uncompressed=100 * 1024 * 1024,
        max_ratio=200,
        memory=300 * 1024 * 1024,
        timeout=60,
    )
    with pytest.raises(parse_child.ParseFailed, match="内存超过300MB的上限"):
        parse_child.run(hostile.sparse(), lifted)
    outcome, sheets = parse_child.run(hostile.sparse("C3", None), lifted)
    assert outcome == "ok" and sheets[0][1][1][0] == "项目编号"


def test_sparse_workbook_import_uses_little_memory(tmp_path):
    """The issue's command, in a process of its own: a message and exit 2, at most 300 MB."""
    path = tmp_path / "f.xlsx"
    path.write_bytes(hostile.sparse())
    code = (
        "from yuanjiang.interop import reading\n"
        "try:\n"
        f"    reading.read_sheets(open({str(path)!r}, 'rb').read(), 'f.xlsx')\n"
        "except reading.ReadError as exc:\n"
        "    print(exc)\n"
        # VmHWM, not ru_maxrss: ru_maxrss keeps the forking parent's size across exec.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "yuanjiang.config.settings",
        "YJ_SECRET_KEY": "hostile-files-test-secret-key-0123456789-abcdefghijklmnop",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=120,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "超过200列的上限" in lines[0]
    assert int(lines[-1]) < 300 * 1024  # kilobytes


def test_import_command_exits_2(program, clerk, tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(hostile.sparse())
    with pytest.raises(CommandError, match="超过200列的上限") as exc:
        call_command("import", "projects", str(path), "--program", program.slug, "--dry-run")
    assert exc.value.returncode == 2
    path.write_bytes(hostile.zip_bomb())
    with pytest.raises(CommandError, match="超过100MB的上限") as exc:
        call_command("import", "projects", str(path), "--program", program.slug)
    assert exc.value.returncode == 2
    assert not AidProject.objects.exists()


@pytest.mark.parametrize("case", ["sparse A2 + XFD1048576", "zip bomb", "billion laughs"])
def test_web_import_answers_400(case, client, clerk, program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build, message = HOSTILE[case]
    client.force_login(clerk)
    response = client.post(
        reverse("interop:import", args=["projects"]),
        {"program": program.pk, "file": SimpleUploadedFile("台账.xlsx", build())},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AidProject.objects.exists()
    assert not ObjectChange.objects.filter(changeset__source__startswith="导入").exists()


def test_preview_of_hostile_file_raises_read_error(program, clerk):
    with pytest.raises(ReadError):
        preview(mapping.get("projects"), program, hostile.sparse(), "f.xlsx", clerk)


def _descendants(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        path = f"/proc/{pid}/task/{task}/children"
        if os.path.exists(path):
            children += [int(c) for c in open(path).read().split()]
    return children + [d for c in children for d in _descendants(c)]


def _peak_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads worker memory from /proc")
def test_the_served_site_refuses_the_sparse_workbook_and_keeps_answering(tmp_path):
    """`./yj demo` (gunicorn, as deployed): a clerk posts the 1.5 KB sparse workbook while another
    user keeps reading pages. The post gets the Chinese message (400), every other request is
    answered, and no process of the server grows past 300 MB."""
    import re
    import threading
    import time
    import uuid

    from tests import ops_support as ops

    with ops.served_demo(tmp_path) as (port, server):
        reader = ops.Client(port)
        reader.send("GET", "/")  # a reader, anonymous: each request answered by any worker thread
        answered, stop = [], threading.Event()

        def read():
            while not stop.is_set():
                answered.append(reader.send("GET", "/login/")[0])  # a full page each time

        thread = threading.Thread(target=read)
        thread.start()
        clerk = ops.Client(port)
        clerk.login("nt_clerk", "yuanjiang")
        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": clerk.cookies["csrftoken"], "program": ""}
        page = clerk.send("GET", "/ledgers/import/projects/")[2].decode()
        choice = re.search(r'<option value="(\d+)"[^>]*>[^<]*南通', page)
        fields["program"] = choice.group(1) if choice else ""
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.xlsx"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            + hostile.sparse()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in clerk.cookies.items()),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        clerk.http.request("POST", "/ledgers/import/projects/", body=body, headers=headers)
        response = clerk.http.getresponse()
        content = response.read().decode()
        time.sleep(1)
        stop.set()
        thread.join(timeout=60)
        assert response.status == 400 and "16384列，超过200列的上限" in content
        assert answered and set(answered) == {200}
        assert server.poll() is None
        peaks = {pid: _peak_mb(pid) for pid in [server.pid, *_descendants(server.pid)]}
        assert max(peaks.values()) < 300, peaks
