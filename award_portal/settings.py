"""Award Portal settings: one module, everything that differs between machines comes from the
environment (12-factor). With nothing set the portal runs on an SQLite file in the project, runs
Celery tasks in-process and prints e-mail to the console. Set ``DATABASE_URL`` and ``REDIS_URL`` for
the production shape (PostgreSQL, Celery workers on Redis, a shared cache)."""

import datetime as dt
import os
import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting; set but empty (docker-compose.yml passes "" for what .env leaves out)
    counts as unset."""
    return env.bool(name) if env.str(name, default="") else default


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY_FILE = env.path("SECRET_KEY_FILE", default=BASE_DIR / "var" / "secret_key")


def _local_secret_key(path: Path) -> str:
    """The key of a single-machine install: made once, kept in a file only its owner reads.
    Several machines must share one key: set SECRET_KEY (docker-compose.yml requires it)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key
    except OSError as exc:
        raise ImproperlyConfigured(f"Set SECRET_KEY, or make {path} readable.") from exc


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key(Path(SECRET_KEY_FILE))
# The key that signs certificate PDFs and the public register (issue 14): a PKCS#12 file and its
# password; without them a self-signed demo key is made once in SIGNING_DEMO_FILE (signing/keys.py).
SIGNING_PKCS12_FILE = env.str("SIGNING_PKCS12_FILE", default="")
SIGNING_PKCS12_PASSWORD = env.str("SIGNING_PKCS12_PASSWORD", default="")
SIGNING_DEMO_FILE = env.path("SIGNING_DEMO_FILE", default=BASE_DIR / "var" / "signing_demo.p12")
SIGNING_DEMO_SUBJECT = env.str("SIGNING_DEMO_SUBJECT", default="award portal demo signer")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form (expired page, cookies off) gets a Chinese page with a way back.
CSRF_FAILURE_VIEW = "award_portal.views.csrf_failure"
# The public address used in links that leave the site (QR codes, e-mails).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "common",
    "regions",
    "accounts",
    "organisations",
    "programmes",
    "applications",
    "review",
    "awards",
    "honours",
    "ladder",
    "demo",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "award_portal.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "award_portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.StaffSessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it watches the login attempts the views above report.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "award_portal.urls"
WSGI_APPLICATION = "award_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]
# Django's form renderer, with the common widgets written out in Python (the same HTML).
FORM_RENDERER = "common.form_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and WAL let the dev server, a worker and tests share the file
    # without "database is locked" on concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and the shared cache ----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis there is no worker: tasks run in the request, after commit.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="award_portal")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# Every periodic job of the portal, in one place.
CELERY_BEAT_SCHEDULE = {
    "enforce-award-rules-daily": {
        "task": "awards.enforce_award_rules",
        "schedule": crontab(hour=1, minute=10),
    },
    "close-unheld-cycles-daily": {
        "task": "programmes.close_unheld_cycles",
        "schedule": crontab(hour=0, minute=30),
    },
    "end-overdue-applications-daily": {
        "task": "applications.end_overdue",
        "schedule": crontab(hour=0, minute=20),
    },
    # Jobs whose broker was down or whose worker died are handed over again (common.outbox).
    "flush-outbox": {"task": "common.flush_outbox", "schedule": 60.0},
}
# Publishing to a broker that is down fails fast: the outbox keeps the job and retries it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A message a killed worker never acknowledged comes back after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
# A job handed to the queue that has not reported back after this long is handed over again.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=1800)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute force: 5 wrong passwords for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address behind the reverse proxies listed in TRUSTED_PROXIES (common.throttling):
# one person's wrong passwords never lock out everyone behind the same proxy.
AXES_CLIENT_IP_CALLABLE = "common.throttling.client_address"
# API tokens (issue 8 item 12): valid this long after issue, revoked when the password changes.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=24)
# Staff sessions end after this many idle minutes; enterprise sessions keep SESSION_COOKIE_AGE
# (Django's two weeks) with no idle limit.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
# Two-factor login (TOTP, django-otp): open to every staff account, required for the office,
# committee, government and supervisor of a programme whose require_two_factor is on.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="质量奖评审系统")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages print dates with |date:"DATE_FORMAT": 2026年12月3日 in Chinese (Django's zh_Hans), and
# 3 Dec 2026 in English (award_portal/formats/en, instead of Django's American "Dec. 3, 2026").
FORMAT_MODULE_PATH = ["award_portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are confidential: MEDIA_ROOT is outside the web root and there is no MEDIA_URL route;
# every file is served by a permission-checked view.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Several web and worker machines share media through S3-compatible storage (MinIO, OSS, COS).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_USE_FINDERS = True

# --- E-mail ---------------------------------------------------------------------------------
# SMTP once EMAIL_HOST names a mail server; until then every message is written to the log of
# the process that sends it (the worker's, under docker-compose.yml), so nothing fails and
# nothing retries against a server that is not there. Every notification is also kept in the
# recipient's inbox on the portal. Empty values count as unset (compose passes "" for them).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env.str("EMAIL_PORT", default="") or 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="") or "质量奖办公室 <award@localhost>"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_flag("HTTPS", default=False):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (README, "Production").
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is answered with a redirect, except the health check, which load balancers
    # and docker-compose.yml call on the container's own address without TLS.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    # Browsers keep to HTTPS for a year, for the portal's host and every name under it. Served
    # on a domain whose other names are still plain HTTP (the portal at the bare county domain),
    # set HSTS_INCLUDE_SUBDOMAINS=0. "preload" only allows the domain's owner to submit it to the
    # browsers' built-in list (hstspreload.org, which requires includeSubDomains); it submits
    # nothing by itself.
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS

# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; with none, the
# header is ignored (common.throttling.client_address).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.StandardPagination",
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "common.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public_objection": "5/hour",
        "register": "20/hour",
        "public_verify_pdf": "60/hour",
    },
    "DATE_FORMAT": "%Y-%m-%d",
}
SPECTACULAR_SETTINGS = {
    # Served from the portal itself: government intranets often have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Award Portal API",
    "DESCRIPTION": "质量奖评审系统 REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name per choice set where several fields share a name ("kind", "status") or a set.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.enums.ApplicationStatus",
        "CreditGradeEnum": "organisations.enums.CreditGrade",
        "DocumentKindEnum": "applications.models.DocumentKind",
        "OrganisationKindEnum": "organisations.enums.OrganisationKind",
        "ClaimStatusEnum": "accounts.enums.ClaimStatus",
        "AwardStatusEnum": "awards.enums.AwardStatus",
    },
}

# --- Content Security Policy (django-csp 4): no script but our own files --------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline style attributes draw the bars and charts.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: never log request bodies, uploads or personal data ----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
