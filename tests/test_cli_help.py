"""`./yj --help` lists every yuanjiang command with a Chinese and English line; `./yj claims` alone
lists its sub-commands."""

import os
import subprocess
import sys
from pathlib import Path

from yuanjiang import cli

ROOT = Path(__file__).resolve().parent.parent


def _run(*args):
    # As a user runs it: a configured, strong key (the settings refuse a weak one outside the tests).
    env = {**os.environ, "YJ_SECRET_KEY": "k" + "".join(chr(97 + i % 26) for i in range(60))}
    return subprocess.run(
        [sys.executable, "-m", "yuanjiang.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )


def test_help_lists_every_command_in_chinese_and_english():
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("demo", "test", "serve", "metrics", "claims", "load_reference", "migrate"):
        line = next((x for x in out.splitlines() if x.strip().startswith(name + " ")), None)
        assert line, f"{name} is not listed:\n{out}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line), line
        assert any(ch.isascii() and ch.isalpha() for ch in line.split(name, 1)[1]), line


def test_help_is_data_driven_from_management_commands(monkeypatch):
    """A command another app adds (serve, backup, ...) is listed from its own help text."""
    monkeypatch.setattr(cli, "_management_commands", lambda: {"backup": "备份数据库 · Back up the database"})
    listed = cli.commands()
    assert listed["backup"][1] == "备份数据库 · Back up the database"
    assert "claims" in listed and "test" in listed


def test_claims_alone_prints_its_sub_commands():
    result = _run("claims")
    assert result.returncode == 2
    assert "extract" in result.stdout and "子命令" in result.stdout
    assert "Unknown command" not in result.stdout + result.stderr
    assert _run("claims", "--help").returncode == 0
