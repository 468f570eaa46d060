"""Who may open which page: one table of (role, page) -> HTTP status.

Another station's object is a 404; a page the role may not use at all is a 403;
anonymous users are sent to sign in (302).
"""

import pytest
from django.urls import reverse

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


def url(network, name):
    pages = {
        "dashboard": reverse("liaison:dashboard"),
        "inbox": reverse("liaison:inbox"),
        "station_tree": reverse("liaison:station_tree"),
        "station_create": reverse("liaison:station_create"),
        "station_a": reverse("liaison:station_detail", args=[network.station_a.pk]),
        "station_a_edit": reverse("liaison:station_update", args=[network.station_a.pk]),
        "point_a": reverse("liaison:station_detail", args=[network.point_a.pk]),
        "point_a_edit": reverse("liaison:station_update", args=[network.point_a.pk]),
        "station_b": reverse("liaison:station_detail", args=[network.station_b.pk]),
        "station_b_edit": reverse("liaison:station_update", args=[network.station_b.pk]),
        "general": reverse("liaison:station_detail", args=[network.general.pk]),
        "admin": reverse("admin:index"),
        "station_a_poster": reverse("public:station_poster", args=[network.station_a.pk]),
        "station_a_qr": reverse("public:station_qr", args=[network.station_a.pk, "png"]),
        "station_b_poster": reverse("public:station_poster", args=[network.station_b.pk]),
        "station_b_qr": reverse("public:station_qr", args=[network.station_b.pk, "svg"]),
        "public_station_a": reverse("public:station", args=[network.station_a.slug]),
    }
    return pages[name]


# page -> expected status per role, in the order of ROLES.
TABLE = {
    #                anon super county town  officer point rep  unit norole
    "dashboard":      [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "inbox":          [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "station_tree":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "station_create": [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "station_a":      [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "station_a_edit": [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "point_a":        [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "point_a_edit":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "station_b":      [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "station_b_edit": [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "general":        [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "admin":          [302, 200, 302, 302, 302, 302, 302, 302, 302],
    "station_a_poster": [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "station_a_qr":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "station_b_poster": [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "station_b_qr":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "public_station_a": [200, 200, 200, 200, 200, 200, 200, 200, 200],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_page_status(network, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(url(network, page))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("county", {"county", "a", "a-town", "a-1", "b", "b-1"}),
        ("superuser", {"county", "a", "a-town", "a-1", "b", "b-1"}),
        ("township", {"a", "a-town", "a-1"}),
        ("officer", {"a", "a-town", "a-1"}),
        ("point_officer", {"a-1"}),
        ("representative", set()),
        ("unit", set()),
        ("norole", set()),
    ],
)
def test_station_scope_is_the_subtree(network, role, visible):
    from liaison import access

    user = network.users[role]
    assert set(access.stations_visible(user).values_list("slug", flat=True)) == visible
    assert set(access.stations_changeable(user).values_list("slug", flat=True)) == visible


def test_tree_lists_only_own_subtree(network, client_for):
    client = client_for(network.users["officer"])
    response = client.get(reverse("liaison:station_tree"))
    # The top of the officer's tree is their station; what is under it opens on demand.
    assert [station.name for station in response.context["stations"]] == ["甲镇联络站"]
    assert response.context["station_count"] == 3
    assert "乙乡联络站" not in response.content.decode()
    opened = client.get(reverse("liaison:station_children", args=[network.station_a.pk]))
    assert {station.name for station in opened.context["stations"]} == {"甲镇城区联络站", "甲村联络点"}
    # Another township's node is a 404, like its page.
    assert client.get(reverse("liaison:station_children", args=[network.station_b.pk])).status_code == 404
    assert client.get(reverse("liaison:station_children", args=[network.general.pk])).status_code == 404


def test_posting_to_another_stations_deactivate_is_404_and_changes_nothing(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("liaison:station_deactivate", args=[network.point_b.pk]))
    assert response.status_code == 404
    network.point_b.refresh_from_db()
    assert network.point_b.is_active


def test_navigation_shows_only_what_the_role_may_use(network, client_for):
    page = client_for(network.users["representative"]).get(reverse("liaison:dashboard")).content.decode()
    assert reverse("liaison:station_tree") not in page
    assert reverse("admin:index") not in page
    page = client_for(network.users["officer"]).get(reverse("liaison:dashboard")).content.decode()
    assert reverse("liaison:station_tree") in page
    assert reverse("admin:index") not in page
