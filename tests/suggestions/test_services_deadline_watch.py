"""The daily deadline watch: units reminded 7, 3 and 1 days ahead; overdue items in one digest per
township and county staff member per day; set-based and idempotent; run by a real Celery worker."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.celery_app import app
from liaison.models import Notification, RoleGrant
from suggestions.models import Assignment
from suggestions.services import deadline_watch
from tests.factories import UserFactory, grant
from tests.suggestions.core_helpers import assigned, lead_assignment

TODAY = datetime.date(2026, 6, 10)


def _due(network, days, **fields):
    suggestion = assigned(network, **fields)
    lead = lead_assignment(suggestion)
    Assignment.objects.filter(pk=lead.pk).update(due_on=TODAY + datetime.timedelta(days=days))
    return lead


@pytest.mark.django_db
def test_units_are_reminded_7_3_and_1_days_ahead_once(network):
    for days in (7, 5, 3, 1, 0):
        _due(network, days, title=f"{days}天后到期")
    assert deadline_watch.deadline_reminders(today=TODAY) == 3
    titles = sorted(Notification.objects.filter(recipient=network.users["unit"]).values_list("title", flat=True))
    assert any("明天到期" in t for t in titles)
    assert deadline_watch.deadline_reminders(today=TODAY) == 0
    assert Notification.objects.filter(kind="suggestion_deadline").count() == 3


@pytest.mark.django_db
def test_an_extended_deadline_is_reminded_again(network):
    lead = _due(network, 3)
    assert deadline_watch.deadline_reminders(today=TODAY) == 1
    Assignment.objects.filter(pk=lead.pk).update(due_on=TODAY + datetime.timedelta(days=7))
    assert deadline_watch.deadline_reminders(today=TODAY) == 1


@pytest.fixture
def overdue(network):
    """Two overdue items at station A (township A), one at station B (township B), one not overdue."""
    township_b = UserFactory(username="township_b")
    grant(township_b, RoleGrant.Role.TOWNSHIP_STAFF, division=network.township_b)
    network.users["township_b"] = township_b
    # The officer of station B registers B's suggestion.
    officer_b = UserFactory(username="officer_b")
    grant(officer_b, RoleGrant.Role.STATION_OFFICER, station=network.station_b)
    a1, a2 = _due(network, -1, title="甲一"), _due(network, -10, title="甲二")
    b1 = lead_assignment(_assign_as(network, officer_b, network.station_b))
    Assignment.objects.filter(pk=b1.pk).update(due_on=TODAY - datetime.timedelta(days=2))
    _due(network, 2, title="未逾期")
    return a1, a2, b1


def _assign_as(network, officer, station):
    from suggestions.services import handling
    from tests.suggestions.core_helpers import make_suggestion

    suggestion = make_suggestion(network, actor=officer, station=station, title="乙一")
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk)
    suggestion.refresh_from_db()
    return suggestion


def _digests(user):
    return list(Notification.objects.filter(recipient=user, kind="suggestion_overdue_digest"))


@pytest.mark.django_db
def test_overdue_items_go_to_township_and_county_staff_in_one_digest_each(network, overdue):
    assert deadline_watch.overdue_digests(today=TODAY) == 3  # township A, township B, county
    (township_a,) = _digests(network.users["township"])
    assert "2" in township_a.title and "甲一" in township_a.body and "甲二" in township_a.body
    assert "乙一" not in township_a.body
    (township_b,) = _digests(network.users["township_b"])
    assert "乙一" in township_b.body and "甲一" not in township_b.body
    (county,) = _digests(network.users["county"])
    assert all(title in county.body for title in ("甲一", "甲二", "乙一")) and "未逾期" not in county.body
    assert "10" in county.body  # days overdue
    assert not _digests(network.users["officer"]) and not _digests(network.users["unit"])


@pytest.mark.django_db
def test_the_digest_is_sent_once_a_day_even_when_the_job_runs_twice(network, overdue):
    assert deadline_watch.overdue_digests(today=TODAY) == 3
    assert deadline_watch.overdue_digests(today=TODAY) == 0
    assert len(_digests(network.users["county"])) == 1
    assert deadline_watch.overdue_digests(today=TODAY + datetime.timedelta(days=1)) == 3
    assert len(_digests(network.users["county"])) == 2


@pytest.mark.django_db
def test_the_digests_are_set_based(network, overdue):
    """The same queries whatever the number of overdue items (for the same recipients)."""

    def queries():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert deadline_watch.overdue_digests(today=TODAY) == 3
        return len(ctx.captured_queries)

    small = queries()
    for i in range(8):
        _due(network, -3 - i, title=f"又一件{i}")
    assert queries() == small


def test_the_watch_runs_daily_on_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["suggestions-deadline-watch"]
    assert entry["task"] == "suggestions.tasks.deadline_watch"
    assert entry["schedule"].hour == {7}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_deadline_watch_once(network):
    from suggestions import tasks

    lead = lead_assignment(assigned(network))
    today = datetime.date.today()
    Assignment.objects.filter(pk=lead.pk).update(due_on=today - datetime.timedelta(days=1))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.deadline_watch.delay()
        for _ in range(200):
            if Notification.objects.filter(kind="suggestion_overdue_digest").exists():
                break
            time.sleep(0.1)
    digests = Notification.objects.filter(kind="suggestion_overdue_digest")
    assert sorted(n.recipient.username for n in digests) == ["county", "township"]
