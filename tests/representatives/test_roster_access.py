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
        "poster_a": reverse("public:representative_poster", args=[pk["a"]]),
        "qr_a": reverse("public:representative_qr", args=[pk["a"], "png"]),
        "poster_b": reverse("public:representative_poster", args=[pk["b"]]),
        "poster_own": reverse("public:representative_poster", args=[pk["own"]]),
        "card_a": reverse("public:representative", args=[pk["a"]]),
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
    "poster_a":   [302, 200, 200, 200, 200, 404, 404, 404, 404],
    "qr_a":       [302, 200, 200, 200, 200, 404, 404, 404, 404],
    "poster_b":   [302, 200, 200, 404, 404, 404, 404, 404, 404],
    "poster_own": [302, 200, 200, 404, 404, 404, 200, 404, 404],
    "card_a":     [200, 200, 200, 200, 200, 200, 200, 200, 200],
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


# --- Full or masked phones: one rule (access.sees_full_phones) --------------------------------

# Full for the staff of the representative's home station (A: officer, township staff of A, and
# the point officer for a representative of the point); masked for county staff and superusers;
# a representative sees their own number.
PHONE_TABLE = {
    #            super     county    town      officer   point
    "list":     ["masked", "masked", "full",   "full",   None],
    "detail_a": ["masked", "masked", "full",   "full",   None],
}  # fmt: skip
PHONE_CASES = [
    (page, role, expected[i])
    for page, expected in PHONE_TABLE.items()
    for i, role in enumerate(["superuser", "county", "township", "officer", "point_officer"])
    if expected[i]
]


@pytest.mark.parametrize(("page", "role", "expected"), PHONE_CASES, ids=[f"{p}-{r}" for p, r, _ in PHONE_CASES])
def test_roster_phones_full_or_masked(network, reps, client_for, page, role, expected):
    from liaison.privacy import mask_phone

    phone = reps["a"].phone
    text = client_for(network.users[role]).get(page_url(reps, page)).content.decode()
    if expected == "full":
        assert phone in text
    else:
        assert phone not in text and mask_phone(phone) in text


def test_a_representative_sees_their_own_number_in_full(network, reps, client_for):
    text = client_for(network.users["representative"]).get(page_url(reps, "me")).content.decode()
    assert reps["own"].phone in text


def test_a_point_officer_sees_full_numbers_of_the_points_representatives(network, client_for):
    rep = make_representative(network, name="点代表", station=network.point_a)
    page = client_for(network.users["point_officer"]).get(reverse("representatives:list")).content.decode()
    assert rep.phone in page


def test_the_history_of_a_phone_change_follows_the_same_rule(network, reps, client_for):
    from liaison.privacy import mask_phone
    from representatives.services.roster import representative_update

    old = reps["a"].phone
    representative_update(actor=network.users["officer"], representative=reps["a"], phone="13511112222")
    url = page_url(reps, "detail_a")
    county = client_for(network.users["county"]).get(url).content.decode()
    assert old not in county and "13511112222" not in county
    assert mask_phone(old) in county and "135****2222" in county
    officer = client_for(network.users["officer"]).get(url).content.decode()
    assert old in officer and "13511112222" in officer
