"""Settings for Lev, read from the environment (django-environ).

Development gets safe defaults (SQLite under var/, console e-mail, Celery eager without
REDIS_URL); production (DEBUG=0) refuses to start without a SECRET_KEY.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# --- Core -------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=0 Lev refuses to start without a secret key: "
            "set SECRET_KEY in the environment (for example: python -c "
            "'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "portal",
    "trajecten",
    "gesprekken",
    "bekwaamheid",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",  # SSO (SURFconext), see below
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.CleanInputMiddleware",
    "portal.once.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.RequireMFAMiddleware",
]

# Benchmarks only: an X-Lev-Queries header with the SQL query count of each response.
if env.bool("LEV_QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "portal.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "lev.urls"
WSGI_APPLICATION = "lev.wsgi.application"

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
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lev.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the overviews' correlated subqueries look expensive to the planner,
    # which then spent seconds compiling plans that run in milliseconds (docs/benchmarks.md).
    # A DATABASE_URL with its own ?options= keeps those.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# While Redis is unreachable the one-time form tokens and the login throttle carry on in the
# database (portal.cache): a protection does not switch off with Redis. The table is made by
# a migration (portal 0009).
FALLBACK_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "lev_cache_fallback",
    "KEY_PREFIX": "lev",
    # Django's default of 300 entries would cull claimed tokens and throttle counters
    # under an attack of many addresses.
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lev",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "FALLBACK": "fallback",
        },
        "fallback": FALLBACK_CACHE,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fallback": FALLBACK_CACHE,
    }

# --- Users and login (django-allauth) ---------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lev] "
ACCOUNT_RATE_LIMITS = {
    # Login failures: per address only a loose limit (a school behind one NAT is many
    # people); per account growing waits instead of a block (portal.adapters).
    "login_failed": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# How many reverse proxies under our control stand before gunicorn (0: none, the client talks
# to gunicorn). The client's address is then the one that many places from the right in
# X-Forwarded-For; anything further left was written by the client and is ignored. One rule
# for allauth's login throttle and Lev's audit trail (portal.audit.client_ip).
LEV_TRUSTED_PROXIES = env.int("LEV_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = LEV_TRUSTED_PROXIES
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lev"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_ADAPTER = "portal.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_PROVIDERS: dict = {}

# --- SSO (SURFconext) -------------------------------------------------------------------
# College staff log in through SURFconext with OpenID Connect (allauth's openid_connect
# provider), configured only from the environment: without SURFCONEXT_CLIENT_ID and
# SURFCONEXT_SERVER_URL there is no provider and no button. An SSO login never creates an
# account: allauth matches it by *verified* e-mail address to an invited account and connects
# the SURFconext identity to it; portal.adapters.SocialAccountAdapter refuses everything else
# with a message on the login page (portal/sso.py). Password login keeps working beside it.
SURFCONEXT_CLIENT_ID = env.str("SURFCONEXT_CLIENT_ID", default="")
SURFCONEXT_CLIENT_SECRET = env.str("SURFCONEXT_CLIENT_SECRET", default="")
SURFCONEXT_SERVER_URL = env.str("SURFCONEXT_SERVER_URL", default="").rstrip("/")
# Optional: e-mail domains whose addresses count as verified even when SURFconext sends no
# email_verified claim (allauth's "verified_email" app setting), e.g. "pabo.nl,school.nl".
SURFCONEXT_VERIFIED_EMAIL_DOMAINS = env.list("SURFCONEXT_VERIFIED_EMAIL_DOMAINS", default=[])
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
if SURFCONEXT_CLIENT_ID and SURFCONEXT_SERVER_URL:
    _surfconext_settings: dict = {
        "server_url": SURFCONEXT_SERVER_URL,
        "oauth_pkce_enabled": True,
    }
    if SURFCONEXT_VERIFIED_EMAIL_DOMAINS:
        _surfconext_settings["verified_email"] = SURFCONEXT_VERIFIED_EMAIL_DOMAINS
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "surfconext",
                "name": "SURFconext",
                "client_id": SURFCONEXT_CLIENT_ID,
                "secret": SURFCONEXT_CLIENT_SECRET,
                "settings": _surfconext_settings,
            }
        ],
    }

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside the web root and have no public URL: they are served only through
# views that check access (see portal.files).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = None
LEV_MAX_UPLOAD_MB = env.int("LEV_MAX_UPLOAD_MB", default=20)
# Office files are zip archives: a small upload can unpack to gigabytes (a zip bomb) that
# every download and the personal-data export would hand on. Limits on what one unpacks to.
LEV_MAX_UNPACKED_MB = env.int("LEV_MAX_UNPACKED_MB", default=100)
LEV_MAX_ZIP_ENTRIES = env.int("LEV_MAX_ZIP_ENTRIES", default=2000)
LEV_MAX_VIDEO_UPLOAD_MB = env.int("LEV_MAX_VIDEO_UPLOAD_MB", default=200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# One send may wait this long for the mail server; portal.mail.MAIL_CLAIM_TIMEOUT (10
# minutes) must stay longer than a group of sends (SEND_GROUP = 10 of these).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The development mailbox (portal.devmail, `make demo`): every mail is stored under
# var/mailbox/ and shown to staff at /dev/mailbox/ instead of going out.
LEV_MAILBOX = env.bool("LEV_MAILBOX", default=False)
LEV_MAILBOX_DIR = env.path("LEV_MAILBOX_DIR", default=str(VAR_DIR / "mailbox"))
if LEV_MAILBOX:
    if not DEBUG:
        raise ImproperlyConfigured(
            "LEV_MAILBOX keeps mail in a development mailbox instead of sending it; it cannot "
            "be used with DEBUG=0. Set EMAIL_URL to the real mail server instead."
        )
    EMAIL_BACKEND = "portal.devmail.MailboxBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lev <noreply@lev.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------
# Without REDIS_URL tasks run eagerly in-process, so the demo needs no services.
# The broker may be a Redis of its own (docker-compose.yml: the cache evicts, the broker
# never does); by default the same Redis as the cache.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LEV_REQUIRE_MFA = env.bool("LEV_REQUIRE_MFA", default=True)

# --- Retention (AVG) ----------------------------------------------------------------------
# Working material goes this many years after a traject ended; Proeve records later.
LEV_RETENTION_WORKING_YEARS = env.int("LEV_RETENTION_WORKING_YEARS", default=2)
LEV_RETENTION_RECORDS_YEARS = env.int("LEV_RETENTION_RECORDS_YEARS", default=7)

# --- Crispy forms -----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Celery logs every task it ran at INFO ("Task ... succeeded"): noise on the console
        # of `make demo`, where tasks run in-process.
        "celery.app.trace": {"level": "WARNING"},
    },
}
