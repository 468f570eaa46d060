"""The mobile register: dual management, editing with history, the host's verification, joint
meetings, print and Excel export."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison import services as liaison_services
from liaison.models import Division
from representatives.models import JointMeeting, MobileRegisterEntry
from representatives.services import mobile_register as services
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register, checked_in


@pytest.fixture
def register(network):
    return build_register(network)


def names(response):
    return {entry.representative.name for entry in response.context["entries"]}


def test_mobile_serving_representatives_have_entries_with_origin_and_host(network, register):
    entries = MobileRegisterEntry.objects.filter(is_active=True)
    expected = {"县甲进城社区", "县甲进城街道", "县乙进城", "乡甲去乙", "乡甲进城"}
    assert {e.representative.name for e in entries} == expected
    entry = register.entry("乡甲去乙")
    assert (entry.origin_station, entry.host_station) == (network.station_a, network.station_b)
    assert register.entry("县甲进城社区").community == register.community


def test_origin_and_host_both_list_an_entry_and_see_which_side_they_are(network, register, client_for):
    url = reverse("representatives:register")
    response = client_for(network.users["officer"]).get(url)
    assert names(response) == {"县甲进城社区", "县甲进城街道", "乡甲去乙", "乡甲进城"}
    assert all(e.user_is_origin and not e.user_is_host for e in response.context["entries"])
    response = client_for(register.users["officer_b"]).get(url)
    assert names(response) == {"县乙进城", "乡甲去乙"}
    sides = {e.representative.name: (e.user_is_origin, e.user_is_host) for e in response.context["entries"]}
    assert sides == {"县乙进城": (True, False), "乡甲去乙": (False, True)}
    page = response.content.decode()
    assert "流出地" in page and "流入地" in page


def test_a_third_station_gets_404_on_the_entry(network, register, client_for):
    entry = register.entry("乡甲去乙")
    detail = reverse("representatives:register_detail", args=[entry.pk])
    assert client_for(network.users["officer"]).get(detail).status_code == 200
    assert client_for(register.users["officer_b"]).get(detail).status_code == 200
    assert client_for(register.users["officer_town"]).get(detail).status_code == 404
    assert client_for(network.users["point_officer"]).get(detail).status_code == 404
    response = client_for(register.users["officer_town"]).post(
        reverse("representatives:register_verify", args=[entry.pk])
    )
    assert response.status_code == 404


def test_filters_by_origin_host_and_verification(network, register, client_for):
    client = client_for(network.users["county"])
    url = reverse("representatives:register")
    assert names(client.get(url, {"origin": network.station_b.pk})) == {"县乙进城"}
    assert names(client.get(url, {"host": network.station_b.pk})) == {"乡甲去乙"}
    entry = checked_in(register.entry("乡甲进城"), network.users["officer"])
    services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    assert names(client.get(url, {"verified": "yes"})) == {"乡甲进城"}
    assert "乡甲进城" not in names(client.get(url, {"verified": "no"}))
    # Nonsense in the filters is ignored, not an error page.
    response = client.get(url, {"origin": "abc", "host": "99999", "verified": "maybe", "page": "x"})
    assert response.status_code == 200
    assert len(names(response)) == 5


def test_the_host_verifies_the_check_in_and_the_origin_cannot(network, register, client_for):
    entry = register.entry("乡甲进城")
    with pytest.raises(ValidationError):
        services.register_entry_verify(actor=network.users["officer"], entry=entry)
    client = client_for(register.users["officer_town"])
    detail = reverse("representatives:register_detail", args=[entry.pk])
    assert 'data-testid="verify-button"' in client.get(detail).content.decode()
    checked_in(entry, network.users["officer"], datetime.date(2025, 3, 1))
    response = client.post(reverse("representatives:register_verify", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.verified_by == register.users["officer_town"]
    assert entry.verified_at is not None
    assert entry.checked_in_on == datetime.date(2025, 3, 1)
    assert 'data-testid="verify-button"' not in client.get(detail).content.decode()


def test_verification_needs_a_community(network, register):
    entry = register.entry("县甲进城街道")  # lives in the subdistrict itself: no community yet
    assert entry.community is None
    with pytest.raises(ValidationError) as exc:
        services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    assert "community" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.verified_at is None


def test_verifying_a_check_in_without_a_date_is_refused_with_a_reason(network, register, client_for):
    entry = register.entry("乡甲进城")
    assert entry.community is not None and entry.checked_in_on is None
    history = entry.history.count()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    assert "checked_in_on" in exc.value.message_dict
    client = client_for(register.users["officer_town"])
    response = client.post(reverse("representatives:register_verify", args=[entry.pk]), follow=True)
    assert "尚未登记报到日期，不能核实" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.checked_in_on, entry.verified_at, entry.verified_by) == (None, None, None)
    assert entry.history.count() == history


def test_editing_an_entry_keeps_history_and_a_new_community_needs_verifying_again(network, register, client_for):
    entry = checked_in(register.entry("乡甲进城"), network.users["officer"])
    services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    other = liaison_services.division_create(name="城西社区", kind=Division.Kind.COMMUNITY, parent=register.town)
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("representatives:register_update", args=[entry.pk]),
        {
            "community": other.pk,
            "checked_in_on": "2024-03-01",
            "contact": "13912345678",
            "specialties_note": "法律、调解",
            "role_played": "参加社区议事会",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.community == other
    assert entry.checked_in_on == datetime.date(2024, 3, 1)
    assert entry.verified_at is None and entry.verified_by is None
    latest = entry.history.order_by("-history_date").first()
    assert latest.history_user == network.users["officer"]
    page = client.get(reverse("representatives:register_detail", args=[entry.pk])).content.decode()
    assert "城西社区" in page


def test_bad_input_on_the_entry_form_changes_nothing(network, register, client_for):
    entry = register.entry("乡甲进城")
    before = (entry.community_id, entry.checked_in_on, entry.contact)
    client = client_for(network.users["officer"])
    url = reverse("representatives:register_update", args=[entry.pk])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for data in (
        {"community": network.village_a.pk, "checked_in_on": "", "contact": "x"},  # not in the host's area
        {"community": register.community.pk, "checked_in_on": future, "contact": "x"},
        {"community": "abc", "checked_in_on": "not a date", "contact": "x" * 300},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    entry.refresh_from_db()
    assert (entry.community_id, entry.checked_in_on, entry.contact) == before


def test_service_refuses_an_actor_outside_both_stations(network, register):
    with pytest.raises(PermissionDenied):
        services.register_entry_update(
            actor=network.users["point_officer"], entry=register.entry("乡甲去乙"), contact="1"
        )


def test_joint_meeting_per_pair_this_year(network, register, client_for):
    client = client_for(network.users["officer"])
    response = client.get(reverse("representatives:register"))
    pairs = {(p["origin_station__name"], p["host_station__name"]): p for p in response.context["pairs"]}
    assert set(pairs) == {("甲镇联络站", "城关街道联络站"), ("甲镇联络站", "乙乡联络站")}
    assert not pairs[("甲镇联络站", "乙乡联络站")]["held_this_year"]
    pair = f"?origin={network.station_a.pk}&host={network.station_b.pk}"
    url = reverse("representatives:joint_meeting_record") + pair
    assert client.get(url).status_code == 200
    response = client.post(url, {"held_on": timezone.localdate().isoformat(), "summary": "交流流动代表履职情况"})
    assert response.status_code == 302
    meeting = JointMeeting.objects.get()
    assert meeting.recorded_by == network.users["officer"]
    response = client.get(reverse("representatives:register"))
    pairs = {(p["origin_station__name"], p["host_station__name"]): p for p in response.context["pairs"]}
    assert pairs[("甲镇联络站", "乙乡联络站")]["held_this_year"]
    assert not pairs[("甲镇联络站", "城关街道联络站")]["held_this_year"]


def test_joint_meeting_bad_input(network, register, client_for):
    client = client_for(network.users["officer"])
    base = reverse("representatives:joint_meeting_record")
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    url = f"{base}?origin={network.station_a.pk}&host={network.station_b.pk}"
    assert client.post(url, {"held_on": future}).status_code == 200
    assert client.post(url, {"held_on": "yesterday"}).status_code == 200
    assert not JointMeeting.objects.exists()
    # A pair the user does not share, or nonsense ids.
    assert client.get(f"{base}?origin={register.town_station.pk}&host={network.station_b.pk}").status_code == 404
    assert client.get(f"{base}?origin=x&host=").status_code == 302


def test_print_view_lists_every_matching_entry(network, register, client_for):
    response = client_for(network.users["county"]).get(
        reverse("representatives:register_print"), {"origin": network.station_a.pk}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="register-row"') == 4
    assert 'data-testid="print-button"' in page


def test_export_per_station(network, register, client_for):
    client = client_for(register.users["officer_b"])
    response = client.get(reverse("representatives:register_export"), {"station": network.station_b.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "姓名", "代表层级")
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"县乙进城", "乡甲去乙"}
    assert by_name["县乙进城"][-1] == "流出地"
    assert by_name["乡甲去乙"][-1] == "流入地"
    # Another station's register: not exported, back to the list.
    response = client.get(reverse("representatives:register_export"), {"station": network.station_a.pk})
    assert response.status_code == 302


def test_register_list_queries_do_not_grow_with_entries(network, register, client_for):
    client = client_for(network.users["county"])
    url = reverse("representatives:register")
    filtered = {"origin": network.station_a.pk}
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as small_filtered:
        assert client.get(url, filtered).status_code == 200
    for i in range(40):
        make_representative(network, name=f"进城{i}", residence=register.community)
    entry = checked_in(register.entry("乡甲进城"), network.users["officer"])
    services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["entries"]) == 45
    assert len(small.captured_queries) == len(large.captured_queries)
    with CaptureQueriesContext(connection) as large_filtered:
        response = client.get(url, filtered)
    assert response.context["export_station"] == network.station_a
    assert len(small_filtered.captured_queries) == len(large_filtered.captured_queries)


def test_the_register_shows_the_roster_phone_and_follows_a_change(network, register, client_for):
    """The roster's phone is the one source: the entry keeps no copy that could fall behind."""
    from representatives.services.roster import representative_update

    entry = register.entry("乡甲去乙")
    old = entry.representative.phone
    assert entry.contact == ""
    client = client_for(network.users["officer"])
    url = reverse("representatives:register_detail", args=[entry.pk])
    assert old in client.get(url).content.decode()
    representative_update(actor=network.users["officer"], representative=entry.representative, phone="13500001111")
    for page in (url, reverse("representatives:register"), reverse("representatives:register_print")):
        text = client.get(page).content.decode()
        assert "13500001111" in text and old not in text
    sheet = load_workbook(io.BytesIO(client.get(reverse("representatives:register_export")).content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "13500001111" in cells and old not in cells
    # The entry form edits the other contact only; the phone is changed on the roster.
    form = client.get(reverse("representatives:register_update", args=[entry.pk])).content.decode()
    assert "13500001111" not in form and "手机号码以代表名册为准" in form


def test_migration_drops_the_phone_copies_and_keeps_other_contacts(network, register):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("representatives.migrations.0005_entry_contact_is_other_contact")
    copy, other = register.entry("乡甲去乙"), register.entry("乡甲进城")
    MobileRegisterEntry.objects.filter(pk=copy.pk).update(contact=copy.representative.phone)
    MobileRegisterEntry.objects.filter(pk=other.pk).update(contact="城东社区居委会 0571-8888")
    migration.drop_phone_copies(apps, None)
    copy.refresh_from_db()
    other.refresh_from_db()
    assert (copy.contact, other.contact) == ("", "城东社区居委会 0571-8888")


def test_joint_meeting_pairs_are_paged_apart_from_the_entries(network, register, client_for, monkeypatch):
    from representatives.views.mobile_register import RegisterListView

    monkeypatch.setattr(RegisterListView, "pairs_per_page", 1)
    client = client_for(network.users["officer"])
    url = reverse("representatives:register")
    first = client.get(url)
    assert len(first.context["pairs"]) == 1
    html = first.content.decode()
    assert html.count('data-testid="pair-row"') == 1
    assert 'data-testid="pairs-pages"' in html and "pairs_page=2" in html
    second = client.get(url, {"pairs_page": "2", "page": "1"})
    names = {(p["origin_station__name"], p["host_station__name"]) for p in first.context["pairs"]}
    names |= {(p["origin_station__name"], p["host_station__name"]) for p in second.context["pairs"]}
    assert names == {("甲镇联络站", "城关街道联络站"), ("甲镇联络站", "乙乡联络站")}
    for odd in ("0", "-3", "99", "二"):
        assert client.get(url, {"pairs_page": odd}).status_code == 200


def test_register_offers_one_export_of_the_filtered_list_not_one_per_station(network, register, client_for):
    client = client_for(network.users["county"])
    url = reverse("representatives:register")
    html = client.get(url).content.decode()
    export = reverse("representatives:register_export")
    assert html.count(f'href="{export}') == 1
    assert 'data-testid="register-export-station"' not in html
    # Narrowed to one station: that station's whole register is offered too (one link).
    html = client.get(url, {"origin": network.station_a.pk}).content.decode()
    assert html.count(f'href="{export}') == 2
    assert f"{export}?station={network.station_a.pk}" in html


def test_print_page_is_paged_like_the_list(network, register, client_for, monkeypatch):
    from representatives.views.mobile_register import RegisterPrintView

    monkeypatch.setattr(RegisterPrintView, "print_per_page", 3)
    client = client_for(network.users["county"])
    url = reverse("representatives:register_print")
    first = client.get(url, {"origin": network.station_a.pk}).content.decode()
    assert first.count('data-testid="register-row"') == 3
    second = client.get(url, {"origin": network.station_a.pk, "page": "2"}).content.decode()
    assert second.count('data-testid="register-row"') == 1
    assert "<td>4</td>" in second  # numbered on from the first page
