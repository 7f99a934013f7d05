"""The Django set-up every benchmark script shares: the project's sources on the path, a throw-away
var directory, production-like settings (no debug query log), a strong key (weak ones are refused)
and a migrated database (a fresh SQLite file in `var_dir`, or `database_url`)."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def setup_django(var_dir: str, database_url: str | None = None, migrate: bool = True):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["YJ_VAR_DIR"] = var_dir
    os.environ["YJ_DEMO"] = "0"
    os.environ["YJ_DEBUG"] = "0"  # as in production: no debug query log, no debug pages
    os.environ["YJ_HTTPS"] = "0"  # the test client speaks plain HTTP (no redirect to https://)
    os.environ.setdefault("YJ_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
