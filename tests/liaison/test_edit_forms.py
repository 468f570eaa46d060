"""Every edit form: it opens with the stored values, saving it unchanged changes nothing (not even
history), and a save over a change made since the form was opened is refused, naming the change.

The values posted back are read from the page's HTML, as a browser would send them.
"""

import datetime

import pytest
from django.urls import reverse

from liaison import services as liaison_services
from representatives.models import MobileRegisterEntry, RefreshConfirmation, Specialty
from representatives.services import groups as group_services
from representatives.services import mobile_register as register_services
from representatives.services import refresh as refresh_services
from tests.form_html import post_form_data
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register

CONFLICT = "在您打开此页面之后"


def stored(obj) -> dict:
    """Every stored field of obj, read afresh (updated_at included: an unchanged save writes nothing)."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def history_count(obj) -> int:
    return type(obj).history.filter(id=obj.pk).count() if hasattr(type(obj), "history") else 0


def round_trip(client, url, obj, *, extra=None, expect=302):
    """GET the form, POST back what it rendered, and assert nothing stored changed."""
    before, history = stored(obj), history_count(obj)
    page = client.get(url)
    assert page.status_code == 200
    data = post_form_data(page.content.decode(), containing="version")
    data.update(extra or {})
    response = client.post(url, data)
    assert response.status_code == expect, response.context and response.context["form"].errors
    assert stored(obj) == before
    assert history_count(obj) == history
    return data


@pytest.fixture
def register(network):
    return build_register(network)


@pytest.fixture
def rich_entry(network, register):
    """An entry with every editable field filled in, verified by the host."""
    entry = register.entry("乡甲进城")
    register_services.register_entry_update(
        actor=network.users["officer"],
        entry=entry,
        checked_in_on=datetime.date(2025, 3, 1),
        contact="微信 wjg-1975",
        specialties_note="法律、调解",
        role_played="参加社区议事会\n调解邻里纠纷 3 起",
    )
    register_services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    entry.refresh_from_db()
    assert entry.verified_at is not None
    return entry


# --- Round trips: open, save unchanged, nothing changes ---------------------------------------


@pytest.mark.parametrize("role", ["county", "officer"])
def test_station_form_round_trip(network, client_for, role):
    station = liaison_services.station_update(
        actor=network.users["superuser"],
        station=network.station_a,
        address="甲镇人民路 8 号",
        opening_hours="周一至周五 9:00-17:00",
        phone="0571-12345678",
        officer=network.users["officer"],
    )
    data = round_trip(client_for(network.users[role]), reverse("liaison:station_update", args=[station.pk]), station)
    assert data["address"] == "甲镇人民路 8 号" and data["officer"] == str(network.users["officer"].pk)


@pytest.mark.parametrize("role", ["county", "township", "officer"])
def test_representative_form_round_trip(network, client_for, role):
    rep = make_representative(
        network,
        name="王建国",
        birth_year=1968,
        residence_address="幸福路 1 号 2 单元",
        occupation="甲村党支部书记",
        specialties=["农业", "法律"],
    )
    data = round_trip(client_for(network.users[role]), reverse("representatives:update", args=[rep.pk]), rep)
    assert data["phone"] == rep.phone and data["birth_year"] == "1968"
    assert set(data["specialties_text"].split("、")) == {"农业", "法律"}


@pytest.mark.parametrize("who", ["officer", "officer_town"])  # origin and host
def test_register_entry_form_round_trip(network, register, rich_entry, client_for, who):
    user = network.users.get(who) or register.users[who]
    url = reverse("representatives:register_update", args=[rich_entry.pk])
    data = round_trip(client_for(user), url, rich_entry)
    assert data["checked_in_on"] == "2025-03-01"
    assert data["contact"] == "微信 wjg-1975"
    assert data["specialties_note"] == "法律、调解"
    assert data["role_played"] == "参加社区议事会\n调解邻里纠纷 3 起"
    assert data["community"] == str(rich_entry.community_id)
    # The verification survived the save.
    assert MobileRegisterEntry.objects.get(pk=rich_entry.pk).verified_by == register.users["officer_town"]


def test_group_form_round_trip(network, client_for):
    group = group_services.group_create(
        actor=network.users["officer"],
        name="甲镇法律小组",
        kind="co_governance",
        station=network.station_a,
        specialty=Specialty.objects.create(name="法律"),
        description="每月第一周\n集中接待",
    )
    round_trip(client_for(network.users["officer"]), reverse("representatives:group_update", args=[group.pk]), group)


@pytest.mark.parametrize("action", ["correct", "confirm"])
def test_refresh_confirmation_form_round_trip(network, register, rich_entry, client_for, action):
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    confirmation = campaign.confirmations.get(entry=rich_entry)
    url = reverse("representatives:refresh_confirm", args=[confirmation.pk])
    round_trip(client_for(network.users["officer"]), url, rich_entry, extra={"action": action})
    confirmation.refresh_from_db()
    assert confirmation.status == RefreshConfirmation.Status.CONFIRMED  # no difference: unchanged
    assert confirmation.changes == {}


def test_a_representatives_own_refresh_form_round_trip(network, register, rich_entry, client_for):
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    url = reverse("representatives:refresh_mine")
    round_trip(client_for(network.users["representative"]), url, rich_entry, extra={"action": "correct"})
    assert campaign.confirmations.get(entry=rich_entry).status == RefreshConfirmation.Status.CONFIRMED


# --- Concurrent edits: the later save over a newer change is refused -------------------------


def open_form(client, url):
    return post_form_data(client.get(url).content.decode(), containing="version")


def refused(response, *fragments):
    """The save was refused: the form again, the conflict message with the other person's change."""
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    for fragment in fragments:
        assert fragment in page, fragment
    return page


def test_concurrent_representative_edits(network, client_for, django_user_model):
    rep = make_representative(network, name="王建国", phone="13905780171", occupation="村支书")
    url = reverse("representatives:update", args=[rep.pk])
    officer, township = network.users["officer"], network.users["township"]
    township.full_name = "乡镇干部李四"
    township.save()
    mine = open_form(client_for(officer), url)
    theirs = open_form(client_for(township), url)
    theirs["phone"] = "13905780172"
    assert client_for(township).post(url, theirs).status_code == 302
    mine["occupation"] = "村委会主任"
    response = client_for(officer).post(url, mine)
    page = refused(response, "乡镇干部李四", "13905780171", "13905780172")
    rep.refresh_from_db()
    assert (rep.phone, rep.occupation) == ("13905780172", "村支书")  # the earlier change survives
    # The form shown keeps the officer's edit and holds the newer phone: saving it now merges both.
    again = post_form_data(page, containing="version")
    assert (again["phone"], again["occupation"]) == ("13905780172", "村委会主任")
    assert client_for(officer).post(url, again).status_code == 302
    rep.refresh_from_db()
    assert (rep.phone, rep.occupation) == ("13905780172", "村委会主任")


def test_concurrent_station_edits(network, client_for):
    url = reverse("liaison:station_update", args=[network.station_a.pk])
    mine = open_form(client_for(network.users["officer"]), url)
    theirs = open_form(client_for(network.users["county"]), url)
    theirs["opening_hours"] = "周六 9:00-12:00"
    assert client_for(network.users["county"]).post(url, theirs).status_code == 302
    mine["address"] = "甲镇新街 1 号"
    refused(client_for(network.users["officer"]).post(url, mine), "周六 9:00-12:00")
    network.station_a.refresh_from_db()
    assert (network.station_a.opening_hours, network.station_a.address) == ("周六 9:00-12:00", "")


def test_concurrent_register_entry_edits(network, register, rich_entry, client_for):
    url = reverse("representatives:register_update", args=[rich_entry.pk])
    origin, host = client_for(network.users["officer"]), None
    mine = open_form(origin, url)
    host = client_for(register.users["officer_town"])
    theirs = open_form(host, url)
    theirs["role_played"] = "参加社区议事会"
    assert host.post(url, theirs).status_code == 302
    origin = client_for(network.users["officer"])
    mine["specialties_note"] = "法律"
    refused(origin.post(url, mine), "调解邻里纠纷 3 起")
    entry = MobileRegisterEntry.objects.get(pk=rich_entry.pk)
    assert (entry.role_played, entry.specialties_note) == ("参加社区议事会", "法律、调解")


def test_a_verification_made_since_opening_is_not_undone_unseen(network, register, client_for):
    entry = register.entry("乡甲进城")
    register_services.register_entry_update(
        actor=network.users["officer"], entry=entry, checked_in_on=datetime.date(2025, 3, 1)
    )
    url = reverse("representatives:register_update", args=[entry.pk])
    origin = client_for(network.users["officer"])
    mine = open_form(origin, url)
    register_services.register_entry_verify(actor=register.users["officer_town"], entry=entry)
    mine["checked_in_on"] = "2025-03-02"  # would clear the host's verification
    refused(origin.post(url, mine))
    entry.refresh_from_db()
    assert entry.checked_in_on == datetime.date(2025, 3, 1) and entry.verified_at is not None


def test_concurrent_group_edits(network, client_for):
    group = group_services.group_create(
        actor=network.users["officer"], name="甲镇小组", kind="group", station=network.station_a
    )
    url = reverse("representatives:group_update", args=[group.pk])
    mine = open_form(client_for(network.users["officer"]), url)
    theirs = open_form(client_for(network.users["county"]), url)
    theirs["name"] = "甲镇第一小组"
    assert client_for(network.users["county"]).post(url, theirs).status_code == 302
    mine["description"] = "新说明"
    refused(client_for(network.users["officer"]).post(url, mine), "甲镇第一小组")
    group.refresh_from_db()
    assert (group.name, group.description) == ("甲镇第一小组", "")


def test_confirming_an_entry_changed_since_opening_is_refused(network, register, rich_entry, client_for):
    campaign = refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    confirmation = campaign.confirmations.get(entry=rich_entry)
    url = reverse("representatives:refresh_confirm", args=[confirmation.pk])
    mine = open_form(client_for(network.users["officer"]), url)
    register_services.register_entry_update(
        actor=register.users["officer_town"], entry=rich_entry, specialties_note="教育"
    )
    refused(client_for(network.users["officer"]).post(url, {**mine, "action": "confirm"}), "教育")
    confirmation.refresh_from_db()
    assert confirmation.status == RefreshConfirmation.Status.PENDING


def test_a_damaged_version_is_refused_and_changes_nothing(network, client_for):
    rep = make_representative(network, name="王建国")
    url = reverse("representatives:update", args=[rep.pk])
    client = client_for(network.users["officer"])
    data = open_form(client, url)
    before = stored(rep)
    response = client.post(url, {**data, "version": "forged", "occupation": "别的"})
    assert response.status_code == 200
    assert "此表单已过期或已损坏" in response.content.decode()
    assert stored(rep) == before
