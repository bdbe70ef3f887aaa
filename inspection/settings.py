"""Settings for Case File Examination.

Every value is read from the environment through the small helpers below and defaults to
something that runs locally with no services: SQLite and an embedded (filesystem) task
broker. Production differs only by environment (see README, "Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# The inspection that ships with the app, as data: create_inspection's and load_demo's defaults.
# The only place the application names those files; everything else reads the plan.
DEFAULT_PLAN_FILE = BASE_DIR / "sampling" / "data" / "stalking-2026-plan.yaml"
DEFAULT_QUESTION_SET_FILES = (  # every shipped version, oldest first; the last is used for new examinations
    BASE_DIR / "questionset" / "data" / "stalking-2026.yaml",
    BASE_DIR / "questionset" / "data" / "stalking-2026-v2.yaml",
)

DEVELOPMENT_SECRET_KEY = "local-development-key-not-for-production-use-0123456789"  # noqa: S105 - refused when HTTPS
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "security",
    "questionset",
    "casefiles",
    "sampling",
    "quality",
    "reports",
    "hub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "security.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.NoStoreMiddleware",
    "security.middleware.MarkDownloadsMiddleware",
    "security.audit.AuditMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.SessionTimeoutMiddleware",
    "quality.middleware.ExpiredTemporaryAccountMiddleware",
    "security.two_factor.TwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inspection.urls"
WSGI_APPLICATION = "inspection.wsgi.application"

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
                "accounts.context_processors.marking",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, for the test database too: a real Celery worker process in the
    # tests must see the rows the test wrote.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",  # ModelBackend reading permissions in one query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): a username after LOGIN_FAILURE_LIMIT
# failures from any addresses, and an address after as many failures at any usernames.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind TRUSTED_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For;
# with 0 (the default) the header is ignored, since anyone can send it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "security.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds gives GOV.UK classes to text, e-mail, password and textarea widgets only;
# number, date and plain file inputs would otherwise render unstyled.
CRISPY_CLASS_CONVERTERS = {"numberinput": "govuk-input", "dateinput": "govuk-input", "fileinput": "govuk-file-upload"}

# Protective marking shown on every page and every PDF.
PROTECTIVE_MARKING = env_str("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")

# HTTPS: behind TLS in production, the cookies are secure and HSTS is sent.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Sessions: signed out after SESSION_IDLE_MINUTES without a request (a page warns a few
# minutes before), and after SESSION_COOKIE_AGE seconds however active.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_IDLE_WARNING = env_int("SESSION_IDLE_WARNING_MINUTES", 5) * 60
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "security.views.csrf_failure"

# Content-Security-Policy (django-csp): scripts and styles from this site's files only —
# no inline script or style anywhere (templates are checked by tests/security/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production (HTTPS=true) refuses to start with the development key committed here.
if HTTPS and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("change-me")):  # or .env.example's
    raise ImproperlyConfigured("SECRET_KEY is the development key: set SECRET_KEY in the environment.")

# Two-factor sign-in (django-otp): required by default in production (HTTPS=true) for
# administrators, leads, QA leads and report writers; for inspectors too if asked.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", HTTPS)
TWO_FACTOR_FOR_INSPECTORS = env_bool("TWO_FACTOR_FOR_INSPECTORS", False)
TWO_FACTOR_PERMISSIONS = ["casefiles.lead_inspection", "casefiles.quality_assure", "reports.build_reports"]
TWO_FACTOR_INSPECTOR_PERMISSION = "casefiles.examine_files"
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Case File Examination")

# Bounds on uploaded sample frames (see sampling/frame.py).
FRAME_MAX_ROWS = env_int("FRAME_MAX_ROWS", 200_000)

# Celery. The default broker is kombu's filesystem transport: no server, but a real
# worker process consumes it, so report jobs behave as they do in production.
BROKER_DIR = Path(env_str("BROKER_DIR", str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The transport needs its folders before anyone publishes or consumes: web, worker and
    # commands all read these settings first, so they are made here, once.
    for _folder in {BROKER_DIR / "queue", BROKER_DIR / "processed", BROKER_DIR / "control"}:
        _folder.mkdir(parents=True, exist_ok=True)
else:
    # A task whose whole worker died comes back after this many seconds (Redis).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
        # Look for dead workers' unacknowledged messages every 10 s (kombu's default is ~100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A PDF build peaks near 840 MB (WeasyPrint holds the document): the child is replaced after one.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 600_000)
# A report job with no sign of life for this many seconds can be queued again.
REPORTS_STUCK_AFTER = env_int("REPORTS_STUCK_AFTER", 900)
# Quality assurance: a question is flagged for clearer guidance only on at least this many files.
QA_MIN_FILES_TO_FLAG = env_int("QA_MIN_FILES_TO_FLAG", 10)
# build_report (and a job whose parts are not tasks): PDF parts rendered at once, by this many
# child processes; 0: two, or one on a one-CPU machine.
REPORTS_PDF_PROCESSES = env_int("REPORTS_PDF_PROCESSES", 0)
# A PDF job's parts as Celery tasks of their own, for every worker to take (reports.services).
REPORTS_PDF_PARTS_AS_TASKS = env_bool("REPORTS_PDF_PARTS_AS_TASKS", True)
# PostgreSQL: memory the report's one count of every answer may use to group them (SET LOCAL
# work_mem, that query only). The planner expects about one group an answer, so with the default
# 4 MB it sorts them on disk; with this it groups them in memory (at 35,000 files about 100,000
# groups, some 20 MB). Empty: the server's own setting.
REPORTS_COUNT_WORK_MEM = env_str("REPORTS_COUNT_WORK_MEM", "256MB")
# Time per file: activity on an examination page less than this many minutes apart is one sitting.
ACTIVITY_IDLE_MINUTES = env_int("ACTIVITY_IDLE_MINUTES", 20)
# Publication copies of reports withhold counts below this (reports.disclosure); a request may raise it.
REPORTS_DISCLOSURE_THRESHOLD = env_int("REPORTS_DISCLOSURE_THRESHOLD", 5)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
