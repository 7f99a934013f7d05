"""Backup and restore: the database and the uploaded files in one archive (`.tar.gz`).

* SQLite: SQLite's online backup API copies the database file in one step, a consistent snapshot
  even while the server writes (WAL mode: writers are not blocked).
* PostgreSQL: every table exported as text in one REPEATABLE READ, READ ONLY transaction (one
  snapshot of the whole database; no pg_dump needed, so no client/server version mismatch).

The archive holds `manifest.json` (vendor, time, applied migrations, each table's row count and
content hash), the database (`database.sqlite3` or `tables/<table>.jsonl`) and `media/` (uploaded
files, copied right after the database snapshot). It contains password hashes and sessions: it is
written owner-only (0600); keep it like the database itself.

Restore goes into an empty (fresh or freshly migrated) database of the same vendor and refuses a
database holding data unless forced; afterwards every table's row count and hash are checked
against the manifest.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction

from yuanjiang.core import guard

FORMAT = "yuanjiang-backup"
VERSION = 1
# Tables that a freshly migrated database already fills: they do not make a database "non-empty".
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """Refused or failed, with a message for the operator (Chinese)."""


@dataclass
class Manifest:
    vendor: str
    created: str
    migrations: list[list[str]]
    tables: dict[str, dict] = field(default_factory=dict)
    media_files: int = 0
    format: str = FORMAT
    version: int = VERSION

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True)


# -- hashing -------------------------------------------------------------------------------------


def _digest(rows) -> dict:
    h = hashlib.sha256()
    n = 0
    for row in rows:
        h.update(json.dumps(list(row), ensure_ascii=False, default=str).encode())
        h.update(b"\n")
        n += 1
    return {"rows": n, "sha256": h.hexdigest()}


def sqlite_digests(db: sqlite3.Connection) -> dict[str, dict]:
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: _digest(db.execute(f'SELECT * FROM "{name}" ORDER BY rowid')) for name in names}


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [r[0] for r in cursor.fetchall()]


def _pg_columns(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        [table],
    )
    return cursor.fetchall()


def _pg_rows(cursor, table: str, columns: list[str]):
    select = ", ".join(f'"{c}"::text' for c in columns)
    order = ", ".join(str(i) for i in range(1, len(columns) + 1))
    cursor.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}')
    while batch := cursor.fetchmany(2000):
        yield from batch


def pg_digests(connection) -> dict[str, dict]:
    with connection.cursor() as cursor:
        out = {}
        for table in _pg_tables(cursor):
            columns = [c for c, _t in _pg_columns(cursor, table)]
            out[table] = _digest(_pg_rows(cursor, table, columns))
        return out


def digests(connection) -> dict[str, dict]:
    """Every table's row count and content hash, as the manifest records them."""
    if connection.vendor == "sqlite":
        with _raw_sqlite(connection) as db:
            return sqlite_digests(db)
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            return pg_digests(connection)
    raise BackupError(f"不支持的数据库类型：{connection.vendor}。")


# -- helpers -------------------------------------------------------------------------------------


def _sqlite_path(connection) -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("内存数据库无法备份或恢复。")
    return Path(name)


class _raw_sqlite:
    def __init__(self, connection):
        self.path = _sqlite_path(connection)

    def __enter__(self) -> sqlite3.Connection:
        self.db = sqlite3.connect(self.path, timeout=30)
        return self.db

    def __exit__(self, *exc):
        self.db.close()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[Path]:
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _applied_migrations(connection) -> list[list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(r) for r in cursor.fetchall()]


def holds_data(connection) -> bool:
    """True when any table other than the bookkeeping ones that `migrate` fills has a row."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone():
                return True
    return False


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# -- backup --------------------------------------------------------------------------------------


def backup(output: Path, using: str = "default") -> Manifest:
    connection = connections[using]
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    partial = output.with_name(output.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            if connection.vendor == "sqlite":
                manifest = _backup_sqlite(connection, tar, created)
            elif connection.vendor == "postgresql":
                manifest = _backup_postgres(connection, tar, created)
            else:
                raise BackupError(f"不支持的数据库类型：{connection.vendor}。")
            files = _media_files()
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(_media_root()).as_posix()}", recursive=False)
            manifest.media_files = len(files)
            _add_bytes(tar, "manifest.json", manifest.to_json().encode())
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _backup_sqlite(connection, tar, created) -> Manifest:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "database.sqlite3"
        with _raw_sqlite(connection) as source:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # all pages in one step: one consistent snapshot
                # A self-contained file (no -wal beside it).
                target.execute("PRAGMA journal_mode=DELETE")
                tables = sqlite_digests(target)
                migrations = [
                    list(r)
                    for r in target.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                ]
            finally:
                target.close()
        tar.add(copy, arcname="database.sqlite3")
    return Manifest(vendor="sqlite", created=created, migrations=migrations, tables=tables)


def _backup_postgres(connection, tar, created) -> Manifest:
    tables = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        migrations = _applied_migrations(connection)
        for table in _pg_tables(cursor):
            columns = [c for c, _t in _pg_columns(cursor, table)]
            with tempfile.TemporaryFile() as buffer:
                buffer.write(json.dumps(columns).encode() + b"\n")
                h = hashlib.sha256()
                n = 0
                for row in _pg_rows(cursor, table, columns):
                    line = json.dumps(list(row), ensure_ascii=False, default=str).encode()
                    buffer.write(line + b"\n")
                    h.update(line + b"\n")
                    n += 1
                tables[table] = {"rows": n, "sha256": h.hexdigest()}
                info = tarfile.TarInfo(f"tables/{table}.jsonl")
                info.size = buffer.tell()
                info.mode = 0o600
                buffer.seek(0)
                tar.addfile(info, buffer)
    return Manifest(vendor="postgresql", created=created, migrations=migrations, tables=tables)


# -- restore -------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            data = json.loads(tar.extractfile("manifest.json").read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"“{archive}”不是援疆成效台账的备份文件：{error}") from error
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise BackupError(f"“{archive}”不是本程序能读取的备份格式。")
    return Manifest(**data)


def restore(archive: Path, *, force: bool = False, using: str = "default") -> Manifest:
    archive = Path(archive)
    manifest = read_manifest(archive)
    connection = connections[using]
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.vendor} 数据库，当前数据库是 {connection.vendor}：只能恢复到同类数据库。"
        )
    if not force:
        if holds_data(connection):
            raise BackupError(
                "当前数据库不是空的：恢复会覆盖其中全部数据。请恢复到新数据库，或确认后加 --force。"
            )
        if _media_files():
            raise BackupError(f"上传文件目录 {_media_root()} 不是空的：请换用新目录，或确认后加 --force。")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")  # no absolute paths, no "..", no links out
        if manifest.vendor == "sqlite":
            _restore_sqlite(connection, tmp / "database.sqlite3", manifest)
        else:
            _restore_postgres(connection, tmp / "tables", manifest)
        media = tmp / "media"
        if media.is_dir():
            shutil.copytree(media, _media_root(), dirs_exist_ok=True)
    return manifest


def _check(found: dict, manifest: Manifest):
    differ = sorted(t for t in set(found) | set(manifest.tables) if found.get(t) != manifest.tables.get(t))
    if differ:
        raise BackupError("恢复后的数据与备份记录不一致：" + "、".join(differ))


def _restore_sqlite(connection, copy: Path, manifest: Manifest):
    source = sqlite3.connect(copy)
    try:
        _check(sqlite_digests(source), manifest)  # the archive is intact
        target_path = _sqlite_path(connection)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        connections.close_all()
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)  # replaces the whole content, in one step
            target.execute("PRAGMA journal_mode=WAL")
            _check(sqlite_digests(target), manifest)
        finally:
            target.close()
    finally:
        source.close()
    call_command("migrate", verbosity=0, interactive=False)  # a backup of an older version: upgrade it


def _restore_postgres(connection, folder: Path, manifest: Manifest):
    call_command("migrate", verbosity=0, interactive=False, database=connection.alias)
    applied = _applied_migrations(connection)
    if sorted(map(tuple, applied)) != sorted(map(tuple, manifest.migrations)):
        raise BackupError(
            "备份的数据库结构（迁移）与当前程序版本不同：请用与备份相同版本的程序恢复，再升级（./yj migrate）。"
        )
    with guard.purging(connection), connection.cursor() as cursor:
        tables = list(manifest.tables)
        present = set(_pg_tables(cursor))
        missing = [t for t in tables if t not in present]
        if missing:
            raise BackupError("当前数据库缺少备份中的数据表：" + "、".join(missing))
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        for table in tables:
            types = dict(_pg_columns(cursor, table))
            with open(folder / f"{table}.jsonl", encoding="utf-8") as f:
                columns = json.loads(f.readline())
                sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
                    table,
                    ", ".join(f'"{c}"' for c in columns),
                    ", ".join(f"CAST(%s AS {types[c]})" for c in columns),
                )
                batch = []
                for line in f:
                    batch.append(json.loads(line))
                    if len(batch) >= 1000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        _reset_sequences(connection, cursor)
        _check(pg_digests(connection), manifest)


def _reset_sequences(connection, cursor):
    from django.apps import apps
    from django.core.management.color import no_style

    models = list(apps.get_models(include_auto_created=True))
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(sql)
