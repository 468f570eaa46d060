"""The representatives' steps of `manage.py seed_scale` (see liaison/scale_seed.py)."""

from __future__ import annotations

import datetime

from liaison.models import Division
from liaison.scale_seed import SPECIALTIES, TERM, Ids, Seeder, bulk, reset_sequences, seed_step, today
from representatives.models import MobileRegisterEntry, Representative, Specialty
from representatives.services import refresh as refresh_services
from representatives.services import roster


@seed_step(100)
def representatives(seeder: Seeder) -> int:
    """Representatives of every county, their specialties, and the register entries of the mobile."""
    p, r = seeder.profile, seeder.random
    ids = Ids(Representative)
    specialties = [Specialty.objects.get_or_create(name=name)[0] for name in SPECIALTIES]
    through = Representative.specialties.through
    reps: list[Representative] = []
    links: list = []
    entries: list[MobileRegisterEntry] = []
    phone = 13000000000 + Representative.objects.count()
    ended = today() - datetime.timedelta(days=90)
    for county in seeder.counties:
        townships = seeder.townships[county.pk]
        town = townships[0]  # the county-town subdistrict
        for i in range(p.representatives_per_county):
            township = townships[i % len(townships)]
            level = Representative.Level.COUNTY
            if township.kind == Division.Kind.TOWNSHIP and r.random() >= 0.2:
                level = Representative.Level.TOWNSHIP
            points = seeder.points[township.pk]
            home = r.choice(points) if points and r.random() < 0.3 else seeder.township_station[township.pk]
            roll = r.random()
            if roll < 0.10 and township is not town:
                residence = r.choice(seeder.villages[town.pk])  # moved to the county town
            elif roll < 0.15:
                other = r.choice([t for t in townships if t is not township])
                residence = r.choice(seeder.villages[other.pk])  # moved to another township
            elif roll < 0.20:
                residence = township
            else:
                residence = r.choice(seeder.villages[township.pk])
            name = seeder.name()
            phone += 1
            serving = r.random() >= 0.03
            rep = Representative(
                pk=ids.take(),
                name=name,
                gender=r.choice(Representative.Gender.values),
                ethnicity="汉族",
                birth_year=r.randint(1955, 1995),
                phone=str(phone),
                level=level,
                congress=county if level == Representative.Level.COUNTY else township,
                term=TERM,
                electoral_district=f"{township.name}第{r.randint(1, 9)}选区",
                district_township=township,
                home_station=home,
                residence_division=residence,
                residence_address=f"{residence.name}{r.randint(1, 200)}号",
                occupation="村民委员会主任" if residence.kind == Division.Kind.VILLAGE else "企业负责人",
                status=Representative.Status.SERVING if serving else Representative.Status.RESIGNED,
                status_date=None if serving else ended,
                status_reason="" if serving else "工作调动",
            )
            # The services' own derivation: pinyin initials, mobile or not, living in the county town.
            roster._derive(rep)
            reps.append(rep)
            for specialty in r.sample(specialties, r.randint(0, 3)):
                links.append(through(representative_id=rep.pk, specialty_id=specialty.pk))
            if rep.is_mobile and serving:
                residence_township = residence.township_id()
                assert residence_township is not None  # the generator's residences are in townships
                host = seeder.township_station[residence_township]
                entries.append(
                    MobileRegisterEntry(
                        representative_id=rep.pk,
                        origin_station=home,
                        host_station=host,
                        community=residence if residence.kind in Division.GRASSROOTS_LEVEL else None,
                    )
                )
    bulk(Representative, reps)
    bulk(through, links)
    bulk(MobileRegisterEntry, entries)
    reset_sequences(Representative, MobileRegisterEntry)
    return len(reps) + len(links) + len(entries)


@seed_step(110)
def refresh_campaign(seeder: Seeder) -> int:
    """The current half-year's refresh, open: one confirmation per active register entry."""
    campaign = refresh_services.register_refresh_open(
        actor=None, period_start=refresh_services.half_year_start(today())
    )
    return campaign.confirmations.count()
