"""Production settings: refuse to start without secrets; pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "liaison.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-check",
    "ALLOWED_HOSTS": "liaison.example.gov.cn",
    "DATABASE_URL": "postgres://liaison@127.0.0.1:5432/liaison",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, env):
    # The suite's own variables (test database, async-unsafe for the browser tests) stay out.
    skip = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {key: value for key, value in os.environ.items() if key not in skip}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
