"""Activities built through the services, on the network of tests.factories."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from liaison.activities.services import activities as activity_services
from tests.factories import UserFactory
from tests.representatives.factories import make_representative

_names = itertools.count(1)


def local(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def make_activity(network, *, station=None, starts_at=None, actor=None, **fields):
    values = {
        "station": station or network.station_a,
        "kind": "training",
        "title": f"代表履职培训{next(_names)}",
        "starts_at": starts_at or timezone.now() + datetime.timedelta(days=7),
        "location": "镇政府三楼会议室",
    }
    values.update(fields)
    return activity_services.activity_create(actor=actor or network.users["superuser"], **values)


def rep_with_account(network, *, username=None, station=None, name="李晓梅"):
    """A serving representative with a sign-in account (the representative role)."""
    from representatives.services.roster import representative_link_user

    rep = make_representative(network, station=station, name=name)
    user = network.users["representative"] if username is None else UserFactory(username=username)
    representative_link_user(actor=network.users["superuser"], representative=rep, user=user)
    return rep, user


def invite(network, activity, *reps):
    return activity_services.activity_invite(
        actor=network.users["superuser"], activity=activity, representative_ids=[r.pk for r in reps]
    )
