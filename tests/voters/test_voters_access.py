"""Voter, household and grid pages: (role, page) -> status. Another township's voter, household,
grid or representative is a 404."""

import pytest
from django.urls import reverse

from tests.representatives.factories import make_representative
from tests.voters.factories import make_household, make_voter

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def objects(network):
    return {
        "voter_a": make_voter(network, name="甲选民"),
        "voter_b": make_voter(network, name="乙选民", station=network.station_b),
        "household_a": make_household(network),
        "household_b": make_household(network, station=network.station_b),
        "rep_a": make_representative(network, name="甲代表"),
        "rep_b": make_representative(network, name="乙代表", station=network.station_b),
    }


def page_url(network, objects, page):
    pk = {name: obj.pk for name, obj in objects.items()}
    return {
        "voter_list": reverse("voters:voter_list"),
        "voter_export": reverse("voters:voter_export"),
        "voter_create": reverse("voters:voter_create"),
        "voter_detail_a": reverse("voters:voter_detail", args=[pk["voter_a"]]),
        "voter_edit_a": reverse("voters:voter_update", args=[pk["voter_a"]]),
        "voter_detail_b": reverse("voters:voter_detail", args=[pk["voter_b"]]),
        "voter_edit_b": reverse("voters:voter_update", args=[pk["voter_b"]]),
        "household_list": reverse("voters:household_list"),
        "household_create": reverse("voters:household_create"),
        "household_search": reverse("liaison:search_households") + "?q=张",
        "household_detail_a": reverse("voters:household_detail", args=[pk["household_a"]]),
        "household_edit_a": reverse("voters:household_update", args=[pk["household_a"]]),
        "household_detail_b": reverse("voters:household_detail", args=[pk["household_b"]]),
        "household_edit_b": reverse("voters:household_update", args=[pk["household_b"]]),
        "grid_coverage": reverse("voters:grid_coverage"),
        "grid_township_a": reverse("voters:grid_township", args=[network.township_a.pk]),
        "grid_township_b": reverse("voters:grid_township", args=[network.township_b.pk]),
        "grid_rep_a": reverse("voters:grid_representative", args=[pk["rep_a"]]),
        "grid_rep_b": reverse("voters:grid_representative", args=[pk["rep_b"]]),
        "rep_search": reverse("liaison:search_representatives") + "?q=代表&scope=grid",
        "visit_list": reverse("voters:grid_visit_list"),
        "visit_create": reverse("voters:grid_visit_create"),
    }[page]


ALL_STAFF = [302, 200, 200, 200, 200, 200, 403, 403, 403]
A_ONLY = [302, 200, 200, 200, 200, 404, 403, 403, 403]
COUNTY_ONLY = [302, 200, 200, 404, 404, 404, 403, 403, 403]

TABLE = {
    #                     anon super county town officer point rep unit norole
    "voter_list":         ALL_STAFF,
    "voter_export":       ALL_STAFF,
    "voter_create":       ALL_STAFF,
    "voter_detail_a":     A_ONLY,
    "voter_edit_a":       A_ONLY,
    "voter_detail_b":     COUNTY_ONLY,
    "voter_edit_b":       COUNTY_ONLY,
    "household_list":     ALL_STAFF,
    "household_create":   ALL_STAFF,
    "household_search":   ALL_STAFF,
    "household_detail_a": A_ONLY,
    "household_edit_a":   A_ONLY,
    "household_detail_b": COUNTY_ONLY,
    "household_edit_b":   COUNTY_ONLY,
    "grid_coverage":      ALL_STAFF,
    # A point officer sees the grid of their township (scoped to what they keep).
    "grid_township_a":    ALL_STAFF,
    "grid_township_b":    COUNTY_ONLY,
    "grid_rep_a":         A_ONLY,
    "grid_rep_b":         COUNTY_ONLY,
    "rep_search":         ALL_STAFF,
    "visit_list":         ALL_STAFF,
    "visit_create":       ALL_STAFF,
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_voters_role_page_status(network, objects, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    assert client_for(user).get(page_url(network, objects, page)).status_code == expected


def test_a_township_officer_cannot_change_another_townships_voter_or_household(network, objects, client_for):
    client = client_for(network.users["officer"])
    voter_b, household_b = objects["voter_b"], objects["household_b"]
    response = client.post(
        reverse("voters:voter_update", args=[voter_b.pk]),
        {"name": "改名", "phone": voter_b.phone, "station": network.station_a.pk},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("voters:household_update", args=[household_b.pk]),
        {"head_name": "改名", "address": "x", "station": network.station_a.pk, "division": network.village_a.pk},
    )
    assert response.status_code == 404
    voter_b.refresh_from_db()
    household_b.refresh_from_db()
    assert voter_b.name == "乙选民"
    assert household_b.head_name == "张大明"


def test_search_endpoints_answer_only_within_scope(network, objects, client_for):
    client = client_for(network.users["officer"])
    html = client.get(reverse("liaison:search_representatives"), {"q": "代表", "scope": "grid"}).content.decode()
    assert "甲代表" in html and "乙代表" not in html
    household_b = objects["household_b"]
    html = client.get(reverse("liaison:search_households"), {"q": household_b.address}).content.decode()
    assert f'value="{household_b.pk}"' not in html


def test_a_grid_link_of_another_township_cannot_be_removed(network, objects, client_for):
    from voters.services import grid

    county = network.users["county"]
    grid.household_link_add(actor=county, representative=objects["rep_b"], household=objects["household_b"])
    link = objects["household_b"].grid_link
    client = client_for(network.users["officer"])
    response = client.post(reverse("voters:grid_representative", args=[objects["rep_a"].pk]), {"remove": link.pk})
    assert response.status_code == 404
    response = client.post(reverse("voters:grid_representative", args=[objects["rep_b"].pk]), {"remove": link.pk})
    assert response.status_code == 404
    assert type(link).objects.filter(pk=link.pk).exists()
