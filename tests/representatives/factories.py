"""Representatives built through the services, on the network of tests.factories."""

from __future__ import annotations

import itertools

from representatives.services import roster

_phones = itertools.count(13900000000)


def make_representative(network, *, actor=None, station=None, township=None, residence=None, **fields):
    """A serving township representative of township A (by default), living at home."""
    station = station or network.station_a
    township = township or station.division
    if not township.is_township_level:
        township = network.township_a
    values = {
        "name": "王建国",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_year": 1975,
        "phone": str(next(_phones)),
        "level": "township",
        "term": "第十八届",
        "electoral_district": "甲村选区",
        "district_township": township,
        "home_station": station,
        "residence_division": residence or township,
        "residence_address": "幸福路 1 号",
        "occupation": "村党支部书记",
    }
    values.update(fields)
    specialties = values.pop("specialties", ["农业"])
    return roster.representative_create(actor=actor or network.users["superuser"], specialties=specialties, **values)
