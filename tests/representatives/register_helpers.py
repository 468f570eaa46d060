"""A known roster with mobile representatives, for the register, refresh and report tests.

Places: township A (village 甲村), township B (village 乙村), and the county town (城关街道, marked
is_county_town, with community 城东社区 and its own station). Expected mobility report:

    level     township  total  in town  share   mobile
    county    甲镇      3      2        66.67   2
    county    乙乡      1      1        100.00  1
    township  甲镇      3      1        33.33   2
    township  乙乡      1      0        0.00    0
    total               8      4        50.00   5
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison import services
from liaison.models import Division, RoleGrant, Station
from representatives.models import MobileRegisterEntry
from representatives.services.roster import representative_end_service, representative_link_user
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative


@dataclass
class Register:
    town: Division
    community: Division
    village_b: Division
    town_station: Station
    reps: dict
    users: dict

    def entry(self, key) -> MobileRegisterEntry:
        return MobileRegisterEntry.objects.get(representative=self.reps[key])


def build_register(network) -> Register:
    admin = network.users["superuser"]
    town = services.division_create(
        name="城关街道", kind=Division.Kind.SUBDISTRICT, parent=network.county, is_county_town=True
    )
    community = services.division_create(name="城东社区", kind=Division.Kind.COMMUNITY, parent=town)
    village_b = Division.objects.get(name="乙村")
    town_station = services.station_create(
        actor=admin, name="城关街道联络站", kind="station", division=town, parent=network.general, slug="town"
    )
    a, b = network.township_a, network.township_b
    county = {"level": "county", "congress": network.county}

    def rep(key, **fields):
        return key, make_representative(network, name=key, **fields)

    reps = dict(
        [
            rep("县甲在家", residence=network.village_a, **county),
            rep("县甲进城社区", residence=community, **county),
            rep("县甲进城街道", residence=town, **county),
            rep("县乙进城", station=network.station_b, township=b, residence=community, **county),
            rep("乡甲在家", residence=network.village_a, congress=a),
            rep("乡甲去乙", residence=village_b, congress=a),
            rep("乡甲进城", residence=community, congress=a),
            rep("乡乙在家", station=network.station_b, township=b, residence=village_b, congress=b),
            rep("乡乙离任", station=network.station_b, township=b, residence=community, congress=b),
        ]
    )
    representative_end_service(
        actor=admin, representative=reps["乡乙离任"], status="resigned", date=_today(), reason="调离"
    )
    users = {}
    users["officer_b"] = UserFactory(username="officer_b")
    grant(users["officer_b"], RoleGrant.Role.STATION_OFFICER, station=network.station_b)
    users["officer_town"] = UserFactory(username="officer_town")
    grant(users["officer_town"], RoleGrant.Role.STATION_OFFICER, station=town_station)
    representative_link_user(actor=admin, representative=reps["乡甲进城"], user=network.users["representative"])
    return Register(
        town=town, community=community, village_b=village_b, town_station=town_station, reps=reps, users=users
    )


def checked_in(entry: MobileRegisterEntry, actor, day=None) -> MobileRegisterEntry:
    """Record the check-in date (by default today): the host verifies only a dated check-in."""
    from representatives.services.mobile_register import register_entry_update

    return register_entry_update(actor=actor, entry=entry, checked_in_on=day or _today())


def _today():
    from django.utils import timezone

    return timezone.localdate()
