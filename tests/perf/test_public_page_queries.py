"""The public station page and representative card issue the same number of queries however many
representatives, reception days, duty representatives and published answers there are; so do the
posters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.public import selectors as public_selectors
from representatives.models import PointsPublication
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative
from tests.suggestions.review_helpers import (
    answer,
    assign,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)
from tests.voters.reception_helpers import make_day
from voters.models import ReceptionDay

pytestmark = pytest.mark.usefixtures("reference_data")


def add(network, how_many, *, start=0, also=()):
    """Representatives of station A, each on duty at an announced reception day, and answers."""
    reps = []
    for i in range(start, start + how_many):
        rep = make_representative(network, name=f"代表{i}", level="county" if i % 2 else "township")
        reps.append(rep)
        day = make_day(network.station_a, timezone.localdate() + datetime.timedelta(days=i + 1), rep, *also)
        ReceptionDay.objects.filter(pk=day.pk).update(notice_published_at=timezone.now())
        s = make_suggestion(network.station_a, title=f"事项{i}", publish_consent=True)
        answer(assign(s, network.unit), answered=3)
    return reps


def test_station_page_queries_do_not_grow(network, client, monkeypatch):
    monkeypatch.setattr(public_selectors, "REPRESENTATIVES_SHOWN", 5)  # cross the cap on the list
    add(network, 1)
    url = reverse("public:station", args=["a"])
    few, _ = count_queries(client, url)
    add(network, 12, start=1)
    many, response = count_queries(client, url)
    assert len(response.context["page"].representatives) == 5
    assert response.context["page"].representative_count == 13
    assert len(response.context["page"].days) == 5
    assert many == few


def test_representative_card_queries_do_not_grow(network, client):
    PointsPublication.objects.create(county=network.county, quarterly_points_public=True)
    first = add(network, 1)[0]
    url = reverse("public:representative", args=[first.pk])
    few, _ = count_queries(client, url)
    add(network, 8, start=1, also=[first])  # the first representative is on duty every day
    many, response = count_queries(client, url)
    assert len(response.context["card"].duties) == 5
    assert many == few


def test_poster_queries_do_not_grow(network, client_for):
    client = client_for(network.users["officer"])
    rep = add(network, 1)[0]
    urls = [
        reverse("public:station_poster", args=[network.station_a.pk]),
        reverse("public:representative_poster", args=[rep.pk]),
    ]
    few = [count_queries(client, url)[0] for url in urls]
    add(network, 8, start=1, also=[rep])
    assert [count_queries(client, url)[0] for url in urls] == few
