"""The test suite: PostgreSQL and Redis are real and required (`make test` starts both)."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-secret"
DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL")}
CELERY_BROKER_URL = env("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "liaison.sms.OutboxSmsBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 3
# Static files are served from the source folders (no collectstatic in the suite).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The suite signs in hundreds of times from 127.0.0.1: rate limits are on only in their own tests.
RATELIMIT_ENABLE = False
# Reports are counted afresh in the suite (the cache is Redis, shared by every test); the cache's
# own test turns it on.
MOBILITY_REPORT_CACHE_SECONDS = 0
