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

SECRET_KEY = os.environ.get("SECRET_KEY", "") or ("" if PRODUCTION else local_secret_key())
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "brobygger.accounts",
    "brobygger.audit",
    "brobygger.regelverk",
    "brobygger.participants",
    "brobygger.fidelity",
    "django_tasks_db",
    "brobygger.reporting",
    "brobygger.privacy",
    "brobygger.grants",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of ours, so that every error under /api/, from any layer below, leaves as problem details.
    "brobygger.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Bokmål unless the user chose English (never the browser's Accept-Language); needs the user, so after auth.
    "brobygger.accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: an idle or expired session is logged out before anything reads the user, and a
    # user who still owes the second factor reaches nothing but the second-factor pages.
    "brobygger.accounts.middleware.SessionLifetimeMiddleware",
    "brobygger.accounts.middleware.SecondFactorMiddleware",
    # After the session and user are known, so the refusal page shows as any other page; before every view.
    "brobygger.middleware.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Writes the access log for every person a page or endpoint fetched through the access helpers.
    "brobygger.audit.middleware.AccessLogMiddleware",
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


def database(url: str) -> dict:
    """One database from its URL. PostgreSQL gets a connection pool per app-server process (psycopg_pool), so the
    number of connections is bounded by processes x DB_POOL_MAX_SIZE however many users are active; Django requires
    CONN_MAX_AGE 0 with a pool. DB_POOL_MAX_SIZE=0 turns the pool off and keeps persistent connections instead."""
    pool_max = envint("DB_POOL_MAX_SIZE", 4)
    pooled = url.startswith(("postgres:", "postgresql:", "pgsql:")) and pool_max > 0
    config = dj_database_url.parse(
        url, conn_max_age=0 if pooled else envint("DB_CONN_MAX_AGE", 60), conn_health_checks=not pooled
    )
    if pooled:
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(envint("DB_POOL_MIN_SIZE", 1), pool_max),
            "max_size": pool_max,
            # Seconds a request waits for a free connection before it fails, rather than queueing forever.
            "timeout": envint("DB_POOL_TIMEOUT", 10),
        }
    return config


DATABASES = {"default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'brobygger.sqlite3'}")}
# A read replica takes the statistics pages' reads (brobygger/routers.py); without one they go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"]) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["brobygger.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "brobygger.accounts.oidc.OidcBackend",
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

# Lockout after repeated failed logins (django-axes): per username and, separately, per client address, so that
# neither guessing many passwords for one user nor one password for many users gets far.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address as the trusted reverse proxies saw it (brobygger/accounts/client_ip.py); lockout, the login
# rate limit and the API rate limit all key on it.
AXES_CLIENT_IP_CALLABLE = "brobygger.accounts.client_ip.client_ip"
# How many reverse proxies in front of Brobygger append to X-Forwarded-For; 0 (no proxy) trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
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
# A session ends after 30 minutes without a request, and 8 hours after login however active
# (brobygger/accounts/middleware.py).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60

# Rate limits (per client address for the login form, per user or address for the API), in Django's cache. With
# several app servers, set BROBYGGER_CACHE=database (and run `manage.py createcachetable`) so they share the counts.
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20/m")
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/m")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "brobygger_cache"}
        if os.environ.get("BROBYGGER_CACHE") == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Two-factor authentication (TOTP and recovery codes, django-otp) for the roles in ROLES_REQUIRING_SECOND_FACTOR.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Brobygger")
RECOVERY_CODE_COUNT = 10

# OpenID Connect login (HelseID, Entra ID; brobygger/accounts/oidc.py), on when OIDC_RP_CLIENT_ID is set. Endpoints
# come from the provider's discovery document (OIDC_DISCOVERY_URL, or OIDC_ISSUER + /.well-known/...) unless given.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
# How Brobygger authenticates at the token endpoint: client_secret_post (default), client_secret_basic, or
# private_key_jwt (RFC 7523; HelseID requires it): a JWT signed with the private key in OIDC_RP_PRIVATE_KEY_FILE
# (a JWK, whose kid and alg are used, or a PEM file), for the audience OIDC_RP_CLIENT_ASSERTION_AUDIENCE (default:
# the token endpoint; HelseID names its issuer).
OIDC_RP_CLIENT_AUTH = os.environ.get("OIDC_RP_CLIENT_AUTH", "client_secret_post")
OIDC_RP_PRIVATE_KEY_FILE = os.environ.get("OIDC_RP_PRIVATE_KEY_FILE", "")
OIDC_RP_CLIENT_ASSERTION_ALGO = os.environ.get("OIDC_RP_CLIENT_ASSERTION_ALGO", "")
OIDC_RP_CLIENT_ASSERTION_AUDIENCE = os.environ.get("OIDC_RP_CLIENT_ASSERTION_AUDIENCE", "")
OIDC_TOKEN_USE_BASIC_AUTH = OIDC_RP_CLIENT_AUTH == "client_secret_basic"
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
# The claim whose value is the Brobygger username; accounts are matched, never created (no self-signup).
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
# A login whose ID token has one of these amr values, or one of these acr values, counts as two-factor.
OIDC_MFA_AMR_VALUES = envlist("OIDC_MFA_AMR_VALUES", "mfa")
OIDC_MFA_ACR_VALUES = envlist("OIDC_MFA_ACR_VALUES")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = envint("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATE_CLASS = "brobygger.accounts.oidc.OidcLoginView"
OIDC_CALLBACK_CLASS = "brobygger.accounts.oidc.OidcCallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/logg-inn/?oidc=feilet"

SECURE_SSL_REDIRECT = PRODUCTION and envbool("SECURE_SSL_REDIRECT", True)
# Health probes come from the platform over plain HTTP inside the network; a redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^helse/"]
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
# Years a person's data is kept after their last closed period before `retention_run` anonymises it.
RETENTION_YEARS_AFTER_CLOSURE = envint("RETENTION_YEARS_AFTER_CLOSURE", 5)


def default_mailer() -> dict:
    """The backend EMAIL_BACKEND names, else SMTP in production or with EMAIL_HOST set, else the console."""
    if backend := os.environ.get("EMAIL_BACKEND"):
        return {"BACKEND": backend}
    if not (PRODUCTION or os.environ.get("EMAIL_HOST")):
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", True),
        },
    }


# E-mail (decision and sanction letters, report reminders, the daily digest): SMTP in production (EMAIL_HOST, default
# localhost) or wherever EMAIL_HOST is set; otherwise the console backend prints the mails (local runs). EMAIL_BACKEND
# names another backend (a file or locmem backend, say); tests use locmem. SITE_URL makes the links in them absolute.
MAILERS = {"default": default_mailer()}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Brobygger <ikke-svar@brobygger.invalid>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
# Production never generates keys: it must be given them (checked at the end of this file).
if not IDENTITY_ENCRYPTION_KEYS and not PRODUCTION:
    # A Fernet key is 32 random bytes in padded URL-safe base64 (token_urlsafe drops the one "="), made here
    # so that settings need not import cryptography.
    IDENTITY_ENCRYPTION_KEYS = [local_identity_key("identity_keys", lambda: secrets.token_urlsafe(32) + "=")]
if not IDENTITY_HASH_KEY and not PRODUCTION:
    IDENTITY_HASH_KEY = local_identity_key("identity_hash_key", lambda: secrets.token_urlsafe(32))
# Synthetic (Tenor-style) identity numbers are accepted in demo mode and when tests turn this on; never in production.
IDENTITY_ALLOW_SYNTHETIC = envbool("IDENTITY_ALLOW_SYNTHETIC") and not PRODUCTION

# --- end identity numbers ------------------------------------------------------------------------------------------

# --- Production safety: last, so that it sees every setting above ---------------------------------------------


def refuse_unsafe_production_settings() -> None:
    """Refuses to start production on settings that would be unsafe, naming every problem at once, so that neither
    gunicorn nor the worker ever serves or runs with them. Django's `check --deploy` only warns, and only when run."""
    problems = []
    if DEBUG:
        problems.append("DEBUG må være av i produksjon.")
    if not SECRET_KEY:
        problems.append("SECRET_KEY må settes i produksjon.")
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        # The same bar as Django's security.W009: long, varied and not the key startproject writes.
        problems.append("SECRET_KEY må være minst 50 tilfeldige tegn i produksjon, ikke en standardnøkkel.")
    if not (IDENTITY_ENCRYPTION_KEYS and IDENTITY_HASH_KEY):
        problems.append("IDENTITY_ENCRYPTION_KEYS og IDENTITY_HASH_KEY må settes i produksjon.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS må nevne vertsnavnene til tjenesten i produksjon, ikke være tom eller «*».")
    if problems:
        raise ImproperlyConfigured("Brobygger starter ikke: " + " ".join(problems))


if PRODUCTION:
    refuse_unsafe_production_settings()
