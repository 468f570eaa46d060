"""Voters' phones: masked in every list and export for roles that do not call voters (county
staff, superusers without a station role); full on the detail page (and lists) for the officers
of the voter's station and the staff of its township."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.privacy import mask_phone
from tests.voters.factories import make_household, make_voter

MASKING_ROLES = ["county", "superuser"]
FULL_ROLES = ["officer", "township"]


@pytest.fixture
def voters(network):
    household = make_household(network, head_name="王户主")
    return [
        make_voter(network, name="李秀英", phone="13812341234", household=household),
        make_voter(network, name="陈明", phone="13955556666", station=network.point_a),
        make_voter(network, name="林芳", phone="13700001111", station=network.station_b),
    ]


def xlsx_cells(response) -> list[str]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [str(cell.value) for row in workbook.active.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("role", MASKING_ROLES)
def test_lists_and_export_mask_phones_for_roles_that_do_not_call_voters(network, voters, client_for, role):
    client = client_for(network.users[role])
    pages = [
        reverse("voters:voter_list"),
        reverse("voters:voter_list") + "?q=138",
        reverse("voters:household_detail", args=[voters[0].household_id]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "13812341234" not in html, url
    html = client.get(reverse("voters:voter_list")).content.decode()
    for voter in voters:
        assert voter.phone not in html
        assert mask_phone(voter.phone) in html
    cells = xlsx_cells(client.get(reverse("voters:voter_export")))
    assert "李秀英" in cells
    for voter in voters:
        assert voter.phone not in cells
        assert mask_phone(voter.phone) in cells
    detail = client.get(reverse("voters:voter_detail", args=[voters[0].pk])).content.decode()
    assert "13812341234" not in detail
    assert "138****1234" in detail


@pytest.mark.parametrize("role", FULL_ROLES)
def test_the_voters_station_and_township_read_the_full_number(network, voters, client_for, role):
    client = client_for(network.users[role])
    detail = client.get(reverse("voters:voter_detail", args=[voters[0].pk])).content.decode()
    assert 'href="tel:13812341234"' in detail
    cells = xlsx_cells(client.get(reverse("voters:voter_export")))
    assert "13812341234" in cells
    assert "13700001111" not in cells and "137****1111" not in cells  # another township's voter: not exported


def test_a_point_officer_reads_masked_numbers_of_their_point_only(network, voters, client_for):
    client = client_for(network.users["point_officer"])
    html = client.get(reverse("voters:voter_list")).content.decode()
    assert "13955556666" in html  # their own point's voter
    assert "李秀英" not in html  # the township station's voter is outside their scope


def test_history_on_the_detail_page_masks_old_numbers_for_the_county(network, voters, client_for):
    from voters.services import people

    voter = voters[0]
    people.voter_update(actor=network.users["officer"], voter=voter, phone="13812340000")
    html = client_for(network.users["county"]).get(reverse("voters:voter_detail", args=[voter.pk])).content.decode()
    assert "13812341234" not in html and "13812340000" not in html
