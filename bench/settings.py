"""Production settings for the page benchmark, served over plain HTTP on 127.0.0.1 by gunicorn.

Everything of production (DEBUG off, Redis cache, cached templates, WhiteNoise, the middleware)
except what needs TLS in front, and with the benchmark's own URLconf (the floor view lives only there).
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-3f9a1c")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from liaison.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# wrk speaks plain HTTP: the cookie is passed by hand, so it need not be Secure.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
