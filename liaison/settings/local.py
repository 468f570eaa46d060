"""The one-command demo: embedded SQLite, a local Celery worker over a filesystem broker.

Nothing here needs a server: `make run` works on a machine with only Python.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

# The demo runs like production, with DEBUG off: error pages in the site's layout, static files
# through WhiteNoise. Developers start it with `DEBUG=1 make run` for Django's technical pages.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="demo-only-not-secret-7c1f2a9b4e")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "0.0.0.0"])

# A broker without a server: kombu's filesystem transport, shared by runserver and the worker.
_BROKER_DIR = BASE_DIR / ".demo" / "broker"
CELERY_BROKER_URL = env("REDIS_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    for sub in ("out", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "out"),
        "data_folder_out": str(_BROKER_DIR / "out"),
        "data_folder_processed": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
    }
# Without Redis the web server and the worker share a file-based cache.
if CELERY_BROKER_URL == "filesystem://":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / ".demo" / "cache"),
        }
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".demo" / "celerybeat-schedule")

# SQLite serves the web server and the worker at once: in WAL mode readers (the progress poll, every
# page) never wait for a writer, a writer waits its turn (busy timeout) instead of failing with
# "database is locked", and transactions take the write lock when they begin (IMMEDIATE), so two
# writers queue up rather than deadlock. The roster import commits in batches on SQLite (see
# representatives.services.import_writing) so that other people's saves are never held for long.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )

# Static files are served by WhiteNoise from the source folders; the demo needs no collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# SQLite cannot enforce "unique with NULLs not distinct"; PostgreSQL (production, tests) does.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
