"""An uploaded ledger kept between the preview and the confirmation.

Stored under MEDIA_ROOT/private/imports/<user id>/<random token>.upload (never a public URL) with a
JSON note beside it (ledger, program, file name, SHA-256, versions seen at the preview, time). Only
the user who uploaded it can confirm it, within EXPIRY; the hash is checked again on confirmation;
the file is removed once committed, and expired files are removed at each upload.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

EXPIRY_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UploadGone(Exception):
    """The kept upload is missing, expired, not the user's, or altered (Chinese message)."""


@dataclass
class Kept:
    token: str
    kind: str
    program_id: int
    filename: str
    sha256: str
    versions: dict[int, int]
    data: bytes


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "imports"


def _paths(user_id: int, token: str) -> tuple[Path, Path]:
    folder = _root() / str(int(user_id))
    return folder / f"{token}.upload", folder / f"{token}.json"


def purge_expired(now: float | None = None) -> None:
    now = now or time.time()
    root = _root()
    if not root.exists():
        return
    for path in root.glob("*/*"):
        try:
            if now - path.stat().st_mtime > EXPIRY_SECONDS:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def keep(user, kind: str, program_id: int, filename: str, data: bytes, versions: dict[int, int]) -> str:
    purge_expired()
    token = secrets.token_urlsafe(24)
    blob, note = _paths(user.pk, token)
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    note.write_text(
        json.dumps(
            {
                "kind": kind,
                "program": program_id,
                "filename": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "versions": {str(k): v for k, v in versions.items()},
                "created": time.time(),
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return token


def load(user, token: str) -> Kept:
    gone = UploadGone("上传的文件已过期或不存在，请重新上传。")
    if not token or not _TOKEN.match(token):
        raise gone
    blob, note = _paths(user.pk, token)
    try:
        meta = json.loads(note.read_text(encoding="utf-8"))
        data = blob.read_bytes()
    except (OSError, ValueError):
        raise gone from None
    if time.time() - meta["created"] > EXPIRY_SECONDS:
        discard(user, token)
        raise gone
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        discard(user, token)
        raise UploadGone("上传的文件在预览后发生了变化，请重新上传。")
    versions = {int(k): v for k, v in meta["versions"].items()}
    return Kept(token, meta["kind"], meta["program"], meta["filename"], meta["sha256"], versions, data)


def discard(user, token: str) -> None:
    if not token or not _TOKEN.match(token):
        return
    for path in _paths(user.pk, token):
        path.unlink(missing_ok=True)
