"""All of Brobygger's settings, read from the environment.

Local runs need nothing set: SQLite under var/, a secret key generated once and kept under var/.
Production sets BROBYGGER_ENV=production and must then give SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import secrets
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BROBYGGER_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per checkout, so sessions survive restarts of a local server."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


PRODUCTION = os.environ.get("BROBYGGER_ENV", "local") == "production"
DEBUG = envbool("DEBUG")
# Demo mode allows the demo personas' passwords and synthetic identity numbers; never in production.
DEMO_MODE = envbool("BROBYGGER_DEMO") and not PRODUCTION

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY må settes i produksjon.")
    SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "brobygger.accounts.apps.BrobyggerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "ninja",
    "axes",
    "brobygger.accounts",
    "brobygger.audit",
    "brobygger.regelverk",
    "brobygger.participants",
    "brobygger.fidelity",
    "django_tasks_db",
    "brobygger.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of ours, so that every error under /api/, from any layer below, leaves as problem details.
    "brobygger.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session and user are known, so the refusal page shows as any other page; before every view.
    "brobygger.middleware.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brobygger.urls"
WSGI_APPLICATION = "brobygger.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brobygger.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'brobygger.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins, per username and address (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", NODE_MODULES / "@digdir/designsystemet-css/dist/src"),
    ("vendor/designsystemet-theme", NODE_MODULES / "@digdir/designsystemet-theme/src/themes"),
    ("vendor/inter", NODE_MODULES / "@fontsource/inter/files"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Content-Security-Policy (Django 6.1): no inline scripts or styles; scripts carry a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_SSL_REDIRECT = PRODUCTION and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs carry no personal data: request paths never contain identity numbers, and no view logs bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

FORM_RENDERER = "brobygger.renderers.DesignsystemetRenderer"

# Background work (reports that take longer than a second) is stored in the database and run by
# `manage.py db_worker` (django-tasks-db on Django's task framework).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The May 2026 consultation proposal's date of entry into force; unset means the proposal is not in force.
IPS_PROPOSAL_IN_FORCE_FROM = (
    date.fromisoformat(os.environ["IPS_PROPOSAL_IN_FORCE_FROM"])
    if os.environ.get("IPS_PROPOSAL_IN_FORCE_FROM")
    else None
)

# Caseload alerts (brobygger/participants/caseload.py): a period still waiting to start this many days after the
# referral is flagged. Not a number of the law: waiting time is reported to the grant scheme (regelverket pkt. 6) and
# job search should start rapidly (IPS principle 6); 30 days is Brobygger's default.
CASELOAD_WAITING_ALERT_DAYS = envint("CASELOAD_WAITING_ALERT_DAYS", 30)

# --- Identity numbers (brobygger/participants/identity.py; docs/adr/0004-identity-numbers.md) ---------------------


def local_identity_key(name: str, make) -> str:
    """Like local_secret_key(): generated once per checkout, so local data stays readable across restarts."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


# Fernet keys, current first; older keys stay listed only until rotate_identity_keys has run.
IDENTITY_ENCRYPTION_KEYS = envlist("IDENTITY_ENCRYPTION_KEYS")
# HMAC key for exact search and duplicate detection; changing it means re-hashing every row (rotate_identity_keys).
IDENTITY_HASH_KEY = os.environ.get("IDENTITY_HASH_KEY", "")
if PRODUCTION and not (IDENTITY_ENCRYPTION_KEYS and IDENTITY_HASH_KEY):
    raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEYS og IDENTITY_HASH_KEY må settes i produksjon.")
if not IDENTITY_ENCRYPTION_KEYS:
    # A Fernet key is 32 random bytes in padded URL-safe base64 (token_urlsafe drops the one "="), made here
    # so that settings need not import cryptography.
    IDENTITY_ENCRYPTION_KEYS = [local_identity_key("identity_keys", lambda: secrets.token_urlsafe(32) + "=")]
if not IDENTITY_HASH_KEY:
    IDENTITY_HASH_KEY = local_identity_key("identity_hash_key", lambda: secrets.token_urlsafe(32))
# Synthetic (Tenor-style) identity numbers are accepted in demo mode and when tests turn this on; never in production.
IDENTITY_ALLOW_SYNTHETIC = envbool("IDENTITY_ALLOW_SYNTHETIC") and not PRODUCTION

# --- end identity numbers ------------------------------------------------------------------------------------------
