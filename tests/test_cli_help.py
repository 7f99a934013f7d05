"""`./yj --help` lists every yuanjiang command with a Chinese and English line; `./yj claims` alone
lists its sub-commands."""

import os
import re
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


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_help_lists_every_command_in_chinese_and_english():
    """Every command the help lists (not a chosen few) has a Chinese and an English description: the
    part before " · " is Chinese, the part after it English words."""
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    listed = cli.commands()
    lines = {
        x.split()[0]: x for x in result.stdout.splitlines() if x.startswith("  ") and not x.startswith("    ")
    }
    assert set(listed) <= set(lines), set(listed) - set(lines)
    for name in (
        "demo",
        "test",
        "serve",
        "metrics",
        "claims",
        "load_reference",
        "migrate",
        "report",
        "restore",
    ):
        assert name in lines, f"{name} is not listed:\n{result.stdout}"
    for name, line in lines.items():
        description = line.split(None, 1)[1]
        chinese, sep, english = description.partition("·")
        assert sep, f"{name}: no “中文 · English” description: {description}"
        assert _chinese(chinese), f"{name}: the description before ' · ' is not Chinese: {description}"
        assert re.search(r"[A-Za-z]{3,}", english) and not _chinese(english), (
            f"{name}: the description after ' · ' is not English: {description}"
        )


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
