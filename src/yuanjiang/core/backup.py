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

Restore checks before it touches: the whole archive is read first (a truncated or corrupt file is
refused), every member must stay inside the archive's root (no absolute paths, no "..", no links or
devices) and be one of manifest.json, database.sqlite3, tables/<table>.jsonl, media/…; the manifest
is validated, every table (the SQLite file, or each table file) is checked against its row count and
hash, and the backup's migrations against the program's, all before the database is opened for
writing. The write itself is all or nothing: PostgreSQL in one transaction (a failure leaves the
database as `migrate` made it, which counts as empty, so a retry is accepted), SQLite through the
online backup API with the previous content put back if the check afterwards fails. Every failure
is a BackupError with a Chinese message (the commands exit 2).
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction

from yuanjiang.accounts import guard as account_guard
from yuanjiang.core import guard

FORMAT = "yuanjiang-backup"
VERSION = 1
# Tables that a freshly migrated database already fills: they do not make a database "non-empty".
# Besides Django's bookkeeping, the reference lists that data migrations load (industry clusters,
# talent fields): shared records whose every later change is in the change log, which is then not
# empty. tests/test_restore_errors.py checks that a freshly migrated database holds nothing else.
BOOKKEEPING_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "investment_industrycluster",
    "talent_talentfield",
    "metrics_datastate",  # the token of the data's state (metrics/cache.py), one row from the start
}


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
            if table in BOOKKEEPING_TABLES or table.startswith("sqlite_"):  # sqlite_stat1: ANALYZE's
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
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    partial = output.with_name(output.name + ".partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise BackupError(f"无法写入备份文件“{output}”：{_os_reason(error)}。请换一个可写的位置。") from error
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
    except OSError as error:
        raise BackupError(f"写入备份文件“{output}”失败：{_os_reason(error)}。") from error
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _os_reason(error: OSError) -> str:
    import errno

    reasons = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "不允许写入",
        errno.ENOENT: "目录不存在",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "文件系统只读",
        errno.ENOTDIR: "路径中有一部分不是目录",
        errno.EISDIR: "这是一个目录",
    }
    return reasons.get(error.errno, f"系统错误 {error.errno}") if error.errno else "系统错误"


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

_CORRUPT = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError)


def _corrupt(archive: Path) -> BackupError:
    return BackupError(
        f"备份文件“{archive}”已损坏或不完整（无法完整读取），未恢复任何数据。请换用完好的备份。"
    )


def _safe_member(member: tarfile.TarInfo) -> str | None:
    """Why the member may not be extracted, or None."""
    name = member.name
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
        return "指向备份目录之外"
    if not (member.isfile() or member.isdir()):
        return "不是普通文件（链接或设备文件）"
    if member.isdir():
        return None
    if name in ("manifest.json", "database.sqlite3"):
        return None
    if len(parts) == 2 and parts[0] == "tables" and parts[1].endswith(".jsonl"):
        return None
    if parts[0] == "media" and len(parts) > 1 and all(parts):
        return None
    return "不是备份文件应有的内容"


def _unpack(archive: Path, folder: Path) -> None:
    """Reads the whole archive (refusing a truncated or corrupt one) and checks every member before
    extracting any."""
    # The compressed stream first, to its end: its length and CRC catch a cut or a flipped bit that
    # tarfile alone would take for the end of the archive (a damaged header ends its member list).
    if _damaged_gzip(archive):
        raise _corrupt(archive)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                reason = _safe_member(member)
                if reason:
                    raise BackupError(
                        f"备份文件“{archive}”中的“{member.name}”{reason}，已拒绝恢复，未修改任何数据。"
                    )
            tar.extractall(folder, members=members, filter="data")
    except BackupError:
        raise
    except tarfile.ReadError as error:
        if _damaged_gzip(archive):
            raise _corrupt(archive) from error
        raise BackupError(f"“{archive}”不是援疆成效台账的备份文件（不是 .tar.gz 归档）。") from error
    except (*_CORRUPT, OSError) as error:
        if isinstance(error, OSError) and not isinstance(error, gzip.BadGzipFile) and error.errno:
            raise BackupError(f"无法读取备份文件“{archive}”：{_os_reason(error)}。") from error
        raise _corrupt(archive) from error


def _damaged_gzip(archive: Path) -> bool:
    """A gzip file that is cut or damaged (a complete one that holds no tar, or no gzip at all: not a
    backup)."""
    with open(archive, "rb") as f:
        if f.read(2) != b"\x1f\x8b":
            return False
    try:
        with gzip.open(archive, "rb") as f:
            while f.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error):
        return True  # a gzip file, cut or damaged
    return False


def _load_manifest(path: Path, archive: Path) -> Manifest:
    if not path.is_file():
        raise BackupError(f"“{archive}”不是援疆成效台账的备份文件：缺少清单 manifest.json。")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"备份文件“{archive}”的清单 manifest.json 已损坏（不是有效的 JSON）。") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"“{archive}”不是援疆成效台账的备份文件。")
    if data.get("version") != VERSION:
        raise BackupError(
            f"“{archive}”的备份格式版本为 {data.get('version')}，本程序只能读取版本 {VERSION}。"
        )
    tables = data.get("tables")
    ok = (
        data.get("vendor") in ("sqlite", "postgresql")
        and isinstance(tables, dict)
        and all(
            isinstance(t, str)
            and isinstance(v, dict)
            and isinstance(v.get("rows"), int)
            and isinstance(v.get("sha256"), str)
            for t, v in tables.items()
        )
        and isinstance(data.get("migrations"), list)
        and all(isinstance(m, list) and len(m) == 2 for m in data["migrations"])
        and isinstance(data.get("media_files", 0), int)
        and set(data) <= set(Manifest.__dataclass_fields__)
    )
    if not ok:
        raise BackupError(f"备份文件“{archive}”的清单 manifest.json 内容不完整或格式不对。")
    return Manifest(**data)


def read_manifest(archive: Path) -> Manifest:
    archive = Path(archive)
    with tempfile.TemporaryDirectory() as tmp:
        _unpack(archive, Path(tmp))
        return _load_manifest(Path(tmp) / "manifest.json", archive)


def _verify_archive(folder: Path, manifest: Manifest, archive: Path) -> None:
    """The archive's data against its manifest, before anything is written."""
    if manifest.vendor == "sqlite":
        copy = folder / "database.sqlite3"
        if not copy.is_file():
            raise BackupError(f"备份文件“{archive}”缺少数据库文件 database.sqlite3，未恢复任何数据。")
        try:
            db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
            try:
                found = sqlite_digests(db)
            finally:
                db.close()
        except (sqlite3.DatabaseError, ValueError) as error:
            raise BackupError(f"备份文件“{archive}”中的数据库文件已损坏，未恢复任何数据。") from error
        _check(found, manifest, before=True)
    else:
        differ = []
        for table, expected in manifest.tables.items():
            path = folder / "tables" / f"{table}.jsonl"
            if not path.is_file():
                raise BackupError(f"备份文件“{archive}”缺少数据表文件 tables/{table}.jsonl，未恢复任何数据。")
            h, n = hashlib.sha256(), 0
            with open(path, "rb") as f:
                try:
                    columns = json.loads(f.readline())
                except ValueError:
                    columns = None
                if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
                    raise BackupError(
                        f"备份文件“{archive}”中 tables/{table}.jsonl 的表头已损坏，未恢复任何数据。"
                    )
                for line in f:
                    h.update(line)
                    n += 1
            if {"rows": n, "sha256": h.hexdigest()} != expected:
                differ.append(table)
        extra = sorted(p.stem for p in (folder / "tables").glob("*.jsonl") if p.stem not in manifest.tables)
        if differ or extra:
            raise BackupError(
                f"备份文件“{archive}”中的数据与其清单不一致（已损坏或被改动）："
                + "、".join(differ + extra)
                + "，未恢复任何数据。"
            )
    media = folder / "media"
    files = sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0
    if files != manifest.media_files:
        raise BackupError(
            f"备份文件“{archive}”中有上传文件 {files} 个，清单记载 {manifest.media_files} 个，未恢复任何数据。"
        )


def _check_migrations(manifest: Manifest, connection) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    backed = {tuple(m) for m in manifest.migrations}
    newer = sorted(backed - known)
    if newer:
        raise BackupError(
            "备份来自更新版本的程序（包含本程序没有的数据库迁移，如 "
            + "、".join(f"{a}.{n}" for a, n in newer[:3])
            + "）：请用与备份相同或更新版本的程序恢复。"
        )
    if manifest.vendor == "postgresql" and backed != known:
        raise BackupError(
            "备份的数据库结构（迁移）与当前程序版本不同：请用与备份相同版本的程序恢复，再升级（./yj migrate）。"
        )


def _media_writable() -> None:
    root = _media_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root):
            pass
    except OSError as error:
        raise BackupError(f"上传文件目录 {root} 无法写入：{_os_reason(error)}，未恢复任何数据。") from error


def restore(archive: Path, *, force: bool = False, using: str = "default") -> Manifest:
    """Every check first (archive, manifest, content, migrations, an empty target), then the write,
    all or nothing. Any failure is a BackupError with a Chinese message."""
    archive = Path(archive)
    try:
        return _restore(archive, force, connections[using])
    except BackupError:
        raise
    except Exception as error:  # the operator gets a sentence, never a traceback
        raise BackupError(f"恢复失败（{type(error).__name__}：{error}）。") from error


def _restore(archive: Path, force: bool, connection) -> Manifest:
    if not archive.is_file():
        raise BackupError(f"找不到备份文件“{archive}”。")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _unpack(archive, tmp)
        manifest = _load_manifest(tmp / "manifest.json", archive)
        if manifest.vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {manifest.vendor} 数据库，当前数据库是 {connection.vendor}：只能恢复到同类数据库。"
            )
        _verify_archive(tmp, manifest, archive)
        _check_migrations(manifest, connection)
        if not force:
            if holds_data(connection):
                raise BackupError(
                    "当前数据库不是空的：恢复会覆盖其中全部数据。请恢复到新数据库，或确认后加 --force。"
                )
            if _media_files():
                raise BackupError(
                    f"上传文件目录 {_media_root()} 不是空的：请换用新目录，或确认后加 --force。"
                )
        _media_writable()
        if manifest.vendor == "sqlite":
            _restore_sqlite(connection, tmp / "database.sqlite3", manifest)
        else:
            _restore_postgres(connection, tmp / "tables", manifest)
        media = tmp / "media"
        if media.is_dir():
            try:
                shutil.copytree(media, _media_root(), dirs_exist_ok=True)
            except OSError as error:
                raise BackupError(
                    f"数据库已恢复，但上传文件复制到 {_media_root()} 失败：{_os_reason(error)}。"
                    "请处理后加 --force 重新恢复。"
                ) from error
    return manifest


def _check(found: dict, manifest: Manifest, before: bool = False):
    differ = sorted(t for t in set(found) | set(manifest.tables) if found.get(t) != manifest.tables.get(t))
    if differ and before:
        raise BackupError(
            "备份文件中的数据与其清单不一致（已损坏或被改动）：" + "、".join(differ) + "，未恢复任何数据。"
        )
    if differ:
        raise BackupError("恢复后的数据与备份记录不一致：" + "、".join(differ))


def _restore_sqlite(connection, copy: Path, manifest: Manifest):
    source = sqlite3.connect(copy)
    try:
        target_path = _sqlite_path(connection)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        connections.close_all()
        target = sqlite3.connect(target_path, timeout=30)
        previous = sqlite3.connect(":memory:")
        try:
            target.backup(previous)  # what to put back if the restored copy does not check out
            source.backup(target)  # replaces the whole content, in one step
            target.execute("PRAGMA journal_mode=WAL")
            try:
                _check(sqlite_digests(target), manifest)
            except BackupError:
                previous.backup(target)
                raise
        finally:
            previous.close()
            target.close()
    finally:
        source.close()
    call_command("migrate", verbosity=0, interactive=False)  # a backup of an older version: upgrade it


def _restore_postgres(connection, folder: Path, manifest: Manifest):
    # The schema first (a fresh database has none): what it leaves behind if the copy below fails is a
    # freshly migrated database, which a retry accepts as empty.
    call_command("migrate", verbosity=0, interactive=False, database=connection.alias)
    applied = _applied_migrations(connection)
    if sorted(map(tuple, applied)) != sorted(map(tuple, manifest.migrations)):
        raise BackupError(
            "备份的数据库结构（迁移）与当前程序版本不同：请用与备份相同版本的程序恢复，再升级（./yj migrate）。"
        )
    # One transaction: every table emptied and filled, and checked, or nothing.
    with guard.purging(connection), account_guard.purging(connection), connection.cursor() as cursor:
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
