"""A province-depth network: province > city > two counties, each with a township, a village, a
general station, a station and a point, and staff at every level.

    浙测省 (province)
      测试市 (city)
        东县 (county) > 东镇 > 东村, 东乡 > 东乡村     stations 东县总站 > 东镇站 > 东村点, 东县总站 > 东乡站
        西县 (county) > 西镇 > 西村, 西乡 > 西乡村     stations 西县总站 > 西镇站 > 西村点, 西县总站 > 西乡站

Users: `province` (county staff on the province: the whole instance), `city` (county staff on the
city: higher staff seeing that subtree), `east` / `west` (county staff on one county), `east_town`
(township staff of 东镇), `east_officer` (officer of 东镇站). Representatives through the services
(so derived fields are the services' own): in each county one at home, one county representative,
and one mobile within the county (东镇 -> 东乡村, with a register entry hosted by 东乡站); and one
who moved from 东县 to 西村 (`crossing`: an entry both counties hold, origin and host).
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison import services
from liaison.models import Division, RoleGrant, Station
from representatives.models import ImportBatch, MobileRegisterEntry, Representative
from representatives.services import groups as group_services
from representatives.services import roster
from tests.factories import UserFactory, grant


@dataclass
class County:
    county: Division
    township: Division
    village: Division
    township2: Division
    village2: Division
    general: Station
    station: Station
    point: Station
    station2: Station
    at_home: Representative
    mobile: Representative
    county_rep: Representative


@dataclass
class Province:
    province: Division
    city: Division
    east: County
    west: County
    crossing: Representative
    users: dict

    def entry(self, rep) -> MobileRegisterEntry:
        return MobileRegisterEntry.objects.get(representative=rep, is_active=True)


_phones = iter(range(13700000000, 13700010000))


def _rep(actor, *, name, station, township, residence, level="township"):
    return roster.representative_create(
        actor=actor,
        specialties=["农业"],
        name=name,
        gender="female",
        ethnicity="汉族",
        birth_year=1980,
        phone=str(next(_phones)),
        level=level,
        term="第十八届",
        electoral_district=f"{township.name}选区",
        district_township=township,
        home_station=station,
        residence_division=residence,
        residence_address="",
        occupation="",
    )


def _county(admin, city, prefix: str, other_village: Division | None = None) -> County:
    county = services.division_create(name=f"{prefix}县", kind=Division.Kind.COUNTY, parent=city)
    township = services.division_create(name=f"{prefix}镇", kind=Division.Kind.TOWNSHIP, parent=county)
    village = services.division_create(name=f"{prefix}村", kind=Division.Kind.VILLAGE, parent=township)
    slug = {"东": "east", "西": "west"}[prefix]
    general = services.station_create(
        actor=admin, name=f"{prefix}县总站", kind="general", division=county, slug=f"{slug}-general"
    )
    station = services.station_create(
        actor=admin, name=f"{prefix}镇站", kind="station", division=township, parent=general, slug=f"{slug}-a"
    )
    point = services.station_create(
        actor=admin, name=f"{prefix}村点", kind="point", division=village, parent=station, slug=f"{slug}-1"
    )
    township2 = services.division_create(name=f"{prefix}乡", kind=Division.Kind.TOWNSHIP, parent=county)
    village2 = services.division_create(name=f"{prefix}乡村", kind=Division.Kind.VILLAGE, parent=township2)
    station2 = services.station_create(
        actor=admin, name=f"{prefix}乡站", kind="station", division=township2, parent=general, slug=f"{slug}-b"
    )
    at_home = _rep(admin, name=f"{prefix}在家", station=station, township=township, residence=village)
    county_rep = _rep(
        admin, name=f"{prefix}县代表", station=station, township=township, residence=village, level="county"
    )
    mobile = _rep(admin, name=f"{prefix}外出", station=station, township=township, residence=village2)
    return County(
        county, township, village, township2, village2, general, station, point, station2, at_home, mobile, county_rep
    )


def build_province() -> Province:
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    province = services.division_create(name="浙测省", kind=Division.Kind.PROVINCE)
    city = services.division_create(name="测试市", kind=Division.Kind.CITY, parent=province)
    east = _county(admin, city, "东")
    west = _county(admin, city, "西")
    crossing = _rep(admin, name="东迁西", station=east.station, township=east.township, residence=west.village)

    users = {"superuser": admin}
    for key, role, place in [
        ("province", RoleGrant.Role.COUNTY_STAFF, {"division": province}),
        ("city", RoleGrant.Role.COUNTY_STAFF, {"division": city}),
        ("east", RoleGrant.Role.COUNTY_STAFF, {"division": east.county}),
        ("west", RoleGrant.Role.COUNTY_STAFF, {"division": west.county}),
        ("east_town", RoleGrant.Role.TOWNSHIP_STAFF, {"division": east.township}),
        ("east_officer", RoleGrant.Role.STATION_OFFICER, {"station": east.station}),
    ]:
        users[key] = UserFactory(username=key)
        grant(users[key], role, **place)
    for side, staff in ((east, users["east"]), (west, users["west"])):
        group_services.group_create(actor=staff, name=f"{side.county.name}代表小组", station=side.station)
        ImportBatch.objects.create(uploaded_by=staff, file_name=f"{side.county.name}.xlsx")
    return Province(province, city, east, west, crossing, users)
