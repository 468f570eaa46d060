import io

import pytest
from django.core.management import call_command

from liaison.models import Division, RoleGrant, Station, User


def counts():
    return {model.__name__: model.objects.count() for model in (Division, Station, RoleGrant, User)}


@pytest.mark.django_db
def test_seed_demo_twice_gives_no_duplicates():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_demo_county_is_the_1_plus_11_plus_n_network():
    call_command("seed_demo", stdout=io.StringIO())
    assert Station.objects.filter(kind="general").count() == 1
    township_stations = Station.objects.filter(kind="station", in_county_town=False)
    assert township_stations.count() == 11
    assert Station.objects.filter(kind="station", in_county_town=True).count() == 4
    assert Station.objects.filter(kind="point").count() >= 30
    roles = set(RoleGrant.objects.values_list("role", flat=True))
    assert roles == set(RoleGrant.Role.values)
