"""The voter and household edit forms: saving one unchanged changes nothing (not even history), and
a save over a change made since the form was opened is refused, naming the change.

The values posted back are read from the page's HTML, as a browser would send them.
"""

import pytest
from django.urls import reverse

from tests.form_html import post_form_data
from tests.liaison.test_edit_forms import refused, round_trip
from tests.voters.factories import make_household, make_voter
from voters.models import Household, Voter


def open_form(client, url):
    return post_form_data(client.get(url).content.decode(), containing="version")


@pytest.fixture
def household(network):
    return make_household(network, actor=network.users["officer"], head_name="张大明", note="独居老人 每月探访")


@pytest.fixture
def voter(network, household):
    return make_voter(
        network,
        actor=network.users["officer"],
        name="李秀英",
        division=network.village_a,
        household=household,
        note="腿脚不便 请上门",
    )


@pytest.mark.parametrize("role", ["county", "officer"])
def test_voter_form_round_trip(network, client_for, voter, role):
    data = round_trip(client_for(network.users[role]), reverse("voters:voter_update", args=[voter.pk]), voter)
    assert data["name"] == "李秀英" and data["phone"] == voter.phone
    assert data["household"] == str(voter.household_id) and data["division"] == str(network.village_a.pk)
    assert data["consents_to_contact"] == "on" and data["note"] == "腿脚不便 请上门"


def test_voter_form_round_trip_without_consent_or_household(network, client_for):
    voter = make_voter(network, actor=network.users["officer"], consents_to_contact=False, address="")
    url = reverse("voters:voter_update", args=[voter.pk])
    data = round_trip(client_for(network.users["officer"]), url, voter)
    assert "consents_to_contact" not in data and not data.get("household")


@pytest.mark.parametrize("role", ["county", "officer"])
def test_household_form_round_trip(network, client_for, household, role):
    url = reverse("voters:household_update", args=[household.pk])
    data = round_trip(client_for(network.users[role]), url, household)
    assert data["head_name"] == "张大明" and data["member_count"] == "3"
    assert data["note"] == "独居老人 每月探访"


def test_concurrent_voter_edits(network, client_for, voter):
    url = reverse("voters:voter_update", args=[voter.pk])
    officer, county = network.users["officer"], network.users["county"]
    county.full_name = "县级干部王五"
    county.save()
    mine = open_form(client_for(officer), url)
    theirs = open_form(client_for(county), url)
    theirs["address"] = "幸福路 9 号"
    assert client_for(county).post(url, theirs).status_code == 302
    mine["note"] = "已搬家"
    page = refused(client_for(officer).post(url, mine), "县级干部王五", "幸福路 8 号", "幸福路 9 号")
    stored = Voter.objects.get(pk=voter.pk)
    assert (stored.address, stored.note) == ("幸福路 9 号", "腿脚不便 请上门")  # the first change survives
    # The form shown keeps the officer's edit and holds the newer address: saving it merges both.
    again = post_form_data(page, containing="version")
    assert (again["address"], again["note"]) == ("幸福路 9 号", "已搬家")
    assert client_for(officer).post(url, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.address, stored.note) == ("幸福路 9 号", "已搬家")


def test_concurrent_household_edits(network, client_for, household):
    url = reverse("voters:household_update", args=[household.pk])
    officer, county = network.users["officer"], network.users["county"]
    mine = open_form(client_for(officer), url)
    theirs = open_form(client_for(county), url)
    theirs["member_count"] = "5"
    assert client_for(county).post(url, theirs).status_code == 302
    mine["head_name"] = "张小明"
    response = client_for(officer).post(url, mine)
    page = refused(response, "张小明")  # the conflict message, and the form keeps my edit
    assert post_form_data(page, containing="version")["member_count"] == "5"
    stored = Household.objects.get(pk=household.pk)
    assert (stored.member_count, stored.head_name) == (5, "张大明")


def test_a_damaged_version_is_refused(network, client_for, voter):
    url = reverse("voters:voter_update", args=[voter.pk])
    client = client_for(network.users["officer"])
    data = open_form(client, url)
    data["version"] = "tampered"
    data["note"] = "改了"
    response = client.post(url, data)
    assert response.status_code == 200 and "打开" in response.content.decode()
    assert Voter.objects.get(pk=voter.pk).note == "腿脚不便 请上门"
