"""Settings for Gonghui, read from the environment (see .env.example).

Every value has a safe local default so that `make run` works on a bare machine;
a value that is present but malformed stops start-up with a message saying which.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path):
    """Read KEY=VALUE lines from .env without overriding the real environment."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def envpath(name, default):
    """A folder from the environment; a relative one is taken from the project's folder, not from wherever
    a process was started (a worker started elsewhere would otherwise read other files than the site)."""
    value = os.environ.get(name) or default
    return (BASE_DIR / value) if not Path(value).is_absolute() else Path(value)


# Read after .env, which may set it.
VAR_DIR = envpath("VAR_DIR", "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_from_file(name, make):
    """A secret generated once into var/, so restarts keep sessions and encrypted data readable."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# Off unless set: a deployment that forgets a variable must not run with tracebacks, the URL list
# and demo logins on show. `make run` sets DEBUG=true for the development server.
DEBUG = envbool("DEBUG", False)
# Under pytest the settings differ only where speed or determinism demands (tasks run at once,
# a fast password hasher); everything else is what production runs.
TESTING = envbool("GONGHUI_TESTING", "pytest" in sys.modules)
PRODUCTION = not DEBUG and not TESTING

if PRODUCTION:
    # Without these nothing can be trusted or read. ALLOWED_HOSTS is not among them: without it the
    # site serves nothing (Django answers 400 to every request, check --deploy says why), while
    # migrate and collectstatic, which serve nothing, still run.
    _missing = [name for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS") if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(
            f"DEBUG is off (production), and {', '.join(_missing)} is not set. Set it in the environment or in "
            ".env (see .env.example and README, 正式部署 / Deploying for real). "
            "For a development machine set DEBUG=true (`make run` does)."
        )


def _new_fernet_key():
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _local_secret(name, make):
    """A development machine keeps its keys in var/; tests with DEBUG off get throw-away ones,
    so no key is ever written to disk by anything but a development server."""
    return _secret_from_file(name, make) if DEBUG else make()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret("secret_key", lambda: secrets.token_urlsafe(50))
# Several comma-separated keys allow rotation: the first encrypts, all of them decrypt.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", []) or [_local_secret("field_encryption_key", _new_fernet_key)]

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Our apps, in the order the demo data is built.
    "core",
    "accounts",
    "orgs",
    "members",
    "plans",
    "activities",
    "federation",
    "democracy",
    "care",
    "finance",
    "assessments",
    "safety",
    "contracts",
    "portal",
    "rollups",
    "workbench",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LanguageMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "core.middleware.NulRefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "orgs.middleware.CurrentUnitMiddleware",
    # Last, as django-axes asks, so that it sees the final response of a login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbench.context_processors.layout",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
# In production each app server process keeps its connection for a minute rather than opening one per
# request (a PostgreSQL connection costs more than most requests). The development server runs a thread
# per request: there 0. A connection broken meanwhile (a database restart) fails one request of each
# worker and is then replaced; DB_CONN_HEALTH_CHECKS avoids even that at the price of a SELECT 1 before
# every request, which halved the registrations per second in bench/registrations.py.
CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0)
CONN_HEALTH_CHECKS = envbool("DB_CONN_HEALTH_CHECKS", False)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=CONN_HEALTH_CHECKS,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web server read while the task worker writes; IMMEDIATE
            # transactions take the write lock up front instead of failing half-way. A page cache of
            # up to 64 MB (2 MB by default, taken only as pages are read) keeps the roster's indexes in
            # memory through a large import instead of reading them again for every batch.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Heavy read-only reports may read from a replica (core.routing); tests mirror it onto default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.PhoneBackend",  # a member signs in with her mobile number (its blind index)
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"] + PASSWORD_HASHERS
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind the documented HTTPS proxy (README: Nginx sets X-Forwarded-Proto and X-Forwarded-For), and only
# then, the proxy's headers are believed: the scheme, and the client's address for the access log and the
# login lock-out (core.audit.client_ip). Without a proxy anyone could write those headers.
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, once it is there: browsers remember (HSTS) and plain-HTTP requests are redirected.
# includeSubDomains covers only names under the site's own host, not its siblings.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY and not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if BEHIND_HTTPS_PROXY and not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# A load balancer's health probe speaks plain HTTP to the app server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The HSTS preload list is a registration the site's owner makes with the browsers, not a setting.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# Content Security Policy: every script is a static file of ours. Styles allow inline
# attributes because ECharts and Bootstrap components set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "gonghui_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Nothing is served under /media/ (no route, and Nginx must not alias it). MEDIA_ROOT is only where
# versions before private storage kept uploads; data migrations move them to PRIVATE_MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = envpath("MEDIA_ROOT", VAR_DIR / "media")
# Uploaded and generated files (core.files): never under a web root, served only through views.
PRIVATE_MEDIA_ROOT = envpath("PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
# Behind Nginx: the internal location that serves PRIVATE_MEDIA_ROOT (X-Accel-Redirect); empty = Django sends.
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "")
# Uploaded sheets and their failed rows are deleted this many days after their job ended.
PRIVATE_FILES_RETENTION_DAYS = envint("PRIVATE_FILES_RETENTION_DAYS", 30)
# An import queued or silent (no progress) this long is marked not done, to retry (core.sheets.jobs).
SHEETS_JOB_TIMEOUT_MINUTES = envint("SHEETS_JOB_TIMEOUT_MINUTES", 10)
# Largest image Pillow opens (core.apps sets Image.MAX_IMAGE_PIXELS): a 48-megapixel phone photo passes,
# a few-KB PNG claiming 13000×13000 pixels (170 million, about 500 MB decoded) is refused.
IMAGE_MAX_PIXELS = 50_000_000
STORAGES = {
    # A file field that forgets storage=private_storage is private all the same.
    "default": {"BACKEND": "core.files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 50) * 1024 * 1024

# Several app servers share everything that matters: sessions and django-axes' lock-outs live in the
# database (Django's and axes' defaults), the cache in Redis when REDIS_URL is set (a process's own
# memory otherwise, fine for one machine), and core.calendar checks a version row (CALENDAR_CHECK_SECONDS).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # With a cache all app servers share, sessions are read from it and written through to the database:
    # one query fewer on every signed-in request, and a Redis restart signs nobody out. Nothing deletes
    # sessions behind the session store's back (a password change or a deactivated account is caught by
    # the user row, read on every request), so the cache never holds a session the database has lost.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CALENDAR_CHECK_SECONDS = envint("CALENDAR_CHECK_SECONDS", 5)

# Background work (core.tasks): the database queue by default, RQ on Redis with TASKS_QUEUE=redis;
# `manage.py tasks_worker` runs the worker of either. Tests run tasks at once, or through Redis
# in-process (RQ_ASYNC=false) when TASKS_QUEUE=redis.
TASKS_QUEUE = os.environ.get("TASKS_QUEUE", "database")
if TASKS_QUEUE not in ("database", "redis"):
    raise ImproperlyConfigured(f"TASKS_QUEUE must be database or redis, not {TASKS_QUEUE!r}")
if TASKS_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_QUEUE=redis needs REDIS_URL (redis://host:6379/0)")
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db") + 1, "django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600, "ASYNC": envbool("RQ_ASYNC", not TESTING)}}
    _tasks_backend = "django_tasks_rq.RQBackend"
elif TESTING:
    _tasks_backend = "django_tasks.backends.immediate.ImmediateBackend"
else:
    _tasks_backend = "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": _tasks_backend, "QUEUES": []}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gonghui@localhost")

# Notifications (core.notifications): channels beside the in-app message, by short name.
_NOTIFICATION_CHANNELS = {
    "email": "core.notifications.EmailChannel",
    "sms": "core.notifications.SmsChannel",
    "wecom": "core.notifications.WeComChannel",
    "console": "core.notifications.ConsoleChannel",
}
_unknown_channels = set(envlist("NOTIFICATION_CHANNELS", ["email"])) - set(_NOTIFICATION_CHANNELS)
if _unknown_channels:
    raise ImproperlyConfigured(f"NOTIFICATION_CHANNELS: unknown {sorted(_unknown_channels)}")
NOTIFICATION_CHANNELS = [_NOTIFICATION_CHANNELS[c] for c in envlist("NOTIFICATION_CHANNELS", ["email"])]
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
# Or a provider's adapter in code: a dotted path to a function send(phone, text) (used before the gateway).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "")
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "")
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "")

# Pages of lists; a hard upper bound keeps a crafted ?limit from loading a whole table.
PAGE_SIZE = envint("PAGE_SIZE", 30)
NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
