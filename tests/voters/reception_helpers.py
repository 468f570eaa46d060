"""Reception days for tests: representatives with accounts on the shared test network."""

from __future__ import annotations

import datetime

from liaison.models import RoleGrant
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative
from voters.models import DutyAssignment, ReceptionDay
from voters.services.reception import notice_date


def rep_with_account(network, username: str, *, station=None, name="王建国", user=None):
    """A serving representative of `station` (station A by default) with a sign-in account."""
    if user is None:
        user = UserFactory(username=username)
        grant(user, RoleGrant.Role.REPRESENTATIVE)
    rep = make_representative(network, station=station, name=name)
    rep.user = user
    rep.save(update_fields=["user"])
    return rep


def make_day(station, date: datetime.date, *reps, status=ReceptionDay.Status.PLANNED, duty_status="invited"):
    """A reception day written directly (past days cannot be scheduled through the service)."""
    day = ReceptionDay.objects.create(
        station=station,
        date=date,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(11, 0),
        notice_on=notice_date(date, 3),
        status=status,
    )
    for rep in reps:
        DutyAssignment.objects.create(day=day, representative=rep, status=duty_status)
    return day
