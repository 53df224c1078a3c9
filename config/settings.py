"""SIME-PM settings: one module, every difference between environments is an env value.

Variables are listed in .env.example. A local `.env` (written by `make run`/`make test`)
is read when present; production passes real environment variables instead.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Core -----------------------------------------------------------------
# No default: production must refuse to start without a real secret key.
SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Base of the links in e-mails; empty: the address being served (sime.core.site), so set it in production.
SITE_URL = env.str("SITE_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rules",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "sime.core",
    "sime.accounts",
    "sime.notifications",
    "sime.institutions",
    "sime.policy",
    "sime.reporting",
    "sime.activities",
    "sime.documents",
    "sime.analytics",
    "sime.evaluation",
    "sime.public",
    "sime.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sime.core.site.ServedSiteURLMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view opts out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Fills the "who" of framework history rows written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sime" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sime.accounts.context_processors.navigation",
                "sime.notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the zero-setup default; production sets DATABASE_URL=postgres://…
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Make the embedded default behave like PostgreSQL under concurrent saves. A transaction that
    # begins DEFERRED reads first and then fails to upgrade its lock ("database is locked", a 500);
    # IMMEDIATE takes the write lock at BEGIN, so the second writer waits (up to the timeout) and then
    # reads the winner's version: one save wins and the other gets the edit conflict. WAL lets pages
    # read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, opted into now

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sime.accounts.backends.EmailPasswordBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the session expires after SESSION_COOKIE_AGE of inactivity
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failures for one account from one address.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Login is case-insensitive, so the lockout counts the e-mail in one case (sime.accounts.lockout).
AXES_USERNAME_CALLABLE = "sime.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Security -------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp). Scripts only from our own origin: every
# behaviour is a module in static/js and the vendor files are served locally, so no inline script and
# no eval. Inline style attributes stay allowed (progress-bar widths, chart heights, and the libraries'
# own injected styles). Downloads of uploaded files set their own stricter sandboxing policy, which
# the middleware leaves in place.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("Inglés"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guatemala"
USE_I18N = True
USE_TZ = True
# es-GT writes 163,947.00 (not Spain's 163.947,00): our own format modules say so.
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "sime" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "sime" / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files (evidence, designation documents) go to MEDIA_ROOT, or to an S3-compatible bucket
# (MinIO, AWS, …) through django-storages when S3_BUCKET is set. Files are never public: downloads go
# through the permission-checked views.
S3_BUCKET = env.str("S3_BUCKET", default="")
DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# `manage.py make_backup` writes one folder per backup here (database dump, uploaded files, manifest).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
# Reporting reminders: e-mails this many days before a period's closing day (then on it, then weekly).
REPORTING_REMINDER_DAYS_BEFORE = env.list("REPORTING_REMINDER_DAYS_BEFORE", cast=int, default=[7, 2])
# In-app notifications already read are deleted by `send_reminders` after this many days (unread ones stay).
NOTIFICATIONS_KEEP_READ_DAYS = env.int("NOTIFICATIONS_KEEP_READ_DAYS", default=180)

# --- Public portal and open data ------------------------------------------
# Statistical disclosure control (sime.public.disclosure, docs/aggregation.md §9): a published
# disaggregated count of people from 1 to this number minus one is withheld, with secondary suppression.
PUBLIC_SUPPRESSION_THRESHOLD = env.int("PUBLIC_SUPPRESSION_THRESHOLD", default=5)
# Stated in every open-data download, data dictionary and the data.json catalogue.
OPEN_DATA_LICENSE_NAME = env.str("OPEN_DATA_LICENSE_NAME", default="CC BY 4.0")
OPEN_DATA_LICENSE_URL = env.str("OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/")
# Who publishes the open data, and its contact: an institutional mailbox, never a person's own.
OPEN_DATA_PUBLISHER = env.str(
    "OPEN_DATA_PUBLISHER",
    default="Instituto Guatemalteco de Migración, Departamento de Estudios y Políticas Migratorias",
)
OPEN_DATA_CONTACT_NAME = env.str(
    "OPEN_DATA_CONTACT_NAME", default="Departamento de Estudios y Políticas Migratorias (DEPM)"
)
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="datos.abiertos@igm.gob.gt")

# --- E-mail ---------------------------------------------------------------
# Console by default; EMAIL_URL=smtp://user:pass@host:587 (or smtp+tls://…) for real mail.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SIME-PM <no-responder@igm.gob.gt>")

# --- Background work ------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Documents ------------------------------------------------------------
# Sections higher apps add to the Informe de monitoreo (sime.analytics.report_sections).
MONITORING_REPORT_SECTIONS = ["sime.evaluation.followup_report.monitoring_section"]

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sime.api.permissions.RulePermission"],
    # DRF's JSON, form and multipart parsers, dropping control characters from every string.
    "DEFAULT_PARSER_CLASSES": [
        "sime.api.parsers.JSONParser",
        "sime.api.parsers.FormParser",
        "sime.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "sime.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIME-PM API",
    "DESCRIPTION": "API del Sistema de Implementación, Monitoreo y Evaluación de la Política Migratoria.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["sime.api.permissions.RulePermission"],
    "COMPONENT_SPLIT_REQUEST": True,
    # `<id:pk>` (sime.core.ids.IdConverter) is an integer, as `<int:pk>`.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    # Swagger UI from the installed sidecar package: no CDN (intranet use).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "status": each choice set gets its own stable name.
    "ENUM_NAME_OVERRIDES": {
        "PeriodStatusEnum": "sime.reporting.models.PeriodStatus.choices",
        "SubmissionStatusEnum": "sime.reporting.workflow.Status.choices",
        "ActionStatusEnum": "sime.reporting.models.ActionStatus.choices",
        "ProgressStatusEnum": "sime.analytics.aggregation.ProgressStatus.choices",
        "EvaluationStatusEnum": "sime.evaluation.workflow.EvaluationStatus.choices",
        "ResponseStatusEnum": "sime.evaluation.workflow.ResponseStatus.choices",
        "ImprovementActionStatusEnum": "sime.evaluation.workflow.ActionStatus.choices",
    },
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
