"""Pages that issue the same number of queries however many rows they show: group detail, the
mobile register's print, detail, refresh-confirm and joint-meeting pages, the import start page,
a station's detail with its history, and a representative's own record."""

import datetime

from django.urls import reverse

from liaison import services as liaison_services
from liaison.models import Division, RoleGrant
from representatives.models import MobileRegisterEntry
from representatives.services import corrections as correction_services
from representatives.services import groups, imports, mobile_register, roster
from representatives.services import refresh as refresh_services
from tests.factories import UserFactory, grant
from tests.perf.test_station_and_roster_page_queries import add_points, count_queries
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import csv_bytes, rows
from tests.representatives.register_helpers import build_register

PERIODS = [datetime.date(year, month, 1) for year in (2022, 2023, 2024, 2025) for month in (1, 7)]


def officer_of(station, username):
    user = UserFactory(username=username)
    grant(user, RoleGrant.Role.STATION_OFFICER, station=station)
    return user


def mobile_to_b(network, how_many, *, start=0, verifier=None):
    """Representatives of township A who now live in township B (host: station B).

    Every other one is a county representative; every third is verified by the host."""
    entries = []
    for i in range(start, start + how_many):
        county = {"level": "county"} if i % 2 else {}
        rep = make_representative(network, name=f"流动{i}", residence=network_village_b(), **county)
        entry = MobileRegisterEntry.objects.get(representative=rep)
        if verifier is not None and i % 3 == 0:
            mobile_register.register_entry_update(actor=verifier, entry=entry, checked_in_on=datetime.date(2025, 3, 1))
            mobile_register.register_entry_verify(actor=verifier, entry=entry)
        entries.append(entry)
    return entries


def network_village_b():
    return Division.objects.get(name="乙村")


# --- Groups ----------------------------------------------------------------------------------


def test_group_detail_queries_do_not_grow_with_members(network, client_for):
    county = network.users["county"]
    group = groups.group_create(actor=county, name="农业组", station=network.station_a)
    groups.group_add_member(actor=county, group=group, representative=make_representative(network, name="组员0"))
    client = client_for(network.users["officer"])  # may change: remove buttons and the add form
    url = reverse("representatives:group_detail", args=[group.pk])
    small, response = count_queries(client, url)
    assert response.context["may_change"]
    assert len(response.context["memberships"]) == 1
    for i in range(1, 30):
        station = network.station_b if i % 2 else network.station_a
        rep = make_representative(network, name=f"组员{i}", station=station)
        groups.group_add_member(actor=county, group=group, representative=rep, role="leader" if i == 5 else "member")
    large, response = count_queries(client, url)
    assert len(response.context["memberships"]) == 30
    assert small == large


# --- The mobile register ---------------------------------------------------------------------


def test_register_print_queries_do_not_grow_with_entries(network, client_for):
    verifier = officer_of(network.station_b, "officer_b")
    client = client_for(network.users["county"])
    url = reverse("representatives:register_print")
    mobile_to_b(network, 1, verifier=verifier)
    small, response = count_queries(client, url)
    assert response.content.decode().count('data-testid="register-row"') == 1
    mobile_to_b(network, 29, start=1, verifier=verifier)
    large, response = count_queries(client, url)
    assert response.content.decode().count('data-testid="register-row"') == 30
    assert small == large
    # The same with a filter on the origin (the form's choices are read once).
    filtered = f"{url}?origin={network.station_a.pk}&verified=yes"
    first, _ = count_queries(client, filtered)
    mobile_to_b(network, 6, start=30, verifier=verifier)
    second, _ = count_queries(client, filtered)
    assert first == second


def test_register_detail_queries_do_not_grow_with_history_and_refreshes(network, client_for):
    verifier = officer_of(network.station_b, "officer_b")
    (entry,) = mobile_to_b(network, 1)
    village_b = network_village_b()
    other = liaison_services.division_create(name="乙二村", kind=Division.Kind.VILLAGE, parent=network.township_b)
    # Already in the few-rows count: one change of the community and one verification, since the
    # history names the places and users that changed with one query per model (not per record);
    # and verified, since an unverified entry asks once more whether the user may verify it.
    mobile_register.register_entry_update(
        actor=verifier, entry=entry, community=other, checked_in_on=datetime.date(2025, 3, 1)
    )
    mobile_register.register_entry_verify(actor=verifier, entry=entry)
    client = client_for(network.users["officer"])
    url = reverse("representatives:register_detail", args=[entry.pk])
    small, response = count_queries(client, url)
    assert len(response.context["confirmations"]) == 0
    assert not response.context["may_verify"]
    for i in range(15):
        mobile_register.register_entry_update(
            actor=network.users["officer"] if i % 2 else verifier,
            entry=entry,
            community=other if i % 2 else village_b,
            contact=f"1390000{i:04d}",
            role_played=f"参加议事会 {i} 次",
        )
    mobile_register.register_entry_verify(actor=verifier, entry=entry)
    for n, period in enumerate(PERIODS):
        campaign = refresh_services.register_refresh_open(period_start=period)
        confirmation = campaign.confirmations.get(entry=entry)
        corrections = {"contact": f"1380000{n:04d}"} if n % 2 else None
        actor = verifier if n % 3 else network.users["officer"]
        refresh_services.register_refresh_confirm(actor=actor, confirmation=confirmation, corrections=corrections)
    large, response = count_queries(client, url)
    assert len(response.context["confirmations"]) == len(PERIODS)
    assert len(response.context["history"]) > 20
    assert small == large


def test_refresh_confirm_queries_do_not_grow(network, client_for):
    """The confirm-or-correct page of one entry: more entries in the campaign, more history of
    the entry, more earlier campaigns and more places to pick from do not add queries."""
    (entry,) = mobile_to_b(network, 1)
    campaign = refresh_services.register_refresh_open(period_start=PERIODS[-1])
    confirmation = campaign.confirmations.get(entry=entry)
    client = client_for(network.users["officer"])
    url = reverse("representatives:refresh_confirm", args=[confirmation.pk])
    small, response = count_queries(client, url)
    assert 'data-testid="confirm-form"' in response.content.decode()
    mobile_to_b(network, 30, start=1)
    for i in range(10):
        liaison_services.division_create(name=f"乙{i}村", kind=Division.Kind.VILLAGE, parent=network.township_b)
        mobile_register.register_entry_update(actor=network.users["officer"], entry=entry, contact=f"1370000{i:04d}")
    for period in PERIODS[:-1]:
        earlier = refresh_services.register_refresh_open(period_start=period)
        refresh_services.register_refresh_confirm(
            actor=network.users["officer"], confirmation=earlier.confirmations.get(entry=entry)
        )
    refresh_services.register_refresh_open(period_start=PERIODS[-1])  # adds the 30 new entries
    assert campaign.confirmations.count() == 31
    large, response = count_queries(client, url)
    assert 'data-testid="confirm-form"' in response.content.decode()
    assert small == large


def test_joint_meeting_form_queries_do_not_grow_with_pairs_and_meetings(network, client_for):
    officer = network.users["officer"]
    mobile_to_b(network, 1)
    client = client_for(officer)
    url = (
        reverse("representatives:joint_meeting_record") + f"?origin={network.station_a.pk}&host={network.station_b.pk}"
    )
    small, response = count_queries(client, url)
    assert len(response.context["meetings"]) == 0
    admin = network.users["superuser"]
    today = datetime.date.today()
    for i in range(30):  # 30 more pairs: station A -> a station of a township of its own
        township = liaison_services.division_create(name=f"丙{i}镇", kind=Division.Kind.TOWNSHIP, parent=network.county)
        village = liaison_services.division_create(name=f"丙{i}村", kind=Division.Kind.VILLAGE, parent=township)
        host = liaison_services.station_create(
            actor=admin, name=f"丙{i}镇联络站", kind="station", division=township, parent=network.general, slug=f"c{i}"
        )
        make_representative(network, name=f"去丙{i}", residence=village)
        mobile_register.joint_meeting_record(
            actor=officer, origin_station=network.station_a, host_station=host, held_on=today, summary="交流"
        )
    mobile_to_b(network, 5, start=1)
    for i in range(12):
        mobile_register.joint_meeting_record(
            actor=officer if i % 2 else network.users["county"],
            origin_station=network.station_a,
            host_station=network.station_b,
            held_on=today - datetime.timedelta(days=30 * i),
            summary=f"第{i}次联席会议",
        )
    large, response = count_queries(client, url)
    assert len(response.context["meetings"]) == 12
    assert small == large


# --- Import ----------------------------------------------------------------------------------


def test_import_start_queries_do_not_grow_with_earlier_batches(network, client_for):
    officer = network.users["officer"]
    client = client_for(officer)
    url = reverse("representatives:import")

    def upload(i):
        imports.import_upload(actor=officer, name=f"名册{i}.csv", data=csv_bytes(rows(2, start=i * 2)))

    upload(0)
    small, response = count_queries(client, url)
    assert len(response.context["batches"]) == 1
    for i in range(1, 30):
        upload(i)
    # Someone else's uploads are not listed.
    imports.import_upload(actor=network.users["county"], name="县.csv", data=csv_bytes(rows(1)))
    large, response = count_queries(client, url)
    assert len(response.context["batches"]) == 10
    assert small == large


# --- Stations --------------------------------------------------------------------------------


def test_station_detail_queries_do_not_grow_with_history(network, client_for):
    """Many points are covered by test_station_and_roster_page_queries; here the change history grows."""
    client = client_for(network.users["county"])
    url = reverse("liaison:station_detail", args=[network.station_a.pk])
    small, _ = count_queries(client, url)
    for i in range(20):
        actor = network.users["county"] if i % 2 else network.users["superuser"]
        liaison_services.station_update(actor=actor, station=network.station_a, address=f"幸福路 {i} 号")
    add_points(network, 5)
    large, response = count_queries(client, url)
    assert len(response.context["history"]) > 20
    assert small == large


# --- A representative's own record -----------------------------------------------------------


def test_my_record_queries_do_not_grow(network, client_for):
    reg = build_register(network)
    user = network.users["representative"]
    rep = reg.reps["乡甲进城"]
    county = network.users["county"]
    # One change of a station and of a place already: their names are looked up once per model.
    roster.representative_update(
        actor=county, representative=rep, home_station=network.station_a_town, residence_division=reg.town
    )
    client = client_for(user)
    url = reverse("representatives:me")
    small, response = count_queries(client, url)
    assert response.context["rep"] == rep and response.context["is_own"]
    for i in range(12):
        roster.representative_update(
            actor=county,
            representative=rep,
            occupation=f"职务{i}",
            home_station=network.station_a if i % 2 else network.station_a_town,
            residence_division=reg.community if i % 2 else reg.town,
        )
    roster.representative_update(actor=county, representative=rep, specialties=["农业", "法律", "教育"])
    for i in range(8):
        correction = correction_services.correction_request(actor=user, representative=rep, message=f"请更正{i}")
        if i % 2:
            correction_services.correction_resolve(actor=network.users["officer"], correction=correction, note="已更正")
    for i in range(6):
        group = groups.group_create(
            actor=county, name=f"小组{i}", station=network.station_b if i % 2 else network.station_a
        )
        groups.group_add_member(actor=county, group=group, representative=rep, role="leader" if i == 0 else "member")
    large, response = count_queries(client, url)
    assert len(response.context["history"]) > 12
    assert len(response.context["corrections"]) == 8
    assert small == large
