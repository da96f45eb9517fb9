"""One settings module, configured from environment variables.

Every variable read here through `env()`, `env_bool()` or `env_list()` is documented in
the README; a test fails when one is not (tests/test_house_rules.py).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kairos.languages import NATIVE_CHOICES

BASE_DIR = Path(__file__).resolve().parent
INSECURE_DEFAULT_SECRET_KEY = "kairos-insecure-development-key-change-me"


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "data"))).resolve()
SECRET_KEY = env("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
# A real deployment must never run on a key that is published in this repository.
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI's files itself: /api/v1/docs loads nothing from a CDN
    "axes",
    "kairos.accounts",
    "kairos.events",
    "kairos.worker",
    "kairos.questionnaires",
    "kairos.segments",
    "kairos.campaigns",
    "kairos.callbacks",
    "kairos.integrations",
    "kairos.notifications",
    "kairos.privacy",
    "kairos.reports",
    "kairos.dashboard",
]

MIDDLEWARE = [
    "kairos.api_errors.JsonErrors",  # first: it sees every error of /api/ paths
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kairos.integrations.cors.PublicCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kairos.dashboard.security.SecurityHeaders",  # CSP, Permissions-Policy, no-store
    "kairos.dashboard.errors.ErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its 429 page
]

ROOT_URLCONF = "kairos.urls"
# A refused CSRF token gets Kairos' own 403 page in the user's language (JSON under /api/).
CSRF_FAILURE_VIEW = "kairos.dashboard.errors.csrf_failure"
WSGI_APPLICATION = "kairos.wsgi.application"

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
                "kairos.dashboard.context_processors.organization",
            ],
        },
    },
]


def sqlite_options():
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue on busy_timeout instead of failing mid-transaction.
    return {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # The checkpoints are `kairos serve`'s, off the request path; a connection makes
        # one itself only past this safety net (kairos/db/sqlite/checkpoints.py).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA wal_autocheckpoint=40000;",
    }


# ---- Databases: connections and durability (bench/README.md has the measurements) ------
#
# SQLite: one connection per process for its lifetime (CONN_MAX_AGE None). Durability:
#   WAL with synchronous=NORMAL — a commit survives a crash of Kairos; a power cut can
#   lose the last commits before the WAL's sync, never corrupt the database.
# PostgreSQL: persistent connections (CONN_MAX_AGE 600 s), no health check per request:
#   the check was a `SELECT 1` round trip on every hot-path request; a connection that
#   broke (the server restarted) fails one request, which closes it, and the next one
#   reconnects. Durability: synchronous_commit as the server sets it (on by default: a
#   committed response survives a crash of the database server too). Set
#   DATABASE_SYNCHRONOUS_COMMIT=off to trade the last ~0.6 s of commits on a database
#   crash for a commit that does not wait for the disk.
PG_CONN_MAX_AGE = 600


def postgres_options():
    # No JIT: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, which
    # the dashboard's aggregates over a big shop do — 40–50 ms of compiling for queries that
    # run in 100–250 ms (closing the loop, the lift, at 1,000,000 responses), never repaid.
    settings = ["jit=off"]
    synchronous_commit = env("DATABASE_SYNCHRONOUS_COMMIT", "")
    if synchronous_commit:
        settings.append(f"synchronous_commit={synchronous_commit}")
    # prepare_threshold: the hot path's statements (kairos.db.driver, server-binding
    # cursors) are prepared on a connection's second use of them; Django's own queries
    # bind client-side and are never prepared (Django leaves preparing off by default
    # for transaction-pooling proxies; Kairos connects to PostgreSQL directly).
    return {"options": " ".join(f"-c {setting}" for setting in settings),
            "prepare_threshold": 1}


def database_config():
    default_url = f"sqlite:///{DATA_DIR / 'kairos.sqlite3'}"
    config = dj_database_url.parse(env("DATABASE_URL", default_url),
                                   conn_max_age=PG_CONN_MAX_AGE)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "kairos.db.sqlite"  # writers queue on a file lock, see there
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = sqlite_options()
        config["CONN_MAX_AGE"] = None
        config["TEST"] = {"NAME": str(DATA_DIR / "test-kairos.sqlite3")}
    else:
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **postgres_options()}
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account,
# or from one client address, signing in there is refused for LOGIN_LOCK_MINUTES. Axes'
# backend comes first so a locked attempt is refused before the password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCK_MINUTES = int(env("LOGIN_LOCK_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
# Attempts during a lock neither extend it nor write a row: the lock ends on time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kairos.accounts.lockout.locked_out"
AXES_USERNAME_CALLABLE = "kairos.accounts.lockout.attempted_account"
AXES_CLIENT_IP_CALLABLE = "kairos.accounts.client_address.client_address"
AXES_VERBOSE = False  # no banner on every `kairos` command

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = NATIVE_CHOICES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kairos.formats"]  # one unambiguous date format: "1 Dec 2026"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Athens")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the dashboard's own CSS, JS and images
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
# Static files come straight from the packages' folders, so `kairos serve` needs no
# collectstatic step and a fresh clone serves its CSS at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kairos@localhost")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# --- HTTPS (Trust II; README "Security") ---------------------------------------------
# HSTS: browsers that saw Kairos over HTTPS refuse plain HTTP to it for this many seconds.
# Sent only on HTTPS answers; set it once the HTTPS setup works (e.g. 31536000, a year).
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = False  # a choice for the domain's owner, not for an application
# Plain-HTTP requests are redirected to HTTPS (healthz stays reachable for probes).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
# --- end HTTPS ---------------------------------------------------------------------

# Background work (webhooks, e-mails) runs through Django's Tasks API on the database
# backend: `kairos worker` runs it, with no server beside the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Who hears about each new event, in this order, when the worker dispatches the outbox.
EVENT_CONSUMERS = [
    "kairos.integrations.webhooks.fan_out",
    "kairos.notifications.tasks.fan_out",
]
# What the worker does every so often (worker/periodic.py): (dotted path, every N seconds).
PERIODIC_JOBS = [
    ("kairos.notifications.periodic.warn_before_breach", 60),
    ("kairos.notifications.periodic.send_daily_digests", 60),
    ("kairos.privacy.tasks.schedule_retention", 6 * 3600),
    # every 15 minutes: a shop never sealed (new, or just imported) counts Home live until then
    ("kairos.reports.tasks.schedule_sealing", 15 * 60),
    # the lift column's facts: My campaigns and the comparison count them (lift_facts.py)
    ("kairos.campaigns.tasks.schedule_lift_facts", 15 * 60),
    # closing the loop's outcomes: Home and the callbacks report count them (loop_facts.py)
    ("kairos.reports.tasks.schedule_callback_facts", 15 * 60),
]
# Webhooks to loopback, private or link-local addresses are refused (SSRF) unless allowed.
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS")
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "10"))
# The key of the one-way hash that pseudonymises personal data past retention; empty:
# derived from SECRET_KEY. Changing it makes later pseudonyms differ from earlier ones.
PRIVACY_HASH_KEY = env("PRIVACY_HASH_KEY")

NINJA_PAGINATION_PER_PAGE = 50
# Public payloads are small; anything bigger is refused before parsing (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("MAX_REQUEST_BYTES", str(64 * 1024)))

# Rate limits of the public API (/api/public/): requests per window, 0 for no limit;
# counted in a small SQLite file every process of the server shares (integrations/rate_limits).
PUBLIC_RATE_LIMIT_PER_ADDRESS = int(env("PUBLIC_RATE_LIMIT_PER_ADDRESS", "120"))
PUBLIC_RATE_LIMIT_PER_SITE_KEY = int(env("PUBLIC_RATE_LIMIT_PER_SITE_KEY", "6000"))
PUBLIC_RATE_LIMIT_WINDOW = int(env("PUBLIC_RATE_LIMIT_WINDOW", "60"))  # seconds
RATE_LIMIT_FILE = Path(env("RATE_LIMIT_FILE", str(DATA_DIR / "rate-limits.sqlite3")))
# Behind a reverse proxy: the header it puts the client's address in (X-Forwarded-For, last
# entry used, or X-Real-IP), for login throttling and rate limits alike
# (accounts/client_address.py). Empty: the connection's peer. Set it only when a proxy you
# run overwrites the header, or clients choose their own address.
CLIENT_ADDRESS_HEADER = env("CLIENT_ADDRESS_HEADER")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
