"""The secret key when none is configured: generated once, kept owner-only in the var directory.

Imported by the settings, so no Django here.
"""

import os
import secrets
import stat
import time
from pathlib import Path


def weak_secret_key(key: str) -> bool:
    """Django's own rule (check security.W009): at least 50 characters, 5 distinct, not a default."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


def load_or_create_secret_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once never both write a key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise RuntimeError(
                f"{path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`."
            ) from None
        for _ in range(50):  # another process may be writing it this instant
            key = path.read_text(encoding="ascii").strip()
            if key:
                break
            time.sleep(0.05)
        if weak_secret_key(key):
            raise RuntimeError(
                f"{path} holds no usable secret key: delete it to have a new one generated."
            ) from None
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key
