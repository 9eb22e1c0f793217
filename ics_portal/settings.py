"""One settings module for every environment.

Differences between a laptop, the test suite and production come from environment
variables only, so what CI tests is the configuration that ships:

- ``DJANGO_ENV``: ``development`` (default) or ``production``.
- ``SECRET_KEY`` and ``ALLOWED_HOSTS`` (comma separated): required in production.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/ics_portal``; SQLite when unset.
- ``REDIS_URL``: Celery broker and result backend, cache and sessions; when unset,
  Celery tasks run in-process and the cache is per-process memory.
- ``CELERY_TASK_SOFT_TIME_LIMIT`` / ``CELERY_TASK_TIME_LIMIT``, ``CELERY_VISIBILITY_TIMEOUT``,
  ``CELERY_UNACKED_RESTORE_INTERVAL`` and ``JOB_HEARTBEAT_TIMEOUT`` (seconds): how long a
  task may run, and how soon a job whose worker died is noticed and its message re-sent.
- ``PORTAL_BASE_URL``: the portal's address for links in emails; required in production.
- ``CSRF_TRUSTED_ORIGINS``, ``EMAIL_URL``-style settings: see README.
- ``MEDIA_ROOT`` / ``MEDIA_URL``: where uploaded and built files live (default
  ``media/`` beside manage.py); ``DEFAULT_FILE_STORAGE_BACKEND`` and
  ``DEFAULT_FILE_STORAGE_OPTIONS`` (JSON) swap the filesystem for e.g. an
  S3-compatible backend; ``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``FILE_UPLOAD_MAX_MEMORY_SIZE``
  and ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` bound what a request may carry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = _env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # Only ever used on a developer's machine: production refuses to start without one.
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# Where people reach the portal: links in emails (digests) must be absolute, and a
# task has no request to take the host from.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").strip().rstrip("/")
if PRODUCTION and not PORTAL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "PORTAL_BASE_URL must be set when DJANGO_ENV=production, e.g. https://portal.example.nhs.uk"
    )
if not PORTAL_BASE_URL:
    PORTAL_BASE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "csp",
    # Counts failed sign-ins per account and per address and locks out (see accounts.py).
    "axes",
    "governance",
    "delegation",
    "milestones",
    "papers",
]

MIDDLEWARE = [
    # First: probes answer before host checks, the HTTPS redirect and sessions.
    "ics_portal.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files and errors included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags on every successful GET (304 when the client has it): see its docstring.
    "ics_portal.conditional.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Restarts the idle clock at most once a minute, not with a write per request.
    "ics_portal.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the door (page, API, admin) and the person on every history record.
    "ics_portal.history.door.HistoryDoorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in with our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ics_portal.urls"
WSGI_APPLICATION = "ics_portal.wsgi.application"
ASGI_APPLICATION = "ics_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    # Several gunicorn workers share one cache and one session store.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ics_portal",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A signed-in session is saved again (its idle clock restarted) when its last save is
# this old: see ics_portal.sessions. Production's sessions end when idle; elsewhere they
# last Django's two weeks and are never saved again (0).
SESSION_REFRESH_SECONDS = int(
    os.environ.get("SESSION_REFRESH_SECONDS", "60" if PRODUCTION else "0")
)
# Heavy read pages are kept this long per person, and never past a write: see
# ics_portal.page_cache. 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(256 * 1024)))

# Celery: a real broker when Redis is configured, otherwise run tasks in-process so
# the portal works with one command and no services.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
# Every task may be killed at any moment (a deploy, the OOM killer, kill -9), so by
# default a message is acknowledged only once its task has finished, and handed back to
# the broker when the process running it dies: the task runs again, and is written to
# be run twice (see governance.jobs). One message at a time per process, so a killed
# worker strands no prefetched messages behind the one it was running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A stuck task is stopped: first politely (SoftTimeLimitExceeded, so a job can record
# why it failed), then for good. Long tasks set their own limits.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
# Redis has no acknowledgements: a message taken by a worker that then died is handed
# out again after this many seconds. Longer than any task's hard limit, so a task that
# is still running is not started a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    # How often (seconds) a worker looks for such messages: on every sweep, not every
    # tenth, which is kombu's default.
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
}
# A job whose worker has not been heard of for this many seconds has lost its worker
# (governance.jobs): the page says so and offers to try again.
JOB_HEARTBEAT_TIMEOUT = int(os.environ.get("JOB_HEARTBEAT_TIMEOUT", "120"))
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Programme offices read their digest first thing; the task records what it sent,
    # so a second run the same day (a beat restart) sends nothing new.
    "milestone-digests": {
        "task": "milestones.tasks.send_milestone_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "expire-job-files": {
        "task": "governance.tasks.expire_job_files",
        "schedule": crontab(hour=3, minute=30),
    },
}

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, its user kept until the next write (ics_portal.backends).
    "ics_portal.backends.KeptUserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Roles are granted to users; nobody browses anonymously, so guardian's anonymous
# user row would only be a foot-gun.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failures from one account, or
# from one address, sign-in is refused for AXES_COOLOFF_MINUTES. A governance lead
# unlocks on /accounts/lockouts/, an operator in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Per account and per address. Where many people sign in from one address (an office
# behind one NAT), set AXES_LOCKOUT_BY=username so one person's typos lock out nobody else.
AXES_LOCKOUT_PARAMETERS = _env_list("AXES_LOCKOUT_BY") or ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ics_portal.accounts.lockout_response"
# How many reverse proxies in front of gunicorn append to X-Forwarded-For: the client's
# address is the one the outermost of them saw (production assumes one, see
# SECURE_PROXY_SSL_HEADER). Without this every sign-in would come from the proxy.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
AXES_CLIENT_IP_CALLABLE = "ics_portal.accounts.client_ip"
AXES_VERBOSE = False

# API tokens expire this many days after they are issued.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "governance:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
# Front-end packages installed by npm (package.json), served as static files so the
# portal works on a closed network: the NHS.UK design system and htmx.
# Outside production WhiteNoise serves straight from the finders, so no collectstatic
# is needed for runserver, the tests' live server or a local gunicorn.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
NODE_MODULES = BASE_DIR / "node_modules"
for prefix, folder in (
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
):
    if folder.is_dir():
        STATICFILES_DIRS.append((prefix, folder))
# The NHS.UK stylesheet without its remote font (ics_portal/staticfiles.py), found first.
STATICFILES_FINDERS = [
    "ics_portal.staticfiles.OfflineNHSUKFinder",
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# Files: built board papers (and anything uploaded) go through Django's storage API,
# so moving them to an S3-compatible store is a setting, not a code change.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "media")
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")


def _env_json(name: str) -> dict[str, Any]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object.")
    return value


STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DEFAULT_FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": _env_json("DEFAULT_FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


# Upload limits: a request body held in memory, a file before it spills to disk, and
# the number of form fields (Django's defaults, overridable per deployment).
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = _env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = _env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)

# Board papers: a build may run this long before Celery stops it; one that has not
# moved for the stall time (its worker was killed) is shown failed and retryable.
PAPER_BUILD_TIME_LIMIT = _env_int("PAPER_BUILD_TIME_LIMIT", 240)
PAPER_BUILD_STALL_SECONDS = _env_int("PAPER_BUILD_STALL_SECONDS", 300)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call answers 401 with a WWW-Authenticate header.
        "ics_portal.accounts.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ics_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["ics_portal.api.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "ics_portal.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ics_portal.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per caller, in the cache; a 429 says when to try again (Retry-After).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICS governance portal API",
    "DESCRIPTION": (
        "The landscape of an Integrated Care System, its functions and decision map, "
        "delegation proposals and milestones. Every list holds only what the caller may see."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a "status"; name each choice set so the schema stays unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "MapEntryStatusEnum": "delegation.models.EntryStatus",
        "ConditionAssessmentStatusEnum": "delegation.models.AssessmentStatus",
        "MilestoneStatusEnum": "milestones.models.Status",
        # A body's current and target form share one choice set; organisations and
        # bodies each have a "kind".
        "GovernanceFormEnum": "governance.models.GovernanceForm",
        "BodyKindEnum": "governance.models.BodyKind",
        "OrganisationKindEnum": "governance.models.OrganisationKind",
        "MembershipRoleEnum": "governance.models.MembershipRole",
        # Delegation proposals: outcomes (recommended and decided), states (from and to).
        "ProposalOutcomeEnum": "delegation.proposals.workflow.Outcome",
        "ProposalStateEnum": "delegation.proposals.workflow.State",
        "ProposalItemKindEnum": "delegation.models.ItemKind",
    },
}

# Content-Security-Policy (django-csp; Django 5.2 has none built in): only our own
# scripts, styles, images and fonts; no inline script or style anywhere (templates load
# them from static files; a page that ever needs one gets a nonce from
# request.csp_nonce). The portal makes no request to another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The NHS.UK stylesheet draws a few icons as data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Audit tools that inject a script into the page (axe, in ../shared/tools/walk_pages.py
# and browser extensions) need the policy reported rather than enforced while they run.
# Development only: production always enforces it.
if _env_bool("CSP_REPORT_ONLY", default=False):
    if PRODUCTION:
        raise ImproperlyConfigured("CSP_REPORT_ONLY is for development; production enforces.")
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None  # type: ignore[assignment]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ics-portal@localhost")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # Signed out after this long without a request: each request restarts the clock,
    # to within SESSION_REFRESH_SECONDS (ics_portal.sessions).
    SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SILENCED_SYSTEM_CHECKS = (
        # HSTS preload is an opt-in that the operator makes for their own domain.
        ["security.W021"] if not SECURE_HSTS_PRELOAD else []
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"quiet_403": {"()": "ics_portal.logging.NoTracebackForPermissionDenied"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Once, through the root handler (Django's default adds a second console handler).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403 is one line, not a traceback.
        "django.request": {"filters": ["quiet_403"]},
        # WeasyPrint logs every layout step at INFO: a build would flood the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Demo personas share one password, overridable so a public demo is not guessable.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")
