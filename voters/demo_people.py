"""Demo voters at every station, and the households and 1+M+N grid of 紧水滩镇 (seed 001:
"每名县人大代表联系3~5名镇人大代表，每名镇人大代表联系10~20户村民").

Idempotent: voters are keyed by their demo phone numbers, the grid by the township's households
(present: the grid is left as it is). Households, links and visits are written in bulk (about a
thousand rows) so that `seed_demo` stays fast on SQLite; the data is clean by construction.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from liaison.models import Division, Station
from representatives.models import Representative
from representatives.services.roster import name_initials
from voters.models import GridLink, Household, HouseholdLink, HouseholdVisit, Voter

GRID_TOWNSHIP = "紧水滩镇"
VOTERS_PER_STATION = 8
SURNAMES = "叶王李吴陈刘周徐蓝雷钟柳毛潘季梅魏张杨朱何项郑林金胡沈"
GIVEN = ["建国", "秀英", "海燕", "志强", "丽芳", "伟", "军", "晓东", "红梅", "新民", "永平", "玉兰", "春生", "金水"]
NOTES = ["了解今年茶叶收成和销路", "反映村道路灯不亮", "询问医保缴费", "宣传防汛知识", "了解老人独居情况", ""]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@transaction.atomic
def seed_voters_and_grid(*, admin, network: dict) -> dict:
    rng = random.Random(2027)
    voters = _seed_voters(admin=admin, stations=network["stations"], rng=rng)
    township = network["townships"][GRID_TOWNSHIP]
    households = _seed_grid(admin=admin, township=township, stations=network["stations"], rng=rng)
    return {"voters": voters, "households": households}


def _seed_voters(*, admin, stations: dict[str, Station], rng: random.Random) -> int:
    existing = set(Voter.objects.filter(phone__startswith="135").values_list("phone", flat=True))
    now = timezone.now()
    rows = []
    for index, station in enumerate(sorted(stations.values(), key=lambda s: s.pk)):
        village = station.division if station.division.kind in Division.GRASSROOTS_LEVEL else None
        for number in range(VOTERS_PER_STATION):
            phone = f"135{index:04d}{number:04d}"
            if phone in existing:
                continue
            name = _name(rng)
            consents = number % 4 != 3
            rows.append(
                Voter(
                    station=station,
                    name=name,
                    name_initials=name_initials(name),
                    phone=phone,
                    division=village,
                    address=f"{(village or station.division).name}{rng.randint(1, 80)}号",
                    consents_to_contact=consents,
                    consent_recorded_by=(station.officer or admin) if consents else None,
                    consent_recorded_at=now if consents else None,
                    created_by=station.officer or admin,
                )
            )
    Voter.objects.bulk_create(rows)
    return Voter.objects.count()


def _seed_grid(*, admin, township: Division, stations: dict[str, Station], rng: random.Random) -> int:
    if Household.objects.filter(township=township).exists():
        return Household.objects.filter(township=township).count()
    villages = list(Division.objects.filter(parent=township).order_by("pk"))
    point_of = {s.division_id: s for s in stations.values() if s.kind == Station.Kind.POINT}
    main_station = next(
        s
        for s in stations.values()
        if s.division_id == township.pk and s.kind == Station.Kind.STATION and not s.in_county_town
    )
    serving = Representative.objects.filter(district_township=township, status=Representative.Status.SERVING)
    township_reps = list(serving.filter(level=Representative.Level.TOWNSHIP).order_by("pk"))
    county_reps = list(serving.filter(level=Representative.Level.COUNTY).order_by("pk"))

    # 1+M: each county representative links 3-5 township representatives (the first one only 2,
    # so that the coverage report has something to show).
    links, cursor = [], 0
    for index, county_rep in enumerate(county_reps):
        take = 2 if index == 0 else rng.randint(3, 5)
        for rep in township_reps[cursor : cursor + take]:
            links.append(GridLink(county_representative=county_rep, township_representative=rep, created_by=admin))
        cursor += take
    GridLink.objects.bulk_create(links)

    # M+N: each township representative 10-20 households; a few outside the range; some unlinked.
    plan: list[Representative | None] = []
    for index, rep in enumerate(township_reps):
        count = 8 if index in (3, 17) else 23 if index == 9 else rng.randint(10, 20)
        plan += [rep] * count
    plan += [None] * 40
    households = []
    for number, _rep in enumerate(plan, start=1):
        village = villages[number % len(villages)] if villages else township
        households.append(
            Household(
                station=point_of.get(village.pk, main_station),
                division=village,
                township=township,
                head_name=_name(rng),
                address=f"{village.name}{rng.randint(1, 120)}号",
                member_count=rng.randint(1, 6),
                created_by=admin,
            )
        )
    Household.objects.bulk_create(households)
    households = list(Household.objects.filter(township=township).order_by("pk"))
    HouseholdLink.objects.bulk_create(
        HouseholdLink(representative=rep, household=household, created_by=admin)
        for household, rep in zip(households, plan, strict=True)
        if rep is not None
    )
    today = timezone.localdate()
    visits = [
        HouseholdVisit(
            household=household,
            representative=rep,
            visited_on=today - datetime.timedelta(days=rng.randint(1, 300)),
            note=rng.choice(NOTES),
            created_by=admin,
        )
        for household, rep in zip(households, plan, strict=True)
        if rep is not None and rng.random() < 0.3
    ]
    HouseholdVisit.objects.bulk_create(visits)
    # Some voters of the township's points belong to a household.
    for voter in Voter.objects.filter(station__division__in=villages, household__isnull=True)[:20]:
        voter.household = rng.choice(households[:200])
        voter.save(update_fields=["household"])
    return len(households)
