"""Roster pages: (role, page) -> status. Another station's representative is a 404."""

import pytest
from django.urls import reverse

from tests.representatives.factories import make_representative

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def reps(network):
    rep_a = make_representative(network, name="甲代表")
    rep_b = make_representative(network, name="乙代表", station=network.station_b)
    own = make_representative(network, name="本人", station=network.station_b)
    from representatives.services.roster import representative_link_user

    representative_link_user(actor=network.users["superuser"], representative=own, user=network.users["representative"])
    return {"a": rep_a, "b": rep_b, "own": own}


def page_url(reps, page):
    pk = {"a": reps["a"].pk, "b": reps["b"].pk, "own": reps["own"].pk}
    return {
        "list": reverse("representatives:list"),
        "create": reverse("representatives:create"),
        "me": reverse("representatives:me"),
        "detail_a": reverse("representatives:detail", args=[pk["a"]]),
        "edit_a": reverse("representatives:update", args=[pk["a"]]),
        "detail_b": reverse("representatives:detail", args=[pk["b"]]),
        "edit_b": reverse("representatives:update", args=[pk["b"]]),
        "detail_own": reverse("representatives:detail", args=[pk["own"]]),
        "edit_own": reverse("representatives:update", args=[pk["own"]]),
    }[page]


TABLE = {
    #             anon super county town  officer point rep  unit norole
    "list":       [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "create":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "me":         [302, 404, 404, 404, 404, 404, 200, 404, 404],
    "detail_a":   [302, 200, 200, 200, 200, 404, 404, 404, 404],
    "edit_a":     [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "detail_b":   [302, 200, 200, 404, 404, 404, 404, 404, 404],
    "edit_b":     [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "detail_own": [302, 200, 200, 404, 404, 404, 200, 404, 404],
    "edit_own":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_roster_role_page_status(network, reps, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    assert client_for(user).get(page_url(reps, page)).status_code == expected


@pytest.mark.parametrize(
    ("role", "url_name", "expected"),
    [
        ("officer", "representatives:end_service", 404),
        ("representative", "representatives:end_service", 403),
        ("county", "representatives:end_service", 302),
    ],
)
def test_ending_another_stations_representative_is_refused(network, reps, client_for, role, url_name, expected):
    data = {"status": "resigned", "date": "2026-01-05", "reason": "工作调动"}
    response = client_for(network.users[role]).post(reverse(url_name, args=[reps["b"].pk]), data)
    assert response.status_code == expected
    reps["b"].refresh_from_db()
    assert reps["b"].is_serving == (expected != 302)


def test_a_representative_may_only_request_corrections_to_their_own_record(network, reps, client_for):
    client = client_for(network.users["representative"])
    url = reverse("representatives:correction_request", args=[reps["a"].pk])
    assert client.post(url, {"message": "电话错了"}).status_code == 404
    url = reverse("representatives:correction_request", args=[reps["own"].pk])
    assert client.post(url, {"message": "电话错了"}).status_code == 302
    assert reps["own"].corrections.get().created_by == network.users["representative"]


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("anonymous", "a", 302),
        ("representative", "own", 403),
        ("unit", "a", 403),
        ("norole", "a", 403),
        ("point_officer", "a", 404),
        ("officer", "b", 404),
        ("township", "b", 404),
        ("officer", "a", 302),
        ("county", "b", 302),
    ],
)
def test_linking_an_account_by_role(network, reps, client_for, role, target, expected):
    user = None if role == "anonymous" else network.users[role]
    url = reverse("representatives:link_user", args=[reps[target].pk])
    response = client_for(user).post(url, {"username": "norole"})
    assert response.status_code == expected
    reps[target].refresh_from_db()
    linked = reps[target].user == network.users["norole"]
    assert linked == (expected == 302 and role != "anonymous")
