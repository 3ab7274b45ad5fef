"""Closeloop settings, read from the environment (django-environ).

With no environment at all this runs on an embedded SQLite database and a
filesystem Celery broker, so a newcomer needs no services; DATABASE_URL and
CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Production unless told otherwise: a web server (config.wsgi) without DJANGO_SECRET_KEY refuses to
# start. On a laptop — `make run`, `make test`, or `manage.py` with neither a key nor DJANGO_DEBUG
# set (manage.py says so with CLOSELOOP_MANAGE_PY) — it runs in development with a throwaway key.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    laptop_command = env.bool("CLOSELOOP_MANAGE_PY", default=False) and "DJANGO_DEBUG" not in env
    if not (DEBUG or laptop_command):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true on a laptop).")
    DEBUG = True
    SECRET_KEY = "insecure-dev-key-only-for-a-laptop-never-in-production-0123456789"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets the app's page in the visitor's language, not Django's English one.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# HTTPS. On by default in production; a deployment behind plain HTTP (a test rig) turns them off.
# Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Only asks to be preloaded; a site joins browsers' preload lists when someone submits it.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
_proxy_header = env.tuple("DJANGO_SECURE_PROXY_SSL_HEADER", default=())
SECURE_PROXY_SSL_HEADER = _proxy_header if len(_proxy_header) == 2 else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
# Pages carry no inline script or style: anything injected into a page cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF, "data:"],
        "object-src": [NONE], "base-uri": [SELF], "form-action": [SELF], "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    "casework.admin_site.SafeAdminConfig",  # django.contrib.admin, with its pages hardened
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "csp",
    "axes",
    "casework",
    "complaints",
    "proposals",
    "satisfaction",
    "sla",
    "workflow",
    "reports",
    "portal",
    "captcha",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A 405 gets the app's page (Django has no handler405); inside CSP so the page gets its header.
    "config.middleware.NotAllowedPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# Labels and inputs written in Python with the markup of Django's templates, a third of a queue's time.
FORM_RENDERER = "casework.form_rendering.PlainFormRenderer"

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
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
# Files between preview and confirmation. The preview may be on one web server and its
# confirmation on another, and a worker removes the expired ones: with servers on several
# machines this must be a folder they all share (like CLOSELOOP_MEDIA_ROOT).
IMPORT_UPLOAD_DIR = env.path("CLOSELOOP_IMPORT_DIR", default=VAR_DIR / "imports")
# Our resources escape formulas themselves (casework.tabular.spreadsheet_safe); this catches a
# leading "=" in any admin export that forgets to.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# An unconfirmed import file holds personal data: removed after this (beat: import-files-sweep).
IMPORT_STASH_MAX_AGE_SECONDS = env.int("IMPORT_STASH_MAX_AGE_SECONDS", default=3600)
# Import files larger than this are checked and written by a worker, followed on the job's page.
IMPORT_BACKGROUND_FROM_BYTES = env.int("IMPORT_BACKGROUND_FROM_BYTES", default=1024 * 1024)
MEDIA_ROOT = env.path("CLOSELOOP_MEDIA_ROOT", default=VAR_DIR / "media")

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")

# One cache shared by every web server and worker: a session ended by logout on one server, or a
# figure refreshed on one, is the same everywhere. Redis when there is one (CACHE_URL, or the
# Celery broker's Redis), else a table in the database — never a per-process memory cache.
_shared_cache_default = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "dbcache://closeloop_cache"
CACHES = {"default": env.cache("CACHE_URL", default=_shared_cache_default)}
CACHES["default"].setdefault("KEY_PREFIX", "closeloop")
# Through Redis, sessions are read from the cache (one query fewer a page); with the database
# cache that would be a query anyway, so they live in the session table alone.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db"
                  if CACHES["default"]["BACKEND"].endswith("RedisCache")
                  else "django.contrib.sessions.backends.db")
# Idle timeout: a desk PC left logged in is logged out after this many seconds without a request
# (renewed by config.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)

# django-axes first: it refuses a locked-out user name or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes), on /login/ and /admin/login/ alike. The user name and the
# client address are counted separately: guessing one person's password from many addresses
# locks that user name, trying many user names from one address locks that address. Failed
# attempts count within the cool-off and each failure during a lock-out restarts it; an
# administrator lifts a lock-out in the admin ("Access attempts") or with `manage.py axes_reset`.
# A successful log-in does not clear the count (AXES_RESET_ON_SUCCESS stays off): otherwise
# anyone with an account could wipe their address's count between guesses at someone else's.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=20))
AXES_LOCKOUT_CALLABLE = "casework.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "casework.login_throttle.client_address"
AXES_USERNAME_CALLABLE = "casework.login_throttle.client_username"
# How many reverse proxies of our own stand in front of Django. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can write it). N: the address the outermost of our proxies
# saw, which it appended to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# The SMTP server (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): every worker, on
# whichever machine, mails through the same one rather than through a relay of its own.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# A mail server that stops answering fails the message (retried later) instead of holding a worker,
# and the message's claimed row, for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="closeloop@localhost")

# The customer's portal (/portal/): the system user that registers its cases (made on first use,
# no usable password), its files, and its flood limits (django-ratelimit, "count/period").
PORTAL_USER = env("PORTAL_USER", default="portal")
# The portal's CAPTCHA (django-simple-captcha): four letters drawn on the server. CAPTCHA_TEST_MODE
# (tests only) accepts the word "passed".
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)
PORTAL_MAX_FILES = 3
PORTAL_RATE_PER_ADDRESS = env("PORTAL_RATE_PER_ADDRESS", default="5/10m")
PORTAL_RATE_PER_PHONE = env("PORTAL_RATE_PER_PHONE", default="3/h")
PORTAL_TRACK_RATE = env("PORTAL_TRACK_RATE", default="10/10m")  # case lookups per address

# Intake: the desk's customer lookup as a phone number is typed (per person), and how many days old
# a time received may be before the agent is asked to confirm it (a slip of the date picker).
CUSTOMER_LOOKUP_RATE = env("CUSTOMER_LOOKUP_RATE", default="60/m")
INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS = env.int("INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS", default=7)

# Attachments: what a service desk actually receives (photos, scans, office files).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "pdf", "doc", "docx", "xls", "xlsx", "txt"]

# Celery: Redis in production, kombu's filesystem transport on a laptop (CELERY_BROKER_URL above).
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
    # Request lines and paths carry what people searched for: no phone numbers in the logs.
    "filters": {"mask_long_digits": {"()": "config.log_filters.MaskLongDigits"}},
    "formatters": {
        # Django's own runserver format, restated because configuring the logger replaces its handler.
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                          "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        # Everything reaches the console once, through the root logger (Django's default config
        # also gives "django" a console handler of its own under DEBUG: every line twice).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False,
                          "filters": ["mask_long_digits"]},
        "django.request": {"filters": ["mask_long_digits"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}


# SLA (SPEC §5). The cut-off and the warning point are business settings.
# Dates a person or a file may enter start here (casework/date_bounds.py).
CASE_EARLIEST_DATE = env("CASE_EARLIEST_DATE", default="2000-01-01")
SLA_DAILY_CUTOFF = env("SLA_DAILY_CUTOFF", default="16:30:00")
SLA_WARNING_FRACTION = 0.8
# Fault injection for the integration tests only: seconds the sweep waits before committing
# (a worker killed meanwhile; other sweeps racing it).
SLA_SWEEP_PAUSE_SECONDS = env.float("SLA_SWEEP_PAUSE_SECONDS", default=0.0)
# Notifications whose task was lost (broker outage, killed worker) are re-sent after this.
SLA_REDELIVER_AFTER_SECONDS = env.int("SLA_REDELIVER_AFTER_SECONDS", default=120)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 5

# Satisfaction surveys: how long a customer's one-time link works after it is sent (or re-sent).
SURVEY_LINK_VALID_DAYS = env.int("SURVEY_LINK_VALID_DAYS", default=30)
# The special survey (seed 002 第十二条 专项调查) after a major complaint uses the latest version of
# this questionnaire (by name), or of the newest questionnaire when empty or not found.
SURVEY_SPECIAL_TEMPLATE = env.str("SURVEY_SPECIAL_TEMPLATE", default="")
# Also a special survey after every closed complaint, not only major ones (off: the seed asks for
# the major ones; some departments survey every complaint).
SURVEY_AFTER_CLOSED_COMPLAINT = env.bool("SURVEY_AFTER_CLOSED_COMPLAINT", default=False)
# How that survey asks: "phone" (planned, for the desk to call) or "link" (an e-mail questionnaire,
# sent at once: its one-time link goes in the complaint's closure message, by e-mail and SMS).
SURVEY_AFTER_CLOSED_COMPLAINT_METHOD = env.str("SURVEY_AFTER_CLOSED_COMPLAINT_METHOD", default="phone")
if SURVEY_AFTER_CLOSED_COMPLAINT_METHOD not in ("phone", "link"):
    raise ImproperlyConfigured("SURVEY_AFTER_CLOSED_COMPLAINT_METHOD is phone or link.")
# A special survey (after a complaint) has no campaign to say how long the customer has to answer.
SURVEY_SPECIAL_ANSWER_WITHIN_DAYS = env.int("SURVEY_SPECIAL_ANSWER_WITHIN_DAYS", default=14)
# The address customers' links start with (the one-time survey link is /s/<token>/ under it).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The class that hands text messages to an SMS gateway (satisfaction/sms.py); the default only logs.
SMS_SENDER = env("SMS_SENDER", default="satisfaction.sms.LogSmsSender")
# A message to a customer that failed this many times stays in the outbox, shown as failed.
CUSTOMER_MESSAGE_MAX_ATTEMPTS = 5

# How often beat starts a sweep. A minute is as exact as a deadline needs; the scale-out test
# shortens it to see many sweeps race in a few seconds.
SLA_SWEEP_INTERVAL_SECONDS = env.float("SLA_SWEEP_INTERVAL_SECONDS", default=60.0)

CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "sla.tasks.sla_sweep_task", "schedule": SLA_SWEEP_INTERVAL_SECONDS},
    "monthly-report-on-the-1st": {
        "task": "reports.tasks.mail_last_months_report",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
    "import-files-sweep": {"task": "casework.tasks.remove_expired_import_files", "schedule": 600.0},
    "surveys-expire": {"task": "satisfaction.tasks.surveys_expire", "schedule": 300.0},
    # Messages to customers whose task was lost (broker away, worker killed) go out on the next run.
    "customer-messages": {"task": "satisfaction.tasks.send_customer_messages", "schedule": 300.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_IGNORE_RESULT = True
