"""Who may open the review console and the public pages: (role, page) -> status."""

import pytest
from django.urls import reverse

from tests.suggestions.review_helpers import (
    answer,
    assign,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]

PAGES = {
    #                          anon super county town officer point  rep  unit norole
    "review_figures":          [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "review_figures_export":   [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "review_list":             [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "review_list_export":      [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "review_deadlines":        [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "review_supervision":      [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "public_form":             [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public_track":            [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public_track_detail":     [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public_answers":          [200, 200, 200, 200, 200, 200, 200, 200, 200],
}  # fmt: skip


def url(name, s):
    if name == "public_track_detail":
        return reverse(f"suggestions:{name}", args=[s.code])
    if name == "public_answers":
        return reverse(f"suggestions:{name}", args=["a"])
    if name == "public_form":
        return reverse(f"suggestions:{name}") + "?station=a"
    return reverse(f"suggestions:{name}")


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_access_table(network, client_for, page, role):
    s = make_suggestion(network.station_a)
    answer(assign(s, network.unit), answered=3)
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(url(page, s))
    expected = PAGES[page][ROLES.index(role)]
    assert response.status_code == expected, (page, role)
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_county_staff_see_the_menu_entry(network, client_for):
    page = client_for(network.users["county"]).get(reverse("liaison:dashboard")).content.decode()
    assert reverse("suggestions:review_figures") in page
    page = client_for(network.users["township"]).get(reverse("liaison:dashboard")).content.decode()
    assert reverse("suggestions:review_figures") not in page
