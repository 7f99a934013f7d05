"""Backup while writes continue, restore into a fresh database, compare every table (issue 7).

Runs the real command line (`yuanjiang backup` / `restore`) in separate processes against databases
of its own: a SQLite file always, and PostgreSQL too when the suite runs on PostgreSQL.
"""

import json
import sqlite3
import tarfile
import time
from pathlib import Path

import pytest

from tests import ops_support as ops


@pytest.fixture
def databases(tmp_path, db):
    """(source env, target env) with fresh databases of the vendor the suite runs on."""
    with ops.fresh_environments(tmp_path, "bk_src", "bk_dst") as envs:
        yield envs


def _restored_digests(env) -> dict:
    code = (
        "import django, json; django.setup(); from django.db import connection; "
        "from yuanjiang.core.backup import digests; print(json.dumps(digests(connection)))"
    )
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ops.REPO, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_backup_while_writing_restores_every_table_exactly(databases, tmp_path):
    source, target = databases
    ops.helper(source, "setup")
    media = Path(source["YJ_VAR_DIR"]) / "media" / "progress" / "2024"
    media.mkdir(parents=True)
    (media / "photo.jpg").write_bytes(b"\xff\xd8\xff-not-really-a-jpeg")

    work = tmp_path / "writer"
    work.mkdir()
    writer = ops.start_writer(source, work)
    try:
        ops.wait_for(work / "ready")
        archive = tmp_path / "backup.tar.gz"
        done = ops.cli(source, "backup", "-o", str(archive))
        assert "已备份到" in done.stdout
        time.sleep(0.5)  # the writer goes on after the snapshot
    finally:
        (work / "stop").touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out.strip())

    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # password hashes inside
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert "media/progress/2024/photo.jpg" in tar.getnames()
    projects = manifest["tables"]["projects_aidproject"]["rows"]
    assert 10 <= projects < written, (projects, written)  # a snapshot taken while writing

    done = ops.cli(target, "restore", str(archive))
    assert "行数与内容校验一致" in done.stdout
    restored = _restored_digests(target)
    assert restored == manifest["tables"]  # every table: row count and content hash
    assert (Path(target["YJ_VAR_DIR"]) / "media/progress/2024/photo.jpg").read_bytes().startswith(b"\xff\xd8")

    # Consistent: every project in the snapshot has its change-log entry, and no entry lacks its project.
    code = (
        "import django; django.setup(); from yuanjiang.projects.models import AidProject; "
        "from yuanjiang.core.models import ObjectChange; "
        "print(AidProject.objects.count(), "
        "ObjectChange.objects.filter(content_type__model='aidproject', action='create').count())"
    )
    import subprocess
    import sys

    counts = subprocess.run(
        [sys.executable, "-c", code], env=target, cwd=ops.REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert counts == [str(projects), str(projects)]

    # A database holding data is not overwritten without --force.
    refused = ops.cli(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "不是空的" in refused.stderr
    forced = ops.cli(target, "restore", str(archive), "--force")
    assert "行数与内容校验一致" in forced.stdout
    assert _restored_digests(target) == manifest["tables"]


def test_restore_refuses_what_is_not_a_backup(tmp_path, db):
    env = ops.environment(tmp_path / "var")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    done = ops.cli(env, "restore", str(junk), check=False)
    assert done.returncode != 0 and "不是援疆成效台账的备份文件" in done.stderr


def test_sqlite_backup_is_a_self_contained_file(tmp_path, db):
    env = ops.environment(tmp_path / "var")
    ops.cli(env, "migrate")
    archive = tmp_path / "b.tar.gz"
    ops.cli(env, "backup", "-o", str(archive))
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    db_file = sqlite3.connect(tmp_path / "database.sqlite3")
    assert db_file.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db_file.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
