"""Public pages keep a constant number of queries: the tracking page however long the timeline,
a station's published answers however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions.models import Transition
from tests.suggestions.review_helpers import (
    answer,
    assign,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_tracking_page(network, client):
    s = make_suggestion(network.station_a)
    a = assign(s, network.unit)
    url = reverse("suggestions:public_track_detail", args=[s.code])
    few = count(client, url)
    answer(a, answered=3)
    for i in range(10):
        Transition.objects.create(
            suggestion=s, action="co_opinion", from_status="assigned", to_status="assigned", note=f"{i}"
        )
    assert count(client, url) == few


def test_published_answers(network, client):
    def publish(n):
        for i in range(n):
            s = make_suggestion(network.station_a, title=f"事项{i}", publish_consent=True)
            answer(assign(s, network.unit), answered=3)

    url = reverse("suggestions:public_answers", args=["a"])
    publish(1)
    few = count(client, url)
    publish(12)
    assert count(client, url) == few
