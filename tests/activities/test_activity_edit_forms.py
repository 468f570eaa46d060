"""The activity edit form: saving it unchanged changes nothing (not even history), and a save over a
change made since the form was opened is refused, naming the change.

The values posted back are read from the page's HTML, as a browser would send them. (The budget
form is not an edit of a stored row: it opens blank and sets the budget of a station, year and
purpose, so it carries no version.)
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from liaison.models import Activity
from tests.activities.helpers import local, make_activity
from tests.form_html import post_form_data
from tests.liaison.test_edit_forms import refused, round_trip


def open_form(client, url):
    return post_form_data(client.get(url).content.decode(), containing="version")


@pytest.fixture
def activity(network):
    return make_activity(
        network,
        actor=network.users["officer"],
        title="代表进站接待",
        starts_at=local(2030, 5, 6, 9, 30),
        ends_at=local(2030, 5, 6, 11, 30),
        description="接待选民\n收集意见",
        planned_amount=Decimal("1280.50"),
    )


@pytest.mark.parametrize("role", ["county", "officer"])
def test_activity_form_round_trip(network, client_for, activity, role):
    url = reverse("activities:update", args=[activity.pk])
    data = round_trip(client_for(network.users[role]), url, activity)
    assert data["title"] == "代表进站接待" and data["starts_at"] == "2030-05-06T09:30"
    assert data["ends_at"] == "2030-05-06T11:30" and data["description"] == "接待选民\n收集意见"
    assert data["planned_amount"] == "1280.50"


def test_activity_form_round_trip_with_no_end_and_no_amount(network, client_for):
    activity = make_activity(network, actor=network.users["officer"], starts_at=local(2030, 5, 6, 14, 0))
    url = reverse("activities:update", args=[activity.pk])
    data = round_trip(client_for(network.users["officer"]), url, activity)
    assert data["ends_at"] == "" and data["planned_amount"] in ("0", "0.00")


def test_concurrent_activity_edits(network, client_for, activity):
    url = reverse("activities:update", args=[activity.pk])
    officer, county = network.users["officer"], network.users["county"]
    mine = open_form(client_for(officer), url)
    theirs = open_form(client_for(county), url)
    theirs["starts_at"], theirs["ends_at"] = "2030-05-07T09:30", "2030-05-07T11:30"
    assert client_for(county).post(url, theirs).status_code == 302
    mine["location"] = "村委会议室"
    page = refused(client_for(officer).post(url, mine), "2030-05-06 09:30", "2030-05-07 09:30")
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.starts_at, stored.location) == (local(2030, 5, 7, 9, 30), "镇政府三楼会议室")  # first wins
    # The form shown keeps the officer's edit and holds the newer times: saving it merges both.
    again = post_form_data(page, containing="version")
    assert (again["starts_at"], again["location"]) == ("2030-05-07T09:30", "村委会议室")
    assert client_for(officer).post(url, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.starts_at, stored.location) == (local(2030, 5, 7, 9, 30), "村委会议室")


def test_a_changed_amount_is_named_in_the_refusal(network, client_for, activity):
    url = reverse("activities:update", args=[activity.pk])
    officer, county = network.users["officer"], network.users["county"]
    mine = open_form(client_for(officer), url)
    theirs = open_form(client_for(county), url)
    theirs["planned_amount"] = "2000"
    assert client_for(county).post(url, theirs).status_code == 302
    mine["title"] = "代表集中接待"
    refused(client_for(officer).post(url, mine), "1280.50", "2000.00")
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.planned_amount, stored.title) == (Decimal("2000.00"), "代表进站接待")
