"""Helpers for the operations tests (backup while writing, the load test) and bench/bench_load.py:
they run the real command line in separate processes against a database of their own.

`python -m tests.ops_support setup`   migrate, reference data, a program and a clerk (password below)
`python -m tests.ops_support write DIR`  create projects, one transaction each (project + its log
                                          entry), until DIR/stop exists; DIR/ready after 10 rows
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLERK = "load_clerk"
PASSWORD = "Tianshan-load-2024"
PROGRAM = "nantong-yining-11"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var_dir: Path, database_url: str | None = None, **extra) -> dict:
    """A production-like environment (no test runner in the process): strong key, plain HTTP on
    the loopback address."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YJ_", "DATABASE_URL", "PYTEST"))}
    env.update(
        {
            "YJ_VAR_DIR": str(var_dir),
            "YJ_SECRET_KEY": secrets.token_urlsafe(50),
            "YJ_HTTPS": "0",
            "YJ_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "yuanjiang.config.settings",
            "PYTHONPATH": str(REPO),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def cli(env: dict, *args: str, timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "yuanjiang.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"yuanjiang {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def helper(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "tests.ops_support", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"ops_support {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def start_writer(env: dict, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ops_support", "write", str(folder)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear within {seconds} s")
        time.sleep(0.05)


# -- run inside the separate process -------------------------------------------------------------


def _setup():
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from yuanjiang.accounts.models import Membership, Role, User
    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Organization, Program, Region
    from yuanjiang.org.services import reference_load

    reference_load()
    with acting_as(None, source="test"):
        program = Program.objects.create(
            slug=PROGRAM,
            name="江苏援伊·南通工作组（第十一批）",
            provider=Organization.objects.get(slug="nantong-wg"),
            recipient_region=Region.objects.get(code="654021"),
            batch=11,
            term_start=dt.date(2023, 4, 1),
            term_end=dt.date(2026, 3, 31),
        )
        user = User.objects.create_user(CLERK, password=PASSWORD)
        Membership.objects.create(user=user, role=Role.CLERK, program=program)
    print(program.pk)


def _write(folder: Path):
    import django

    django.setup()
    from decimal import Decimal

    from django.db import transaction

    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject

    program = Program.objects.get(slug=PROGRAM)
    n = 0
    with acting_as(None, source="test-writer"):
        while not (folder / "stop").exists():
            with transaction.atomic():
                AidProject.objects.create(
                    program=program,
                    code=f"W{n:06d}",
                    name=f"并发写入项目{n}",
                    category="education",
                    plan_year=2024,
                    aid_funds=Decimal("1000"),
                    total_investment=Decimal("1000"),
                )
            n += 1
            if n == 10:
                (folder / "ready").touch()
    print(n)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        _setup()
    elif sys.argv[1] == "write":
        _write(Path(sys.argv[2]))
    else:
        raise SystemExit(f"unknown: {sys.argv[1]}")
