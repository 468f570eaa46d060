"""Creating, editing and deactivating stations: the rules, and bad input that writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison import services
from liaison.models import Station


def form_data(**overrides):
    data = {
        "name": "新联络点",
        "kind": "point",
        "parent": "",
        "division": "",
        "address": "",
        "opening_hours": "",
        "phone": "",
        "officer": "",
        "slug": "new-point",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_officer_creates_a_point_under_their_station(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("liaison:station_create"),
        form_data(parent=network.station_a.pk, division=network.village_a.pk),
    )
    station = Station.objects.get(slug="new-point")
    assert response.status_code == 302
    assert response.url == station.get_absolute_url()
    assert station.parent == network.station_a
    assert station.path == f"{network.station_a.path}{station.pk}/"
    assert [(h.history_type, h.history_user) for h in station.history.all()] == [("+", network.users["officer"])]


@pytest.mark.parametrize(
    ("case", "overrides", "field", "message"),
    [
        ("empty name", {"name": "   "}, "name", "请输入联络站名称"),
        ("duplicate slug", {"slug": "a-1"}, "slug", "公开地址已被其他联络站使用"),
        # Points are not offered as parents; a forged one is refused by the form.
        ("point under a point", {"parent": "point_a"}, "parent", None),
        ("no parent", {"parent": ""}, "parent", "请选择上级联络站"),
        ("division outside parent", {"division": "township_b"}, "division", None),
        ("parent outside scope", {"parent": "station_b"}, "parent", None),
    ],
)
def test_bad_station_input_writes_nothing_and_says_why(network, client_for, case, overrides, field, message):
    places = {
        "point_a": network.point_a.pk,
        "station_b": network.station_b.pk,
        "township_b": network.township_b.pk,
    }
    data = form_data(parent=network.station_a.pk, division=network.village_a.pk)
    data.update({key: places.get(value, value) for key, value in overrides.items()})
    before = Station.objects.count()
    history_before = Station.history.count()

    response = client_for(network.users["officer"]).post(reverse("liaison:station_create"), data)

    assert response.status_code == 200
    assert Station.objects.count() == before
    assert Station.history.count() == history_before
    errors = response.context["form"].errors
    assert field in errors or "__all__" in errors
    if message:
        assert message in response.content.decode()


def test_point_under_a_point_is_refused_with_the_rule(network):
    before = Station.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.station_create(
            actor=network.users["officer"],
            name="点下之点",
            kind="point",
            division=network.village_a,
            parent=network.point_a,
            slug="pp",
        )
    assert exc.value.message_dict["parent"] == ["联络点下不能再设联络站或联络点。"]
    assert Station.objects.count() == before


def test_moving_a_station_under_its_own_point_is_refused(network):
    admin = network.users["superuser"]
    with pytest.raises(ValidationError) as exc:
        services.station_update(actor=admin, station=network.station_a, parent=network.station_a_town)
    assert "parent" in exc.value.message_dict
    network.station_a.refresh_from_db()
    assert network.station_a.parent == network.general


def test_cycle_through_the_edit_page_shows_the_message(network, client_for):
    client = client_for(network.users["county"])
    station = network.station_a
    data = form_data(
        name=station.name,
        kind="station",
        parent=network.station_a_town.pk,
        division=network.township_a.pk,
        slug=station.slug,
    )
    response = client.post(reverse("liaison:station_update", args=[station.pk]), data)
    assert response.status_code == 200
    assert "不能设在自身或其下属联络点之下" in response.content.decode()
    station.refresh_from_db()
    assert station.parent == network.general


def test_moving_a_station_moves_its_subtree(network):
    admin = network.users["superuser"]
    services.station_update(actor=admin, station=network.station_a_town, parent=network.general)
    network.station_a_town.refresh_from_db()
    assert network.station_a_town.path == f"{network.general.path}{network.station_a_town.pk}/"
    assert network.station_a_town.depth == 1


def test_deactivate_needs_points_deactivated_first_and_never_deletes(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("liaison:station_deactivate", args=[network.station_a.pk]), follow=True)
    assert "请先停用其下属的联络站和联络点" in response.content.decode()
    network.station_a.refresh_from_db()
    assert network.station_a.is_active

    client.post(reverse("liaison:station_deactivate", args=[network.point_a.pk]))
    network.point_a.refresh_from_db()
    assert not network.point_a.is_active
    assert network.point_a.deactivated_at is not None
    assert Station.objects.filter(pk=network.point_a.pk).exists()

    client.post(reverse("liaison:station_reactivate", args=[network.point_a.pk]))
    network.point_a.refresh_from_db()
    assert network.point_a.is_active


def test_naming_an_officer_grants_the_officer_role(network):
    from liaison import access

    new_officer = network.users["norole"]
    services.station_update(actor=network.users["county"], station=network.point_b, officer=new_officer)
    assert list(access.stations_visible(new_officer)) == [network.point_b]


def test_only_county_staff_may_open_a_general_station(network):
    with pytest.raises(ValidationError) as exc:
        services.station_create(
            actor=network.users["township"], name="另一个总站", kind="general", division=network.township_a, slug="g2"
        )
    assert "kind" in exc.value.message_dict
