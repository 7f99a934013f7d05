"""Settings, from environment variables only (12-factor).

Environment:
  DATABASE_URL        database (default: SQLite at $YJ_VAR_DIR/yuanjiang.sqlite3)
  YJ_DEMO=1           use the demo database ($YJ_VAR_DIR/demo.sqlite3) unless DATABASE_URL is set
  YJ_VAR_DIR          where the embedded database and other runtime files live (default: ./var)
  YJ_MEDIA_DIR        uploaded files (default: $YJ_VAR_DIR/media)
  YJ_SECRET_KEY       required when YJ_DEBUG is off
  YJ_DEBUG            1 for development (default 1 only for the embedded SQLite set-up)
  YJ_ALLOWED_HOSTS    comma-separated host names
  YJ_CSRF_TRUSTED_ORIGINS  comma-separated origins behind a proxy
  YJ_CONN_MAX_AGE     seconds a database connection is kept open (default 60; tests use 0)
  YJ_SECURE_COOKIES   0 to allow session cookies over plain HTTP when YJ_DEBUG is off (default 1)
  YJ_LOG_LEVEL        root log level (default WARNING)
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_repo = PACKAGE_DIR.parent.parent
REPO_DIR = _repo if (_repo / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(os.environ.get("YJ_VAR_DIR") or REPO_DIR / "var")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEMO = _flag("YJ_DEMO", False)
_database_url = os.environ.get("DATABASE_URL", "").strip()
EMBEDDED = not _database_url

DEBUG = _flag("YJ_DEBUG", EMBEDDED)
SECRET_KEY = os.environ.get("YJ_SECRET_KEY") or ("insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("YJ_SECRET_KEY must be set when YJ_DEBUG is off.")
ALLOWED_HOSTS = [h for h in os.environ.get("YJ_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YJ_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=int(os.environ.get("YJ_CONN_MAX_AGE", "60"))
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _name = "demo.sqlite3" if DEMO else "yuanjiang.sqlite3"
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / _name,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "yuanjiang.common",
    "yuanjiang.core",
    "yuanjiang.accounts",
    "yuanjiang.org",
    "yuanjiang.projects",
    "yuanjiang.investment",
    "yuanjiang.health",
    "yuanjiang.metrics",
    "yuanjiang.claims",
    "yuanjiang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yuanjiang.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yuanjiang.core.middleware.ChangeActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "yuanjiang.config.urls"
WSGI_APPLICATION = "yuanjiang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yuanjiang.accounts.context_processors.scope",
                "yuanjiang.demo.context_processors.demo",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (progress photos). Never served as public URLs: a scoped view streams each file.
MEDIA_ROOT = Path(os.environ.get("YJ_MEDIA_DIR") or VAR_DIR / "media")
MEDIA_URL = "/media-not-public/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if not DEBUG:
    SESSION_COOKIE_SECURE = _flag("YJ_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YJ_LOG_LEVEL", "WARNING")},
}
