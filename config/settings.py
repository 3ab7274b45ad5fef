"""Closeloop settings, read from the environment (django-environ).

With no environment at all this runs on an embedded SQLite database and a
filesystem Celery broker, so a newcomer needs no services; DATABASE_URL and
CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-dev-key-only-for-a-laptop-never-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "casework.admin_site.SafeAdminConfig",  # django.contrib.admin, with its pages hardened
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "casework",
    "complaints",
    "proposals",
    "satisfaction",
    "sla",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "casework.context_processors.roles",
                "sla.context_processors.calendar_warning",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Keep connections between requests: a new PostgreSQL backend per request costs a fork and
# cold catalog caches (slower planning) on every page view.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing at once when the worker and the
    # web process write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
IMPORT_UPLOAD_DIR = VAR_DIR / "imports"  # files between preview and confirmation
MEDIA_ROOT = env.path("CLOSELOOP_MEDIA_ROOT", default=VAR_DIR / "media")

# Sessions read through the cache: one query fewer on every page view.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="closeloop@localhost")

# Attachments: what a service desk actually receives (photos, scans, office files).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "pdf", "doc", "docx", "xls", "xlsx", "txt"]

# Celery: Redis in production, kombu's filesystem transport on a laptop.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # acks_late: a task whose worker died goes back to the queue after this many seconds.
    else {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
if CELERY_BROKER_URL.startswith("filesystem"):
    # The filesystem transport has no broadcast exchange: no remote control on a laptop.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    for folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
        if isinstance(folder, str):
            Path(folder).mkdir(parents=True, exist_ok=True)
# Deadlines live in the database: a publish that fails is logged and redone by the next
# sweep, so do not let a dead broker hold a web request or a sweep for long.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

PAGE_SIZE = 25
REPORT_TREND_CACHE_SECONDS = env.int("REPORT_TREND_CACHE_SECONDS", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}


# SLA (SPEC §5). The cut-off and the warning point are business settings.
SLA_DAILY_CUTOFF = env("SLA_DAILY_CUTOFF", default="16:30:00")
SLA_WARNING_FRACTION = 0.8
# Fault injection for the worker-kill test only: seconds the sweep waits before committing.
SLA_SWEEP_PAUSE_SECONDS = env.float("SLA_SWEEP_PAUSE_SECONDS", default=0.0)
# Notifications whose task was lost (broker outage, killed worker) are re-sent after this.
SLA_REDELIVER_AFTER_SECONDS = env.int("SLA_REDELIVER_AFTER_SECONDS", default=120)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 5

CELERY_BEAT_SCHEDULE = {
    "sla-sweep-every-minute": {"task": "sla.tasks.sla_sweep_task", "schedule": 60.0},
    "monthly-report-on-the-1st": {
        "task": "reports.tasks.mail_last_months_report",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_IGNORE_RESULT = True
