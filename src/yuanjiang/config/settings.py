"""Settings, from environment variables only (12-factor). Safe by default: without any variable
this is a production configuration (DEBUG off, HTTPS only, a generated secret key).

Environment:
  DATABASE_URL        database (default: SQLite at $YJ_VAR_DIR/yuanjiang.sqlite3, WAL mode)
  YJ_DEMO=1           use the demo database ($YJ_VAR_DIR/demo.sqlite3) unless DATABASE_URL is set
  YJ_VAR_DIR          where the embedded database and other runtime files live (default: ./var)
  YJ_MEDIA_DIR        uploaded files (default: $YJ_VAR_DIR/media)
  YJ_SECRET_KEY       the secret key; when unset, a strong one is generated on first run and kept
                      in $YJ_VAR_DIR/secret_key (owner-only). Weak keys (short, like `x`) are refused
                      unless YJ_DEBUG=1 or under the test runner.
  YJ_DEBUG            1 for development only (default 0; `./yj dev` sets it)
  YJ_HTTPS            1 (default): the site is reached over HTTPS (directly or through a proxy):
                      redirect to HTTPS, HSTS, secure cookies. 0: plain HTTP, e.g. local use on
                      http://127.0.0.1 (`./yj demo`, `./yj dev` and `./yj serve` on a loopback address
                      without YJ_TRUST_PROXY set it to 0 unless it is set)
  YJ_HSTS_SECONDS     HSTS max-age when YJ_HTTPS is on (default 31536000, one year)
  YJ_TRUST_PROXY      1 when a reverse proxy in front sets X-Forwarded-Proto and X-Forwarded-For
                      (and strips them from clients); never trusted otherwise (default 0)
  YJ_ALLOWED_HOSTS    comma-separated host names (default localhost,127.0.0.1,[::1])
  YJ_CSRF_TRUSTED_ORIGINS  comma-separated origins behind a proxy
  YJ_CONN_MAX_AGE     seconds a database connection is kept open (default 60; tests use 0)
  YJ_SECURE_COOKIES   overrides whether cookies are sent over HTTPS only (default: YJ_HTTPS)
  YJ_SESSION_IDLE_MINUTES   signed out after this long without a request (default 30)
  YJ_SESSION_MAX_HOURS      signed out this long after signing in, active or not (default 10)
  YJ_LOGIN_FAILURE_LIMIT    wrong passwords before a lockout (default 5, per user name and address)
  YJ_ACCOUNT_FAILURE_LIMIT  wrong passwords for one user name from any addresses before the
                            account is locked out (default 20)
  YJ_LOGIN_LOCKOUT_MINUTES  how long a lockout lasts (default 15)
  YJ_LOG_LEVEL        root log level (default WARNING)
  YJ_FIGURE_CACHE_SECONDS   how long computed figures are kept for the same state of the data
                      (default 600; 0: computed on every request; metrics/cache.py)
  YJ_IMPORT_MAX_ROWS, YJ_IMPORT_MAX_COLUMNS, YJ_IMPORT_MAX_CELLS, YJ_IMPORT_MAX_UNCOMPRESSED_MB,
  YJ_IMPORT_MAX_ZIP_RATIO, YJ_IMPORT_MEMORY_MB, YJ_IMPORT_TIMEOUT_SECONDS   ledger import limits
                      (defaults 100000, 200, 3000000, 100, 200, 1024, 120; interop/limits.py)
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url

from yuanjiang.config.keys import load_or_create_secret_key, weak_secret_key

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

# Under the test runner the suite may use a short key and plain HTTP (the test client speaks HTTP).
TESTING = "pytest" in sys.modules
DEBUG = _flag("YJ_DEBUG", False)
HTTPS = _flag("YJ_HTTPS", not (DEMO or TESTING))
TRUST_PROXY = _flag("YJ_TRUST_PROXY", False)

SECRET_KEY = os.environ.get("YJ_SECRET_KEY", "").strip() or load_or_create_secret_key(VAR_DIR / "secret_key")
if weak_secret_key(SECRET_KEY) and not (DEBUG or TESTING):
    raise RuntimeError(
        "YJ_SECRET_KEY is too weak (at least 50 characters, 5 different ones, not 'django-insecure-'): "
        "set a strong random value, e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
        "or unset it to have one generated in $YJ_VAR_DIR/secret_key."
    )
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
            # Concurrent writers (production server threads and processes): WAL lets readers go on
            # while one writes, IMMEDIATE takes the write lock at BEGIN, and a writer waits up to 30 s
            # for it (busy timeout) instead of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000",
            },
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
    "axes",
    "yuanjiang.kernel",
    "yuanjiang.common",
    "yuanjiang.core",
    "yuanjiang.accounts",
    "yuanjiang.org",
    "yuanjiang.review",
    "yuanjiang.projects",
    "yuanjiang.investment",
    "yuanjiang.health",
    "yuanjiang.talent",
    "yuanjiang.education",
    "yuanjiang.culture",
    "yuanjiang.consumption",
    "yuanjiang.metrics",
    "yuanjiang.reports",
    "yuanjiang.claims",
    "yuanjiang.interop",
    "yuanjiang.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "yuanjiang.api",
    "yuanjiang.warnings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yuanjiang.core.security.ContentSecurityPolicyMiddleware",
    "yuanjiang.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yuanjiang.core.security.SessionTimeoutMiddleware",
    "yuanjiang.core.middleware.ChangeActorMiddleware",
    "yuanjiang.accounts.accountlog.RequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "yuanjiang.review.middleware.PeriodClosedMiddleware",
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
                "yuanjiang.review.context_processors.inbox",
            ],
        },
    },
]

# Django's validators speak Chinese through its zh-hans translations.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yuanjiang.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "yuanjiang.core.security.LockoutBackend",  # django-axes: refuses a locked-out user name / address
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The production server serves static files itself (whitenoise): collected ones (`./yj serve` runs
# collectstatic) compressed and cached, and the apps' own static folders as well, so a server started
# without collectstatic (the demo, tests) still has its styles.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
try:  # whitenoise warns at every start while the folder is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
# Uploaded files (progress photos). Never served as public URLs: a scoped view streams each file.
MEDIA_ROOT = Path(os.environ.get("YJ_MEDIA_DIR") or VAR_DIR / "media")
MEDIA_URL = "/media-not-public/"
# Files in one request: a photo field takes at most 20 (common.forms.IMAGE_MAX_FILES, with a message);
# far more is refused outright (400) before anything is stored.
DATA_UPLOAD_MAX_NUMBER_FILES = 25
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Figures are kept per state of the data (metrics/cache.py: the token every committed write replaces,
# read from the database, so every server process agrees on it); each process keeps its own copies.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yj-default"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "yj-figures",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
FIGURE_CACHE_SECONDS = int(os.environ.get("YJ_FIGURE_CACHE_SECONDS", "600"))
AUTH_USER_MODEL = "accounts.User"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# HTTPS: redirect, HSTS and cookies that never travel over plain HTTP.
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("YJ_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = _flag("YJ_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A proxy's X-Forwarded-Proto says "this came over HTTPS" only when a proxy is declared: otherwise
# any client could claim it.
if TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (core.security): only this site's own scripts, styles and images; no inline
# code, no framing, forms post back here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Sessions: signed out after YJ_SESSION_IDLE_MINUTES without a request (sliding) and, in any case,
# YJ_SESSION_MAX_HOURS after signing in (core.security.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("YJ_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = int(float(os.environ.get("YJ_SESSION_MAX_HOURS", "10")) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Ledger imports (interop/limits.py): a file is checked against these before anything parses it,
# and workbooks are parsed in a child process limited to IMPORT_MEMORY_MB of address space.
IMPORT_MAX_ROWS = int(os.environ.get("YJ_IMPORT_MAX_ROWS", "100000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("YJ_IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_CELLS = int(os.environ.get("YJ_IMPORT_MAX_CELLS", "3000000"))
IMPORT_MAX_UNCOMPRESSED_MB = int(os.environ.get("YJ_IMPORT_MAX_UNCOMPRESSED_MB", "100"))
IMPORT_MAX_ZIP_RATIO = int(os.environ.get("YJ_IMPORT_MAX_ZIP_RATIO", "200"))
IMPORT_MEMORY_MB = int(os.environ.get("YJ_IMPORT_MEMORY_MB", "1024"))
IMPORT_TIMEOUT_SECONDS = int(os.environ.get("YJ_IMPORT_TIMEOUT_SECONDS", "120"))

# Login throttling and lockout (django-axes): after YJ_LOGIN_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked out for YJ_LOGIN_LOCKOUT_MINUTES (answered 429 with
# a Chinese message); after YJ_ACCOUNT_FAILURE_LIMIT wrong passwords for one user name from any
# addresses, the account is (accounts/lockout.py). A successful login resets the counts.
AXES_FAILURE_LIMIT = int(os.environ.get("YJ_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("YJ_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
ACCOUNT_FAILURE_LIMIT = int(os.environ.get("YJ_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_HANDLER = "yuanjiang.accounts.lockout.AccountLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yuanjiang.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "yuanjiang.core.security.client_ip"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YJ_LOG_LEVEL", "WARNING")},
}

# The REST API (yuanjiang.api, docs/api.md): tokens or the session, errors as {field, code, message}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yuanjiang.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "yuanjiang.api.authentication.ReadOnlyToken",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yuanjiang.api.errors.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "援疆成效台账 API · yuanjiang API",
    "DESCRIPTION": (
        "记录的增删改查、数字、成绩单与核对；权限与网页完全相同。"
        " Records, figures, report cards and the claims check, scoped exactly like the web."
        " Authorization: Token yj_…; writes need If-Match (the record's ETag)."
    ),
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "yuanjiang.api.schema.add_error_responses",
    ],
}

# Review (issue 21): nobody approves a record they submitted themselves (on by default). Notices of
# returned records are in-app (the 待办 inbox); also by e-mail when an SMTP host is configured.
REVIEW_NO_SELF_APPROVAL = _flag("YJ_REVIEW_NO_SELF_APPROVAL", True)
EMAIL_HOST = os.environ.get("YJ_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_PORT = int(os.environ.get("YJ_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("YJ_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("YJ_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("YJ_EMAIL_TLS", False)
    DEFAULT_FROM_EMAIL = os.environ.get("YJ_EMAIL_FROM", "yuanjiang@localhost")

# The site's public address ("https://yj.example.org"): documents made on the command line link to
# the records with it (XLSX hyperlinks); on the web the request's address is used.
SITE_URL = os.environ.get("YJ_SITE_URL", "").strip()
