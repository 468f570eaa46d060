"""A real Celery worker, in a subprocess, killed with SIGKILL in the middle of an import.

Nothing is written (the apply is one transaction), the batch stays "importing" until the periodic
job marks it failed, and the uploader can then confirm it again.
"""

import datetime
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from liaison.celery_app import app
from representatives import tasks
from representatives.models import ImportBatch, Representative
from representatives.services import imports
from tests.representatives.import_helpers import rows, xlsx_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

# The worker writes 25 rows a chunk, each chunk a little slowly, so that the test can kill it mid-import.
WORKER = textwrap.dedent(
    """
    import time
    import django

    django.setup()
    from representatives.services import import_writing

    real_write_chunk = import_writing._write_chunk

    def slow_write_chunk(**kwargs):
        real_write_chunk(**kwargs)
        time.sleep(0.5)

    import_writing.WRITE_CHUNK = 25
    import_writing._write_chunk = slow_write_chunk
    from liaison.celery_app import app

    app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-mingle", "--without-gossip"])
    """
)


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_import_leaves_nothing_and_the_batch_can_be_confirmed_again(network):
    officer = network.users["officer"]
    batch = imports.import_upload(actor=officer, name="名册.xlsx", data=xlsx_bytes(rows(300)))
    app.control.purge()  # tasks other tests queued without a worker
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "liaison.settings.test"}
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env)
    try:
        imports.import_confirm(actor=officer, batch=batch)  # queued to Redis (on commit: at once here)
        assert wait_for(lambda: imports.get_progress(batch.pk)["done"] >= 50), "the worker never got going"
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)
    assert worker.returncode == -signal.SIGKILL

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED  # what a user saw for ever before
    assert not Representative.objects.exists()  # one transaction: rolled back with the connection

    # The periodic job, run later than the limit, marks it failed (once the dead session is gone).
    later = timezone.now() + imports.STUCK_AFTER + datetime.timedelta(minutes=1)
    assert wait_for(lambda: imports.import_batches_fail_stuck(now=later) == 1, seconds=30)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "导入中断" in batch.message or "interrupted" in batch.message
    assert batch.rows  # still staged: it can be imported again

    # The uploader confirms again; this time the import runs to its end.
    imports.import_confirm(actor=officer, batch=batch)
    assert tasks.import_apply(batch.pk) == ImportBatch.Status.DONE
    assert Representative.objects.count() == 300
    app.control.purge()  # the killed worker's message is not redelivered to a later test's worker
