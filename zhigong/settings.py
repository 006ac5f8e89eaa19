"""Django settings for Zhigong. Everything comes from the environment (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from zhigong.env import VAR_DIR, envbool, envint, envlist, random_key_b64, random_secret_key, secret

BASE_DIR = Path(__file__).resolve().parent
DEBUG = envbool("ZHIGONG_DEBUG", True)

SECRET_KEY = secret("ZHIGONG_SECRET_KEY", DEBUG, random_secret_key)
# AES-256-GCM key (base64 of 32 bytes) for personal data; the blind index key is derived from it.
FIELD_KEY = secret("ZHIGONG_FIELD_KEY", DEBUG, random_key_b64)
# Ed25519 private key (base64 of the 32-byte seed) that signs trail tree heads.
TRAIL_KEY = secret("ZHIGONG_TRAIL_KEY", DEBUG, random_key_b64)

ALLOWED_HOSTS = envlist("ZHIGONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("ZHIGONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zhigong.core",
    "zhigong.trail",
    "zhigong.web",
    "zhigong.democracy",
    "zhigong.participation",
    "zhigong.disclosure",
    "zhigong.tracking",
    "zhigong.evaluation",
    "zhigong.ledger",
    "zhigong.mutualaid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhigong.web.middleware.LocaleMiddleware",  # Chinese unless English was chosen
    "zhigong.web.middleware.strip_null_characters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhigong.urls"
WSGI_APPLICATION = "zhigong.wsgi.application"

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
                "zhigong.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhigong.sqlite3'}"),
        conn_max_age=envint("ZHIGONG_DB_CONN_MAX_AGE", 0 if DEBUG else 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE takes the write lock at BEGIN, so read-then-write transactions never fail
    # with "database is locked" half-way; WAL lets readers go on during a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # No JIT compilation: it pays off for long analytical queries, and on this application's
    # short ones it fired whenever the planner over-priced a correlated subquery (the policy's
    # visibility filters): a proposal search among 100,000 took 1.4-2 s instead of 0.3 s
    # (make bench, bench_voice).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # The hand-written statements of every request (core.rawsql.rows) are prepared on their
    # connection at first use; the ORM's queries bind on the client and are never prepared.
    # ZHIGONG_DB_PREPARE=0 behind a pooler that cannot keep prepared statements.
    if envbool("ZHIGONG_DB_PREPARE", True):
        options["prepare_threshold"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["zhigong.core.auth.UsernameOrMobileBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out after repeated failures (accounts).
LOGIN_FAILURE_LIMIT = envint("ZHIGONG_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("ZHIGONG_LOGIN_LOCKOUT_MINUTES", 15)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Sessions read from the process cache, written through to the database: one query less on
# every page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The cache: each process's memory by default; Redis when ZHIGONG_REDIS_URL is set, so that
# several app servers share sessions and the figures kept for a minute (core/paging.py).
REDIS_URL = os.environ.get("ZHIGONG_REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("ZHIGONG_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = envint("ZHIGONG_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("ZHIGONG_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get(
    "ZHIGONG_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("ZHIGONG_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("ZHIGONG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("ZHIGONG_EMAIL_FROM", "zhigong@localhost")

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("ZHIGONG_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The development server's request lines skip the anonymous channels (suggestion box).
    "filters": {"anonymous_channels": {"()": "zhigong.logging_filters.SkipAnonymousChannels"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["anonymous_channels"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
