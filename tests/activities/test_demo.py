import io

import pytest
from django.core.management import call_command

from liaison.models import Activity, ActivityInvitation, Expense, Station, StationBudget


@pytest.mark.django_db
def test_demo_has_a_year_of_activities_at_every_station_and_funds_for_a_few():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Activity.objects.count(), ActivityInvitation.objects.count(), Expense.objects.count())
    assert not Station.objects.filter(is_active=True, activities__isnull=True).exists()
    assert ActivityInvitation.objects.filter(attended_at__isnull=False).count() > 1000  # about 75% of past invitations
    assert StationBudget.objects.filter(purpose="mobile").exists()
    assert StationBudget.objects.values("station").distinct().count() == 4
    call_command("seed_demo", stdout=io.StringIO())
    assert (Activity.objects.count(), ActivityInvitation.objects.count(), Expense.objects.count()) == counts
