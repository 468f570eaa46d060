"""The demo county has a year of reception days at every station, with visits and voters; twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.models import Station
from voters.models import DutyAssignment, RaisedItem, ReceptionDay, Visit, Voter


def counts():
    return {model.__name__: model.objects.count() for model in (ReceptionDay, DutyAssignment, Visit, RaisedItem, Voter)}


@pytest.mark.django_db
def test_demo_reception_days_are_a_year_at_every_station_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert set(ReceptionDay.objects.values_list("station", flat=True)) == set(
        Station.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    held = ReceptionDay.objects.filter(status="held", date__lt=today)
    assert held.filter(date__lt=today.replace(year=today.year - 1, day=28)).exists() or held.count() > 300
    assert ReceptionDay.objects.filter(status="planned", date__gt=today).exists()
    assert first["Visit"] > 500 and first["Voter"] > 300
    # The demo representative has work waiting: duties to answer or days to log.
    assert DutyAssignment.objects.filter(representative__user__username="daibiao").exists()
