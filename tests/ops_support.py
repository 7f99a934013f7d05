"""Helpers for the operations tests (backup while writing, the load test) and bench/bench_load.py:
they run the real command line in separate processes against a database of their own.

`python -m tests.ops_support setup`   migrate, reference data, a program and a clerk (password below)
`python -m tests.ops_support write DIR`  create projects, one transaction each (project + its log
                                          entry), until DIR/stop exists; DIR/ready after 10 rows
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
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


def _pg_url(settings_dict: dict, name: str) -> str:
    s = settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _pg_admin(settings_dict: dict, sql: str):
    import psycopg

    s = settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql)


@contextlib.contextmanager
def fresh_environments(tmp_path: Path, *labels: str):
    """One environment per label, each with a fresh, empty database of the vendor the test suite
    runs on: SQLite files under tmp_path, or new PostgreSQL databases (dropped afterwards)."""
    from django.db import connection

    folders = [tmp_path / label for label in labels]
    if connection.vendor != "postgresql":
        yield [environment(folder) for folder in folders]
        return
    settings_dict = connection.settings_dict
    names = [f"{settings_dict['NAME']}_{label}" for label in labels]
    for name in names:
        _pg_admin(settings_dict, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(settings_dict, f'CREATE DATABASE "{name}"')
    try:
        yield [
            environment(folder, _pg_url(settings_dict, name))
            for folder, name in zip(folders, names, strict=True)
        ]
    finally:
        for name in names:
            _pg_admin(settings_dict, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


# -- the production server and a load on it ----------------------------------------------------------


class Server:
    """`yuanjiang serve` on 127.0.0.1 and a free port, in a process of its own (log in a file)."""

    def __init__(self, env: dict, log: Path, workers: int = 2, threads: int = 8):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "yuanjiang.cli",
                "serve",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("the server did not start:\n" + log.read_text()) from None
                time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            started = time.monotonic()
            self.process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown (nothing is in flight)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.stop_seconds = time.monotonic() - started
        self.log.close()


@contextlib.contextmanager
def served_demo(tmp_path: Path):
    """`./yj demo` as an operator runs it (gunicorn, plain HTTP on 127.0.0.1): yields (port, process)
    once it answers; stopped with SIGINT afterwards. Its output is in tmp_path/demo.log."""
    env = environment(tmp_path / "var")
    del env["YJ_HTTPS"]
    port = free_port()
    log = open(tmp_path / "demo.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "yuanjiang.cli", "demo", "--addrport", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "demo.log").read_text()
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.2)
        yield port, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class Client:
    """One user: its own keep-alive connection and cookies."""

    def __init__(self, port: int):
        import http.client

        self.port = port
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, form: dict | None = None):
        from urllib.parse import urlencode

        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.http.request(method, path, body=body, headers=headers)
        response = self.http.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response.status, response.getheader("Location") or "", content, elapsed

    def login(self, username: str, password: str):
        self.send("GET", "/login/")
        status, _location, _c, _e = self.send("POST", "/login/", {"username": username, "password": password})
        if status != 302:
            raise AssertionError(f"login failed: {status}")


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    created: list = field(default_factory=list)  # codes of the projects the server confirmed (302)
    refused_writes: int = 0
    errors: list = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s: {self.throughput:.1f} requests/s, "
            f"p50 {self.percentile(0.50) * 1000:.0f} ms, p95 {self.percentile(0.95) * 1000:.0f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.0f} ms; {len(self.created)} projects created, "
            f"statuses {dict(sorted(self.statuses.items()))}, {len(self.errors)} connection errors"
        )


def run_load(
    server: Server, program_pk: int, clients: int = 20, seconds: float = 30.0, writes_every: int = 4
):
    """`clients` users at once for `seconds`: every `writes_every`-th request creates a project
    through the web form, the others read the project list, the program overview, a project page."""
    import threading

    result = LoadResult()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int):
        client = Client(server.port)
        try:
            client.login(CLERK, PASSWORD)
        except Exception as error:  # reported, not raised: the other users go on
            with lock:
                result.errors.append(f"user {index} login: {error!r}")
            return
        reads = ["/projects/", f"/programs/{PROGRAM}/"]
        last_project = None
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                if n % writes_every == 0:
                    code = f"L{index:02d}-{n:05d}"
                    form = {
                        "program": program_pk,
                        "code": code,
                        "name": f"负载测试项目{index}-{n}",
                        "category": "education",
                        "nature": "new",
                        "delivery_mode": "cheque",
                        "plan_year": 2024,
                        # as the form posts them: the amounts in the unit its boxes show (万元)
                        "total_investment": "100",
                        "total_investment_unit": "万元",
                        "aid_funds": "100",
                        "aid_funds_unit": "万元",
                        "other_funds": "0",
                        "other_funds_unit": "万元",
                    }
                    status, location, _content, elapsed = client.send("POST", "/projects/new/", form)
                    with lock:
                        if status == 302 and location.rstrip("/").split("/")[-1].isdigit():
                            result.created.append(code)
                            last_project = location
                        elif status < 500:
                            result.refused_writes += 1
                else:
                    path = reads[n % len(reads)] if last_project is None or n % 3 else last_project
                    status, _location, _content, elapsed = client.send("GET", path)
            except Exception as error:
                with lock:
                    result.errors.append(f"user {index}: {error!r}")
                client = Client(server.port)
                client.login(CLERK, PASSWORD)
                continue
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] += 1
        client.http.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - started
    return result


STORED = (
    "import django, json; django.setup(); "
    "from yuanjiang.projects.models import AidProject; from yuanjiang.core.models import ObjectChange; "
    "rows = dict(AidProject.objects.filter(code__startswith='L').values_list('pk', 'code')); "
    "logged = set(ObjectChange.objects.filter(content_type__model='aidproject', action='create', "
    "changeset__source='web', object_id__in=[str(pk) for pk in rows]).values_list('object_id', flat=True)); "
    "print(json.dumps({'codes': sorted(rows.values()), 'logged': len(logged)}))"
)


def stored_projects(env: dict) -> dict:
    """The load's projects as the database holds them, and how many have their change-log entry."""
    import json

    done = subprocess.run(
        [sys.executable, "-c", STORED], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


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

    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject

    program = Program.objects.get(slug=PROGRAM)
    n = 0
    with acting_as(None, source="test-writer"):
        while not (folder / "stop").exists():
            # As scripts are written: no transaction of their own (the kernel writes a row and its
            # log entry in one), a save or a bulk insert.
            fields = {
                "program": program,
                "code": f"W{n:06d}",
                "name": f"并发写入项目{n}",
                "category": "education",
                "plan_year": 2024,
                "aid_funds": Decimal("1000"),
                "total_investment": Decimal("1000"),
            }
            if n % 4 == 3:
                AidProject.objects.bulk_create([AidProject(**fields)])
            else:
                AidProject.objects.create(**fields)
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
