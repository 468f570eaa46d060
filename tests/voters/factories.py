"""Voters, households and grid links built through the services, on the network of tests.factories."""

from __future__ import annotations

import itertools

from voters.services import grid, people

_phones = itertools.count(13600000000)
_households = itertools.count(1)


def next_phone() -> str:
    return str(next(_phones))


def make_voter(network, *, actor=None, station=None, **fields):
    values = {
        "name": "李秀英",
        "phone": next_phone(),
        "station": station or network.station_a,
        "division": None,
        "address": "幸福路 8 号",
        "consents_to_contact": True,
    }
    values.update(fields)
    return people.voter_create(actor=actor or network.users["county"], **values)


def make_household(network, *, actor=None, station=None, division=None, **fields):
    station = station or network.station_a
    if division is None:
        from liaison.models import Division

        division = (
            network.village_a
            if station.division.township_id() == network.township_a.pk
            else (Division.objects.get(name="乙村"))
        )
    values = {"head_name": "张大明", "address": f"{next(_households)} 号", "member_count": 3, "note": ""}
    values.update(fields)
    return people.household_create(actor=actor or network.users["county"], station=station, division=division, **values)


def link_households(network, representative, count, *, actor=None):
    actor = actor or network.users["county"]
    households = []
    for _i in range(count):
        household = make_household(network, actor=actor)
        grid.household_link_add(actor=actor, representative=representative, household=household)
        households.append(household)
    return households
