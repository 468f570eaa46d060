"""The one-command demo runs on SQLite: WAL, a busy timeout, and an import that others can work beside.

Run in a subprocess with the demo's settings (liaison.settings.local) on a fresh SQLite file: the
suite's own database is PostgreSQL.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json
    import threading
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        busy = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    result = {"journal_mode": mode, "busy_timeout": busy, "transaction_mode": connection.transaction_mode}

    from representatives import tasks
    from representatives.models import ImportBatch
    from representatives.services import imports, import_writing
    from tests.factories import build_network
    from tests.representatives.import_helpers import rows, xlsx_bytes

    network = build_network()
    officer, other = network.users["officer"], network.users["township"]
    tasks.import_apply.delay_on_commit = lambda *args: None  # applied below, in a thread
    batch = imports.import_upload(actor=officer, name="demo.xlsx", data=xlsx_bytes(rows(600)))
    imports.import_confirm(actor=officer, batch=batch)

    real_write_chunk = import_writing._write_chunk

    def slow_write_chunk(**kwargs):
        real_write_chunk(**kwargs)
        time.sleep(0.3)

    import_writing._write_chunk = slow_write_chunk
    finished = threading.Event()

    def worker():
        try:
            import_writing.import_apply(batch_id=batch.pk)
        finally:
            connection.close()
            finished.set()

    threading.Thread(target=worker).start()
    errors, polls, sign_ins, seen = [], 0, 0, set()
    poller = Client()
    poller.force_login(officer)
    url = f"/representatives/import/{batch.pk}/progress/"
    while not finished.is_set():
        try:
            response = poller.get(url, headers={"HX-Request": "true"})
            polls += 1
            if response.status_code not in (200, 204):
                errors.append(f"progress answered {response.status_code}")
            seen.add(imports.get_progress(batch.pk)["done"])
            Client().force_login(other)  # someone else signs in: a write (session, last login)
            sign_ins += 1
        except OperationalError as exc:
            errors.append(str(exc))
        time.sleep(0.05)
    batch.refresh_from_db()
    result.update(
        errors=errors, polls=polls, sign_ins=sign_ins, progress_seen=sorted(seen), status=batch.status,
        imported=batch.counts.get("new"),
    )
    print("RESULT " + json.dumps(result))
    """
)


def test_the_demo_database_uses_wal_a_busy_timeout_and_lets_others_work_during_an_import(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "false",
    }
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(lines[0][len("RESULT ") :])
    assert result["journal_mode"] == "wal"
    assert result["busy_timeout"] >= 5000
    assert result["transaction_mode"] == "IMMEDIATE"
    assert result["errors"] == []
    assert result["polls"] > 1 and result["sign_ins"] > 1, json.dumps(result)
    assert len(result["progress_seen"]) > 2  # the progress moved while we watched
    assert (result["status"], result["imported"]) == ("done", 600)
