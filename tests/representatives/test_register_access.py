"""Register, refresh and report pages: (role, page) -> status. Another station's entry is a 404."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.privacy import mask_phone
from representatives.services import mobile_register as services
from representatives.services import refresh as refresh_services
from tests.representatives.register_helpers import build_register

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def pages(network):
    register = build_register(network)
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    a_to_b = register.entry("乡甲去乙")  # origin station A, host station B
    b_to_town = register.entry("县乙进城")  # origin station B, host the county-town station
    pair = f"?origin={network.station_a.pk}&host={network.station_b.pk}"
    return {
        "register": reverse("representatives:register"),
        "register_print": reverse("representatives:register_print"),
        "register_export": reverse("representatives:register_export"),
        "entry_ab": reverse("representatives:register_detail", args=[a_to_b.pk]),
        "entry_ab_edit": reverse("representatives:register_update", args=[a_to_b.pk]),
        "entry_b_town": reverse("representatives:register_detail", args=[b_to_town.pk]),
        "entry_b_town_edit": reverse("representatives:register_update", args=[b_to_town.pk]),
        "joint_meeting_ab": reverse("representatives:joint_meeting_record") + pair,
        "mobility_report": reverse("representatives:mobility_report"),
        "refresh_list": reverse("representatives:refresh_list"),
        "refresh_detail": reverse("representatives:refresh_detail", args=[campaign.pk]),
        "refresh_confirm_ab": reverse(
            "representatives:refresh_confirm", args=[campaign.confirmations.get(entry=a_to_b).pk]
        ),
        "refresh_mine": reverse("representatives:refresh_mine"),
    }


TABLE = {
    #                    anon super county town  officer point rep  unit norole
    "register":          [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "register_print":    [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "register_export":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "entry_ab":          [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "entry_ab_edit":     [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "entry_b_town":      [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "entry_b_town_edit": [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "joint_meeting_ab":  [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "mobility_report":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "refresh_list":      [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "refresh_detail":    [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "refresh_confirm_ab":[302, 200, 200, 200, 200, 404, 403, 403, 403],
    "refresh_mine":      [302, 200, 200, 200, 200, 200, 200, 200, 200],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_page_status(network, pages, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(pages[page])
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        ("refresh_open", "county", 302),
        ("refresh_open", "township", 403),
        ("refresh_open", "officer", 403),
        ("refresh_open", "representative", 403),
        ("refresh_open", "anonymous", 302),
    ],
)
def test_open_refresh_needs_county_staff(network, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).post(reverse("representatives:refresh_open"))
    assert response.status_code == expected


def test_navigation_links_for_staff(network, client_for):
    page = client_for(network.users["officer"]).get(reverse("liaison:dashboard")).content.decode()
    for name in ("register", "refresh_list", "mobility_report"):
        assert reverse(f"representatives:{name}") in page


# --- Full or masked phones: one rule (access.sees_full_phones) on every page and export ----------

PHONE_ROLES = ["superuser", "county", "township", "officer", "point_officer", "officer_b", "officer_town"]
# Full numbers for the staff of the representative's home station (the origin): the officer of
# station A and the township staff of township A. The host station (officer_b for 乡甲去乙) and
# county staff see them masked; the history of changes follows the same rule.
FULL = {"township", "officer"}
OUTSIDERS = {"point_officer", "officer_town"}  # neither origin nor host of 乡甲去乙
PHONE_PAGES = ["register", "register_print", "register_export", "entry_ab", "refresh_detail"]


@pytest.fixture
def phone_pages(network):
    register = build_register(network)
    entry = register.entry("乡甲去乙")
    # Another contact holding a number: masked like the phone.
    services.register_entry_update(actor=network.users["officer"], entry=entry, contact="电话 13712345678")
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    refresh_services.register_refresh_confirm(
        actor=network.users["officer"],
        confirmation=campaign.confirmations.get(entry=entry),
        corrections={"contact": "13698765432"},
    )
    users = {**network.users, **register.users}
    urls = {
        "register": reverse("representatives:register"),
        "register_print": reverse("representatives:register_print"),
        "register_export": reverse("representatives:register_export"),
        "entry_ab": reverse("representatives:register_detail", args=[entry.pk]),
        "refresh_detail": reverse("representatives:refresh_detail", args=[campaign.pk]),
    }
    numbers = {
        "phone": entry.representative.phone,
        "old contact": "13712345678",
        "new contact": "13698765432",
    }
    return users, urls, numbers


def page_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    return response.content.decode()


@pytest.mark.parametrize("page", PHONE_PAGES)
@pytest.mark.parametrize("role", PHONE_ROLES)
def test_phones_are_full_only_for_the_home_stations_staff(network, phone_pages, client_for, page, role):
    users, urls, numbers = phone_pages
    response = client_for(users[role]).get(urls[page])
    if response.status_code == 404:  # the entry lies outside the user's stations
        assert role in OUTSIDERS
        return
    assert response.status_code == 200
    text = page_text(response)
    shown = {what: number in text for what, number in numbers.items()}
    masked = {what: mask_phone(number) in text for what, number in numbers.items()}
    # The refresh page shows the correction (old and new contact); the others the phone and the
    # contact as it is now.
    for what in ("phone",) if page == "refresh_detail" else ("old contact",):
        shown.pop(what), masked.pop(what)
    if role in OUTSIDERS:  # not on their lists at all
        assert not any(shown.values()) and not any(masked.values())
        return
    if role in FULL:
        assert all(shown.values()), shown
    else:
        assert not any(shown.values()), shown
        assert all(masked.values()), masked


@pytest.mark.parametrize(("role", "full"), [("officer", True), ("officer_b", False), ("county", False)])
def test_the_refresh_form_shows_the_roster_phone_by_the_same_rule(network, phone_pages, client_for, role, full):
    users, _urls, numbers = phone_pages
    from representatives.models import MobileRegisterEntry

    entry = MobileRegisterEntry.objects.get(representative__phone=numbers["phone"])
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2026, 1, 1))
    url = reverse("representatives:refresh_confirm", args=[campaign.confirmations.get(entry=entry).pk])
    text = client_for(users[role]).get(url).content.decode()
    assert (numbers["phone"] in text) is full
    assert (mask_phone(numbers["phone"]) in text) is not full


def test_a_representative_sees_their_own_number_on_their_refresh_form(network, client_for):
    register = build_register(network)
    refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    text = client_for(network.users["representative"]).get(reverse("representatives:refresh_mine")).content.decode()
    assert register.reps["乡甲进城"].phone in text
