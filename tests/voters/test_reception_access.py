"""Reception pages: (role, page) -> status. Another station's or another representative's day is a 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.voters.reception_helpers import make_day, rep_with_account
from voters.services import reception as services

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def pages(network):
    today = timezone.localdate()
    # The network's "representative" account holds the duty at station A; another one at station B.
    rep = rep_with_account(network, "", user=network.users["representative"])
    other = rep_with_account(network, "rep_b", station=network.station_b, name="李四")
    day_a = make_day(network.station_a, today, rep)
    day_b = make_day(network.station_b, today, other)
    duty_a = day_a.duties.get()
    services.calendar_feed_renew(actor=network.users["representative"])
    return {
        "calendar": reverse("voters:reception_calendar"),
        "schedule": reverse("voters:reception_schedule"),
        "schedule_a": reverse("voters:reception_schedule") + f"?station={network.station_a.pk}",
        "schedule_b": reverse("voters:reception_schedule") + f"?station={network.station_b.pk}",
        "mine": reverse("voters:reception_mine"),
        "waiting": reverse("voters:reception_list") + "?waiting=unconfirmed",
        "waiting_bad": reverse("voters:reception_list") + "?waiting=<script>&page=x",
        "visits": reverse("voters:visit_list"),
        "day_a": reverse("voters:reception_detail", args=[day_a.pk]),
        "day_b": reverse("voters:reception_detail", args=[day_b.pk]),
        "log_a": reverse("voters:reception_log", args=[day_a.pk]),
        "log_b": reverse("voters:reception_log", args=[day_b.pk]),
        "preferences": reverse("liaison:notification_preferences"),
        "_duty_a": duty_a,
        "_day_a": day_a,
        "_day_b": day_b,
    }


TABLE = {
    #              anon super county town  officer point rep  unit norole
    "calendar":    [302, 200, 200, 200, 200, 200, 200, 403, 403],
    "schedule":    [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "schedule_a":  [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "schedule_b":  [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "mine":        [302, 200, 200, 200, 200, 200, 200, 403, 403],
    "waiting":     [302, 200, 200, 200, 200, 200, 200, 403, 403],
    "waiting_bad": [302, 200, 200, 200, 200, 200, 200, 403, 403],
    "visits":      [302, 200, 200, 200, 200, 200, 200, 403, 403],
    "day_a":       [302, 200, 200, 200, 200, 404, 200, 403, 403],
    "day_b":       [302, 200, 200, 404, 404, 404, 404, 403, 403],
    "log_a":       [302, 200, 200, 200, 200, 404, 200, 403, 403],
    "log_b":       [302, 200, 200, 404, 404, 404, 404, 403, 403],
    "preferences": [302, 200, 200, 200, 200, 200, 200, 200, 200],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_page_status(network, pages, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(pages[page])
    assert response.status_code == expected


def test_a_representative_opening_another_representatives_day_gets_404(network, pages, client_for):
    client = client_for(network.users["representative"])
    assert client.get(pages["day_b"]).status_code == 404
    assert client.get(pages["log_b"]).status_code == 404
    assert client.post(reverse("voters:visit_draft", args=[pages["_day_b"].pk]), {"phone": "1"}).status_code == 404


def test_an_officer_opening_another_stations_day_gets_404(network, pages, client_for):
    client = client_for(network.users["officer"])
    assert client.get(pages["day_b"]).status_code == 404
    assert (
        client.post(reverse("voters:reception_cancel", args=[pages["_day_b"].pk]), {"reason": "x"}).status_code == 404
    )
    assert client.post(reverse("voters:reception_invite", args=[pages["_day_b"].pk]), {}).status_code == 404
    pages["_day_b"].refresh_from_db()
    assert pages["_day_b"].status == "planned"


def test_only_the_invited_representative_answers_a_duty(network, pages, client_for):
    url = reverse("voters:duty_respond", args=[pages["_duty_a"].pk])
    assert client_for(network.users["officer"]).post(url, {"answer": "confirm"}).status_code == 404
    response = client_for(network.users["representative"]).post(url, {"answer": "confirm"})
    assert response.status_code == 302
    pages["_duty_a"].refresh_from_db()
    assert pages["_duty_a"].status == "confirmed"


def test_a_representative_cannot_cancel_or_invite(network, pages, client_for):
    client = client_for(network.users["representative"])
    day = pages["_day_a"]
    assert client.post(reverse("voters:reception_cancel", args=[day.pk]), {"reason": "x"}).status_code == 403
    day.refresh_from_db()
    assert day.status == "planned"


def test_revoked_feed_and_unknown_token_are_404(network, pages, client):
    feed = services.calendar_feed_renew(actor=network.users["representative"])
    url = reverse("voters:reception_feed", args=[feed.token])
    assert client.get(url).status_code == 200
    services.calendar_feed_revoke(actor=network.users["representative"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("voters:reception_feed", args=["nope"])).status_code == 404


def test_crafted_months_and_ids_do_not_fail(network, pages, client_for):
    client = client_for(network.users["county"])
    for query in ["?month=2026-13", "?month=abc", "?month=99999-1", "?station=abc", "?station=999999999999999999999"]:
        assert client.get(pages["calendar"] + query).status_code == 200
    assert client.get(reverse("voters:reception_schedule") + "?station=x").status_code == 200
