import pytest

from tests.factories import build_network


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
