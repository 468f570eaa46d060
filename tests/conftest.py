import pytest
from django.db import connection

from tests.factories import build_network


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end sessions other threads left open.

    The live server answers each browser request in a thread of its own; one still finishing a
    request (an htmx poll, a static file) when the last test ends would keep its connection, and
    PostgreSQL refuses to drop a database in use.
    """
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _import_check_in_process(request, monkeypatch):
    """An upload is read by the worker (representatives.tasks.import_check, queued on commit).

    Tests without a worker read it at once, in process; tests marked `worker` use a real one.
    """
    if request.node.get_closest_marker("worker"):
        return
    from representatives import tasks

    monkeypatch.setattr(tasks.import_check, "delay_on_commit", lambda batch_id: tasks.import_check(batch_id))
