"""Factories and a small two-township network that most tests start from."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from liaison import services
from liaison.models import Division, RoleGrant, Station
from suggestions.models import HandlingUnit

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user, role, **place) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, **place)


@dataclass
class Network:
    county: Division
    township_a: Division
    township_b: Division
    village_a: Division
    general: Station
    station_a: Station
    station_a_town: Station
    point_a: Station
    station_b: Station
    point_b: Station
    unit: HandlingUnit
    users: dict


def build_network() -> Network:
    """County with townships A and B; each has a station and a point; A also a county-town station.

    Users: one per role, placed on township A (or its station) where a place is needed.
    """
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    county = services.division_create(name="测试县", kind=Division.Kind.COUNTY)
    township_a = services.division_create(name="甲镇", kind=Division.Kind.TOWNSHIP, parent=county)
    township_b = services.division_create(name="乙乡", kind=Division.Kind.TOWNSHIP, parent=county)
    village_a = services.division_create(name="甲村", kind=Division.Kind.VILLAGE, parent=township_a)
    village_b = services.division_create(name="乙村", kind=Division.Kind.VILLAGE, parent=township_b)
    general = services.station_create(actor=admin, name="县联络总站", kind="general", division=county, slug="county")
    station_a = services.station_create(
        actor=admin, name="甲镇联络站", kind="station", division=township_a, parent=general, slug="a"
    )
    station_a_town = services.station_create(
        actor=admin,
        name="甲镇城区联络站",
        kind="station",
        in_county_town=True,
        division=township_a,
        parent=station_a,
        slug="a-town",
    )
    point_a = services.station_create(
        actor=admin, name="甲村联络点", kind="point", division=village_a, parent=station_a, slug="a-1"
    )
    station_b = services.station_create(
        actor=admin, name="乙乡联络站", kind="station", division=township_b, parent=general, slug="b"
    )
    point_b = services.station_create(
        actor=admin, name="乙村联络点", kind="point", division=village_b, parent=station_b, slug="b-1"
    )
    unit = HandlingUnit.objects.create(name="县住建局", division=county)

    users = {"superuser": admin, "norole": UserFactory(username="norole")}
    users["county"] = UserFactory(username="county")
    grant(users["county"], RoleGrant.Role.COUNTY_STAFF, division=county)
    users["township"] = UserFactory(username="township")
    grant(users["township"], RoleGrant.Role.TOWNSHIP_STAFF, division=township_a)
    users["officer"] = UserFactory(username="officer")
    grant(users["officer"], RoleGrant.Role.STATION_OFFICER, station=station_a)
    users["point_officer"] = UserFactory(username="point_officer")
    grant(users["point_officer"], RoleGrant.Role.STATION_OFFICER, station=point_a)
    users["representative"] = UserFactory(username="representative")
    grant(users["representative"], RoleGrant.Role.REPRESENTATIVE)
    users["unit"] = UserFactory(username="unit")
    grant(users["unit"], RoleGrant.Role.HANDLING_UNIT, handling_unit=unit)
    return Network(
        county=county,
        township_a=township_a,
        township_b=township_b,
        village_a=village_a,
        general=general,
        station_a=station_a,
        station_a_town=station_a_town,
        point_a=point_a,
        station_b=station_b,
        point_b=point_b,
        unit=unit,
        users=users,
    )
