"""Django settings for Rokhas.

Everything a deployment changes comes from the environment; the defaults are for a
developer's machine (SQLite, local file storage, mails printed to the console).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ROKHAS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")
SITE_URL = os.environ.get("ROKHAS_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",  # API tokens for partner systems
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally (no CDN)
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # Domain apps: one per area; see docs/architecture.md.
    "rokhas.audit",
    "rokhas.territory",
    "rokhas.workdays",
    "rokhas.accounts",
    "rokhas.catalogue",
    "rokhas.activities",
    "rokhas.documents",
    "rokhas.dossiers",
    "rokhas.review",
    "rokhas.signing",
    "rokhas.decisions",
    "rokhas.payments",
    "rokhas.commission",
    "rokhas.pdfs",
    "rokhas.notifications",
    "rokhas.demo",
    # Entry points: thin layers over the domain apps.
    "rokhas.api",
    "rokhas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "rokhas.dossiers.middleware.AccessScopeMiddleware",
]

ROOT_URLCONF = "rokhas.urls"
WSGI_APPLICATION = "rokhas.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers while a writer works (dev server + task worker).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: 5 failures lock the (user, IP) pair for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"  # a translated page instead of a bare 429
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Officials must pass a TOTP check before acting on files. On by default; `make run` turns it
# off for the demo (ROKHAS_REQUIRE_OTP=0) so that a newcomer needs no authenticator app.
ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = env_bool("ROKHAS_REQUIRE_OTP", True)
OTP_TOTP_ISSUER = "Rokhas"

LANGUAGE_CODE = "fr"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"  # files are only served through access-checked views

# Local folder by default; S3-compatible storage when ROKHAS_S3_BUCKET is set.
if os.environ.get("ROKHAS_S3_BUCKET"):
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["ROKHAS_S3_BUCKET"],
                "endpoint_url": os.environ.get("ROKHAS_S3_ENDPOINT_URL"),
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# Uploads: limits checked by rokhas.documents.validation.
ROKHAS_UPLOAD_MAX_BYTES = int(os.environ.get("ROKHAS_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
ROKHAS_UPLOAD_MAX_PAGES = int(os.environ.get("ROKHAS_UPLOAD_MAX_PAGES", "200"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Mail: console in development; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rokhas <no-reply@rokhas.local>")

# Background work: Django Tasks with the database backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ROKHAS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Signing: where the development PKI and signer keys live, and which TSA to ask.
ROKHAS_PKI_DIR = Path(os.environ.get("ROKHAS_PKI_DIR", VAR_DIR / "pki"))
# Empty: the local development TSA (rokhas.signing.tsa); else an RFC 3161 URL.
ROKHAS_TSA_URL = os.environ.get("ROKHAS_TSA_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "rokhas.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rokhas API",
    "DESCRIPTION": (
        "Online permits for Moroccan communes: filing, review, decision, verification.\n\n"
        "Authentication: HTTP Basic, `Authorization: Token <key>` (POST /api/v1/auth/token/) or the web "
        "session. Language: `Accept-Language: ar` or `fr`. Errors: 400 `{field: [messages], "
        "non_field_errors: [messages]}`; 401/403/404 `{detail: message}`. A file you may not see is a 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {
        "apiid": {"type": "integer", "minimum": 0, "maximum": 999999999999999999},
        "apiround": {"type": "integer", "minimum": 1, "maximum": 9999},
        "apicode": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,40}$", "example": "7K3QF-M2X9P"},
    },
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "rokhas.dossiers.models.Dossier.Status",
        "DayKindEnum": "rokhas.catalogue.models.DayKind",
        "SilenceRuleEnum": "rokhas.catalogue.models.SilenceRule",
        "VerdictEnum": "rokhas.review.models.Opinion.Verdict",
        "DecisionOutcomeEnum": "rokhas.decisions.models.Decision.Outcome",
        "DecideOutcomeEnum": "rokhas.api.serializers.DECIDE_OUTCOMES",
        "WorklistRoleEnum": "rokhas.api.serializers.ROLE_FILTERS",
        "CommissionSessionStatusEnum": "rokhas.commission.models.Session.Status",
    },
}

# Content Security Policy: no inline scripts; htmx is served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("ROKHAS_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ROKHAS_LOG_LEVEL", "WARNING")},
}

# Circular D.5808 § II: communes above this population have their own guichet unique.
ROKHAS_GUICHET_UNIQUE_POPULATION = int(os.environ.get("ROKHAS_GUICHET_UNIQUE_POPULATION", "50000"))

# Deadline reminders and escalation (rokhas/review/deadlines.py), in working days: remind this
# many days before an opinion or a decision is due; escalate a missing opinion to the
# governor's services this many days after its due date.
ROKHAS_REMINDER_WORKING_DAYS = int(os.environ.get("ROKHAS_REMINDER_WORKING_DAYS", "2"))
ROKHAS_ESCALATION_WORKING_DAYS = int(os.environ.get("ROKHAS_ESCALATION_WORKING_DAYS", "3"))

# How long an API token stays verified after its second-factor check (officials acting by API).
ROKHAS_API_OTP_HOURS = int(os.environ.get("ROKHAS_API_OTP_HOURS", "8"))

# Public verification requests allowed per client address (codes must not be enumerable).
ROKHAS_VERIFY_RATE = os.environ.get("ROKHAS_VERIFY_RATE", "30/min")

# The platform's e-seal, used for tacit-approval certificates (no person signs those).
ROKHAS_SEAL_USERNAME = os.environ.get("ROKHAS_SEAL_USERNAME", "rokhas-seal")
ROKHAS_SEAL_PIN = os.environ.get("ROKHAS_SEAL_PIN", "seal-dev-pin")

# Fees and payments (rokhas/payments; docs/fees.md). The provider for new payments, and the CMI
# store (client id, store key, gateway URL, e.g. https://testpayment.cmi.co.ma/fim/est3Dgate).
# With no gateway URL and ROKHAS_DEV_GATEWAY on, payments go to the local test gateway.
ROKHAS_PAYMENT_PROVIDER = os.environ.get("ROKHAS_PAYMENT_PROVIDER", "cmi")
ROKHAS_PAYMENT_PROVIDERS = {"cmi": "rokhas.payments.providers.cmi.CmiProvider"}
ROKHAS_CMI = {
    "client_id": os.environ.get("CMI_CLIENT_ID", ""),
    "store_key": os.environ.get("CMI_STORE_KEY", ""),
    "gateway_url": os.environ.get("CMI_GATEWAY_URL", ""),
}
# The local test gateway at /dev-gateway/ (same protocol as CMI): never on in production.
ROKHAS_DEV_GATEWAY = env_bool("ROKHAS_DEV_GATEWAY", DEBUG)
# How the test gateway delivers its callback: "http" (a real POST) or "test_client" (in process).
ROKHAS_DEV_GATEWAY_DELIVERY = os.environ.get("ROKHAS_DEV_GATEWAY_DELIVERY", "http")
