"""History: no entry without a change; groups, memberships and role grants have one too; the
demo's history reads like real use."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from liaison import services as liaison_services
from liaison.history import history_rows
from liaison.models import RoleGrant, Station
from representatives.models import GroupMembership, Representative, RepresentativeGroup
from representatives.services import roster
from tests.factories import UserFactory
from tests.representatives.factories import make_representative

STATION_FIELDS = (
    "name",
    "kind",
    "in_county_town",
    "parent",
    "division",
    "address",
    "opening_hours",
    "phone",
    "officer",
    "slug",
)


@pytest.mark.django_db
def test_saving_a_station_unchanged_writes_no_history(network):
    station = Station.objects.get(pk=network.station_a.pk)
    before = station.history.count()
    liaison_services.station_update(
        actor=network.users["county"], station=station, **{f: getattr(station, f) for f in STATION_FIELDS}
    )
    station.save()
    assert station.history.count() == before
    liaison_services.station_update(actor=network.users["county"], station=station, address="新地址")
    assert station.history.count() == before + 1


@pytest.mark.django_db
def test_saving_a_representative_unchanged_writes_no_history(network):
    rep = make_representative(network, specialties=["农业", "法律"])
    assert rep.history.count() == 1
    fields = {name: getattr(rep, name) for name in roster.ROSTER_FIELDS if name != "congress"}
    roster.representative_update(
        actor=network.users["county"], representative=rep, specialties=["法律", "农业"], **fields
    )
    assert rep.history.count() == 1
    roster.representative_update(actor=network.users["county"], representative=rep, specialties=["法律"])
    assert rep.history.count() == 2
    roster.representative_update(actor=network.users["county"], representative=rep, occupation="教师")
    assert rep.history.count() == 3
    rows = history_rows(rep.history)
    assert all(row["changes"] for row in rows if row["record"].history_type == "~")


@pytest.mark.django_db
def test_an_old_empty_changed_record_is_not_shown(network):
    station = Station.objects.get(pk=network.station_a.pk)
    # A record as the old code wrote it: the same values again.
    Station.history.model.objects.create(
        **{
            f.attname: getattr(station, f.attname)
            for f in Station.history.model._meta.fields
            if hasattr(station, f.attname) and f.attname != "history_id"
        },
        history_type="~",
        history_date=station.history.first().history_date,
    )
    rows = history_rows(station.history)
    assert [row["record"].history_type for row in rows] == ["+"]


@pytest.mark.django_db
def test_group_page_shows_the_group_and_membership_history(network, client_for):
    officer = network.users["officer"]
    rep = make_representative(network, name="王建国")
    client = client_for(officer)
    response = client.post(
        reverse("representatives:group_create"),
        {"name": "甲镇代表小组", "kind": "group", "station": network.station_a.pk},
    )
    group = RepresentativeGroup.objects.get(name="甲镇代表小组")
    client.post(reverse("representatives:group_members", args=[group.pk]), {"representative": rep.pk, "role": "member"})
    client.post(reverse("representatives:group_members", args=[group.pk]), {"representative": rep.pk, "role": "leader"})
    client.post(
        reverse("representatives:group_update", args=[group.pk]),
        {"name": "甲镇一组", "kind": "group", "station": network.station_a.pk},
    )
    client.post(reverse("representatives:group_members", args=[group.pk]), {"remove": rep.pk})
    assert not GroupMembership.objects.filter(group=group).exists()

    response = client.get(group.get_absolute_url())
    rows = response.context["history"]
    kinds = [(row["record"].history_type, row["subject"]) for row in rows]
    assert kinds == [("-", "王建国"), ("~", ""), ("~", "王建国（组长）"), ("+", "王建国（成员）"), ("+", "")]
    assert all(row["record"].history_user == officer for row in rows)
    html = response.content.decode()
    assert "甲镇代表小组 → 甲镇一组" in html
    assert html.count('data-testid="history-row"') == 5


@pytest.mark.django_db
def test_officer_grants_history_on_the_station_page_for_county_staff_only(network, client_for):
    new_officer = UserFactory(username="new_officer", full_name="新联络员")
    RoleGrant.objects.create(user=new_officer, role=RoleGrant.Role.STATION_OFFICER, station=network.point_b)
    county = network.users["county"]
    client = client_for(county)
    station = network.station_b
    data = {f: getattr(station, f + "_id", None) or getattr(station, f) or "" for f in STATION_FIELDS}
    data.update(officer=new_officer.pk, in_county_town="")
    response = client.post(reverse("liaison:station_update", args=[station.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert RoleGrant.objects.filter(user=new_officer, station=station).exists()

    response = client.get(station.get_absolute_url())
    rows = response.context["grant_history"]
    assert [(row["record"].history_type, row["record"].history_user) for row in rows] == [("+", county)]
    assert rows[0]["subject"].startswith("新联络员 · ")
    assert 'data-testid="grant-history"' in response.content.decode()

    officer_b = UserFactory(username="officer_b2")
    RoleGrant.objects.create(user=officer_b, role=RoleGrant.Role.STATION_OFFICER, station=station)
    response = client_for(officer_b).get(station.get_absolute_url())
    assert response.context["grant_history"] is None
    assert 'data-testid="grant-history"' not in response.content.decode()


@pytest.mark.django_db
def test_demo_history_reads_like_real_use():
    call_command("seed_demo", stdout=io.StringIO())
    renamed = []
    for rep in Representative.objects.all():
        for row in history_rows(rep.history, limit=100):
            renamed += [(rep.name, c) for c in row["changes"] if str(c["field"]) in ("full name", "姓名")]
    assert renamed == []
    for station in Station.objects.all():
        for row in history_rows(station.history, limit=100):
            assert all(str(c["field"]) not in ("name", "名称") for c in row["changes"])
    daibiao = Representative.objects.get(user__username="daibiao")
    assert daibiao.name == daibiao.user.full_name
    # Every representative's first record is attributed to a person who keeps rosters, not the admin.
    creators = set(Representative.history.filter(history_type="+").values_list("history_user__username", flat=True))
    assert creators and "admin" not in creators and None not in creators
    assert not RepresentativeGroup.history.filter(history_user__isnull=True).exists()
    assert not GroupMembership.history.filter(history_user__isnull=True).exists()
    # Seeding twice adds no history.
    counts = Representative.history.count(), Station.history.count(), GroupMembership.history.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Representative.history.count(), Station.history.count(), GroupMembership.history.count()) == counts
