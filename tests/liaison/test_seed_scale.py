"""The scale generator's small profile: it runs, and its rows are what the services would make."""

import pytest
from django.core.management import CommandError, call_command

from liaison import access
from liaison.models import Division, RoleGrant, Station
from liaison.scale_seed import BENCH_USERS, PROFILES
from representatives.models import MobileRegisterEntry, RefreshCampaign, Representative
from representatives.services import roster


@pytest.fixture
def seeded(db):
    call_command("seed_scale", profile="small", verbosity=0)


def test_small_profile_counts(seeded):
    p = PROFILES["small"]
    assert Division.objects.filter(kind=Division.Kind.PROVINCE).count() == 1
    assert Division.objects.filter(kind=Division.Kind.COUNTY).count() == p.counties
    assert Representative.objects.count() == p.counties * p.representatives_per_county
    assert MobileRegisterEntry.objects.exists()
    assert RefreshCampaign.objects.get().confirmations.count() == MobileRegisterEntry.objects.count()


def test_rows_pass_model_validation_on_a_sample(seeded):
    for division in Division.objects.order_by("?")[:20]:
        division.full_clean()
    for station in Station.objects.order_by("?")[:10]:
        station.full_clean()
    for rep in Representative.objects.order_by("?")[:25]:
        rep.full_clean()
    for entry in MobileRegisterEntry.objects.order_by("?")[:10]:
        entry.full_clean()


def test_paths_and_derived_fields_are_the_services_own(seeded):
    for division in Division.objects.select_related("parent"):
        assert (division.path, division.depth) == division.compute_path()
    for station in Station.objects.select_related("parent"):
        assert (station.path, station.depth) == station.compute_path()
        assert station.path.count("/") - 1 == station.depth + 1
    for rep in Representative.objects.select_related("residence_division", "district_township"):
        assert rep.name_initials == roster.name_initials(rep.name)
        assert rep.is_mobile == (rep.residence_division.township_id() != rep.district_township_id)
        assert rep.lives_in_county_town == rep.residence_division.is_county_town
        expected = rep.district_township.county_id() if rep.level == "county" else rep.district_township_id
        assert rep.congress_id == expected
    mobile = Representative.objects.filter(is_mobile=True, status="serving")
    assert MobileRegisterEntry.objects.count() == mobile.count()


def test_bench_users_are_scoped(seeded):
    from django.contrib.auth import get_user_model

    users = {key: get_user_model().objects.get(username=name) for key, name in BENCH_USERS.items()}
    assert access.is_county_wide(users["wide"])
    county = RoleGrant.objects.get(user=users["county"]).division
    visible = access.representatives_visible(users["county"])
    assert 0 < visible.count() < Representative.objects.count()
    assert not visible.exclude(home_station__division__path__startswith=county.path).exists()
    assert 0 < access.representatives_visible(users["officer"]).count() < visible.count()


def test_refuses_a_database_that_is_not_empty(seeded):
    with pytest.raises(CommandError):
        call_command("seed_scale", profile="small", verbosity=0)
