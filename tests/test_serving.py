"""`./yj serve` is the production server; local use over http://127.0.0.1 keeps working (issue 7)."""

import os
import socket
import subprocess
import sys

import pytest

from tests import ops_support as ops
from yuanjiang.core.serving import is_loopback, prepare_environment


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("YJ_HTTPS", "YJ_DEBUG", "YJ_TRUST_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return os.environ


@pytest.mark.parametrize(
    ("args", "proxy", "https", "debug"),
    [
        (["serve"], None, "0", None),  # default 127.0.0.1:8000: this machine only
        (["serve", "127.0.0.1:9000"], None, "0", None),
        (["serve", "[::1]:9000"], None, "0", None),
        (["serve", "localhost:9000", "--workers", "3"], None, "0", None),
        (["serve", "127.0.0.1:8000"], "1", None, None),  # a proxy in front terminates HTTPS
        (["serve", "0.0.0.0:8000"], None, None, None),  # reachable from the network: HTTPS
        (["serve", "10.0.0.5:8000"], None, None, None),
        (["dev"], None, "0", "1"),
        (["demo"], None, "0", None),
    ],
)
def test_plain_http_only_for_local_use(clean_env, monkeypatch, args, proxy, https, debug):
    if proxy:
        monkeypatch.setenv("YJ_TRUST_PROXY", proxy)
    prepare_environment(args)
    assert os.environ.get("YJ_HTTPS") == https
    assert os.environ.get("YJ_DEBUG") == debug


def test_an_explicit_setting_wins(clean_env, monkeypatch):
    monkeypatch.setenv("YJ_HTTPS", "1")
    prepare_environment(["serve", "127.0.0.1:8000"])
    assert os.environ["YJ_HTTPS"] == "1"


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("127.8.0.1") and is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


def test_demo_serves_plain_http_on_127_0_0_1_with_the_production_server(tmp_path):
    """`./yj demo`: rebuilt, served by gunicorn (not runserver) with DEBUG off, and usable over
    http://127.0.0.1: sign in, see figures; a missing page is the Chinese 404, with no URL list."""
    with ops.served_demo(tmp_path) as (port, _process):  # as an operator would run it
        client = ops.Client(port)
        status, _location, _content, _t = client.send("GET", "/login/")
        assert status == 200
        raw = socket.create_connection(("127.0.0.1", port))
        raw.sendall(b"HEAD /login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        head = raw.recv(4096).decode("latin-1")
        raw.close()
        assert "Server: gunicorn" in head and "Strict-Transport-Security" not in head
        assert "Content-Security-Policy" in head
        assert "; secure" not in head.lower()

        status, location, _c, _t = client.send(
            "POST", "/login/", {"username": "nt_lead", "password": "yuanjiang"}
        )
        assert status == 302
        status, location, _c, _t = client.send("GET", location)  # home: the lead's one program
        assert status == 302 and location.startswith("/programs/")
        status, _l, content, _t = client.send("GET", location)
        assert status == 200 and "开工率" in content.decode()
        status, _l, content, _t = client.send("GET", "/no-such-page/")
        page = content.decode()
        assert status == 404 and "未找到" in page
        assert "URLconf" not in page and "Traceback" not in page


def test_sqlite_connections_use_wal_and_wait_for_the_write_lock(tmp_path):
    """Concurrent writers (server threads and processes) queue for SQLite's write lock instead of
    failing with "database is locked"."""
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=ops.environment(tmp_path / "var"),
        cwd=ops.REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    mode, timeout_ms = done.stdout.split()
    assert mode == "wal" and int(timeout_ms) >= 20000
