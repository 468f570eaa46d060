"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    # ours
    "liaison",
    "representatives",
    "voters",
    "suggestions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaison.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liaison.middleware.SessionTimeoutMiddleware",
    "liaison.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # AxesMiddleware must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

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
                "liaison.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared by web and worker processes: progress of long jobs, rate limits) -------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/1"),
    }
}

# The mobility report over several counties (a city, a province) is kept this long in the cache;
# the page says when it was counted and offers a recount. 0: always counted afresh.
MOBILITY_REPORT_CACHE_SECONDS = env.int("MOBILITY_REPORT_CACHE_SECONDS", default=300)

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "liaison.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "liaison:dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions: signed out after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# signing in at the latest (liaison.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60  # seconds
SESSION_COOKIE_AGE = env.int("SESSION_MAX_HOURS", default=12) * 60 * 60  # seconds
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-ratelimit: too many sign-in attempts from one address, or correction requests from one
# user, answer 429 with a page that says when to try again (liaison.site_views.ratelimited).
LOGIN_RATELIMIT = env("LOGIN_RATELIMIT", default="30/10m")
CORRECTION_RATELIMIT = env("CORRECTION_RATELIMIT", default="10/h")
# The public suggestion pages (per address): submitting the form, looking up codes that do not
# exist, wrong phone digits when rating (suggestions.views.public).
SUGGESTION_FORM_RATELIMIT = env("SUGGESTION_FORM_RATELIMIT", default="10/h")
SUGGESTION_TRACK_RATELIMIT = env("SUGGESTION_TRACK_RATELIMIT", default="20/h")
SUGGESTION_RATING_RATELIMIT = env("SUGGESTION_RATING_RATELIMIT", default="5/h")
# Handbook PDFs are laid out in the request (seconds of CPU each): per signed-in user.
HANDBOOK_PDF_RATELIMIT = env("HANDBOOK_PDF_RATELIMIT", default="30/h")
RATELIMIT_VIEW = "liaison.site_views.ratelimited"
# Behind a reverse proxy the client address is in a header, e.g. HTTP_X_REAL_IP.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

# The address voters reach the site at, for the QR posters (e.g. https://lianluozhan.example.gov.cn):
# staff may print posters from an internal address the public cannot open. Empty: the address the
# poster page was opened at.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="").rstrip("/")

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Scripts and style sheets only from our own static files: no inline <script>, no on* attributes
# (static/js/liaison.js handles data-print and data-confirm). Style attributes stay allowed for
# progress bars and the station tree's indentation; htmx's own <style> is off (see base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "liaison" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail and SMS -------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@liaison.local")
# The SMS gateway is outside the system: the default backend writes messages to the log.
SMS_BACKEND = env("SMS_BACKEND", default="liaison.sms.LoggingSmsBackend")

# The 1+M+N grid (seed 001, 紧水滩镇): how many township representatives a county representative
# links, and how many households a township representative is linked to (inclusive ranges).
GRID_RANGES = {
    "township_per_county": (
        env.int("GRID_TOWNSHIP_PER_COUNTY_MIN", default=3),
        env.int("GRID_TOWNSHIP_PER_COUNTY_MAX", default=5),
    ),
    "households_per_township": (
        env.int("GRID_HOUSEHOLDS_PER_TOWNSHIP_MIN", default=10),
        env.int("GRID_HOUSEHOLDS_PER_TOWNSHIP_MAX", default=20),
    ),
}

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work lives in code so that it is reviewed with the code and shown to staff.
CELERY_BEAT_SCHEDULE = {
    # The half-yearly refresh of the mobile register opens on 1 January and 1 July.
    "register-refresh-open": {
        "task": "representatives.tasks.register_refresh_open_due",
        "schedule": crontab(minute=5, hour=0, day_of_month=1, month_of_year="1,7"),
    },
    # Weekly reminders to whoever still has open confirmations.
    "register-refresh-remind": {
        "task": "representatives.tasks.register_refresh_remind",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
    },
    # Staged roster uploads hold personal data: cleared 30 days after upload.
    "roster-import-purge": {
        "task": "representatives.tasks.import_batches_purge",
        "schedule": crontab(minute=30, hour=3),
    },
    # Representatives' activities: notices when announced and the day before (seed 003).
    "activity-notices": {
        "task": "liaison.activities.tasks.activity_notices",
        "schedule": crontab(minute=15),
    },
    # Fewer than two activities last quarter: the representative and their officer are told.
    "activity-duty-check": {
        "task": "liaison.activities.tasks.activity_duty_check",
        "schedule": crontab(minute=0, hour=8, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # An import whose worker died stays "importing": marked failed (nothing was written) to be retried.
    "roster-import-fail-stuck": {
        "task": "representatives.tasks.import_batches_fail_stuck",
        "schedule": crontab(minute="*/10"),
    },
    # Early January: the past year's annual evaluation drafts (points, ranks); published ones stay frozen.
    "annual-evaluation-draft": {
        "task": "representatives.tasks.annual_evaluation_draft",
        "schedule": crontab(minute=30, hour=2, day_of_month=2, month_of_year=1),
    },
    # Reception days: reminders 3 days and 1 day ahead (local days) and unconfirmed-duty alerts.
    "reception-reminders": {
        "task": "voters.tasks.reception_reminders",
        "schedule": crontab(minute=7),
    },
    # The public notice of a reception day goes out N days ahead (default 3).
    "reception-notices-publish": {
        "task": "voters.tasks.reception_notices_publish",
        "schedule": crontab(minute=2),
    },
    # Suggestions: units reminded 7, 3 and 1 days before a deadline; overdue items in one digest
    # per township and county staff member (once a day: keyed by the date).
    "suggestions-deadline-watch": {
        "task": "suggestions.tasks.deadline_watch",
        "schedule": crontab(minute=30, hour=7),
    },
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
