"""Staff and intake pages of suggestions: (role, page) -> status. Another station's suggestion is
a 404; a handling unit gets 403 on staff pages; anonymous users go to the login page."""

import pytest
from django.urls import reverse

from tests.suggestions.staff_helpers import make_proposal, make_suggestion, own_rep
from tests.voters.reception_helpers import rep_with_account

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def pages(network):
    rep = own_rep(network)
    other_rep = rep_with_account(network, "rep_b", station=network.station_b, name="李四")
    at_a = make_suggestion(network)
    at_b = make_suggestion(network, station=network.station_b)
    own = make_proposal(network, rep)
    other_proposal = make_proposal(network, other_rep)
    return {
        "list": reverse("suggestions:list"),
        "list_filtered": reverse("suggestions:list") + "?status=bogus&station=x&overdue=maybe&page=9999",
        "create": reverse("suggestions:staff_create"),
        "detail_a": reverse("suggestions:detail", args=[at_a.pk]),
        "detail_b": reverse("suggestions:detail", args=[at_b.pk]),
        "detail_own": reverse("suggestions:detail", args=[own.pk]),
        "detail_other_rep": reverse("suggestions:detail", args=[other_proposal.pk]),
        "merge_search": reverse("suggestions:staff_merge_search") + "?q=道路",
        "station_search": reverse("suggestions:staff_station_search") + "?q=甲",
        "unit_search": reverse("suggestions:staff_unit_search") + "?q=住建",
        "voter_search": reverse("suggestions:staff_voter_search") + "?q=张",
        "mine": reverse("suggestions:staff_mine"),
        "propose": reverse("suggestions:staff_proposal_create"),
        "cosigner_search": reverse("suggestions:staff_cosigner_search") + "?q=李",
    }


TABLE = {
    #                   anon super county town  officer point rep  unit norole
    "list":             [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "list_filtered":    [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "create":           [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "detail_a":         [302, 200, 200, 200, 200, 404, 404, 403, 403],
    "detail_b":         [302, 200, 200, 404, 404, 404, 404, 403, 403],
    "detail_own":       [302, 200, 200, 200, 200, 404, 200, 403, 403],
    "detail_other_rep": [302, 200, 200, 404, 404, 404, 404, 403, 403],
    "merge_search":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "station_search":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "unit_search":      [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "voter_search":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "mine":             [302, 403, 403, 403, 403, 403, 200, 403, 403],
    "propose":          [302, 403, 403, 403, 403, 403, 200, 403, 403],
    "cosigner_search":  [302, 403, 403, 403, 403, 403, 200, 403, 403],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_page_status(network, pages, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(pages[page])
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_an_action_on_another_stations_suggestion_is_a_404_and_a_unit_gets_403(network, client_for):
    at_b = make_suggestion(network, station=network.station_b)
    url = reverse("suggestions:staff_action", args=[at_b.pk, "accept"])
    assert client_for(network.users["officer"]).post(url, {"version": at_b.version}).status_code == 404
    assert client_for(network.users["unit"]).post(url, {"version": at_b.version}).status_code == 403
    at_b.refresh_from_db()
    assert at_b.status == "submitted"


def test_a_representative_may_not_act_as_staff_on_their_own_proposal(network, client_for):
    own = make_proposal(network, own_rep(network))
    url = reverse("suggestions:staff_action", args=[own.pk, "accept"])
    assert client_for(network.users["representative"]).post(url, {"version": own.version}).status_code == 403
    own.refresh_from_db()
    assert own.status == "submitted"


def test_an_unknown_action_is_a_404(network, client_for):
    at_a = make_suggestion(network)
    url = reverse("suggestions:staff_action", args=[at_a.pk, "explode"])
    assert client_for(network.users["officer"]).post(url, {"version": 1}).status_code == 404
