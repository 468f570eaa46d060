"""Reminders 3 days and 1 day ahead in Asia/Shanghai local days; unconfirmed-duty alerts; once only."""

import datetime
import zoneinfo

import pytest

from liaison import services as liaison_services
from liaison.models import Notification
from tests.voters.reception_helpers import make_day, rep_with_account
from voters.services.reception_reminders import reception_reminders_send

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh, mm):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def setup(network):
    network.station_a.officer = network.users["officer"]
    network.station_a.save(update_fields=["officer"])
    rep = rep_with_account(network, "rep1")
    return rep


def reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="reception_reminder").order_by("pk"))


def test_run_twice_sends_each_reminder_once(network, setup):
    rep = setup
    make_day(network.station_a, datetime.date(2026, 3, 14), rep)  # 3 days after the 11th
    make_day(network.station_a, datetime.date(2026, 3, 12), rep)  # 1 day after the 11th
    make_day(network.station_a, datetime.date(2026, 3, 13), rep)  # 2 days: no reminder
    now = local(2026, 3, 11, 9, 0)
    first = reception_reminders_send(now=now)
    second = reception_reminders_send(now=now + datetime.timedelta(hours=1))
    assert first["reminders"] == 2 and second["reminders"] == 0
    assert len(reminders(rep.user)) == 2
    # Unconfirmed duties within three days: one alert per day to the officer, once a day.
    alerts = Notification.objects.filter(recipient=network.users["officer"], kind="reception_unconfirmed")
    assert alerts.count() == 3
    assert second["alerts"] == 0


def test_2330_and_0030_local_land_on_the_right_local_day(network, setup):
    rep = setup
    day_14 = make_day(network.station_a, datetime.date(2026, 3, 14), rep)
    day_15 = make_day(network.station_a, datetime.date(2026, 3, 15), rep)
    # 23:30 on the 11th in Shanghai is 15:30 UTC: the local day is the 11th -> the day on the 14th.
    reception_reminders_send(now=local(2026, 3, 11, 23, 30))
    assert [n.key for n in reminders(rep.user)] == [f"reception-reminder:{day_14.duties.get().pk}:3"]
    # 00:30 on the 12th in Shanghai is still the 11th in UTC: the local day is the 12th -> the 15th.
    reception_reminders_send(now=local(2026, 3, 12, 0, 30))
    assert [n.key for n in reminders(rep.user)][1:] == [f"reception-reminder:{day_15.duties.get().pk}:3"]


def test_declined_and_cancelled_get_no_reminder_and_confirmed_no_alert(network, setup):
    rep = setup
    other = rep_with_account(network, "rep2", name="李四")
    make_day(network.station_a, datetime.date(2026, 3, 12), rep, duty_status="declined")
    make_day(network.station_a, datetime.date(2026, 3, 14), rep, status="cancelled")
    make_day(network.station_a, datetime.date(2026, 3, 14), other, duty_status="confirmed")
    counts = reception_reminders_send(now=local(2026, 3, 11, 9, 0))
    assert counts == {"reminders": 1, "alerts": 0}
    assert reminders(rep.user) == []


def test_reminders_use_the_recipients_channels(network, setup, mailoutbox, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    rep = setup
    rep.user.email = "rep@example.org"
    rep.user.save(update_fields=["email"])
    liaison_services.notification_preference_update(user=rep.user, email=True, sms=False)
    make_day(network.station_a, datetime.date(2026, 3, 12), rep)
    reception_reminders_send(now=local(2026, 3, 11, 9, 0))
    (note,) = reminders(rep.user)
    assert note.channels == ["inbox", "email"]


def test_choosing_whom_to_remind_is_set_based(network, setup):
    """The job costs two queries plus the same few per message: nothing more per representative."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            reception_reminders_send(now=local(2026, 3, 11, 9, 0))
        return len(ctx.captured_queries)

    none = cost()
    make_day(network.station_a, datetime.date(2026, 3, 12), setup, duty_status="confirmed")
    one = cost()
    for i in range(4):
        rep = rep_with_account(network, f"r{i}", name=f"代表{i}")
        make_day(network.station_a, datetime.date(2026, 3, 12), rep, duty_status="confirmed")
    five = cost()
    assert none == 2
    assert five - one == 4 * (one - none)


def test_a_point_without_an_officer_alerts_the_officer_above(network, setup):
    rep = setup
    make_day(network.point_a, datetime.date(2026, 3, 12), rep)  # point A has no officer of its own
    counts = reception_reminders_send(now=local(2026, 3, 11, 9, 0))
    assert counts["alerts"] == 1
    alert = Notification.objects.get(kind="reception_unconfirmed")
    assert alert.recipient == network.users["officer"]  # the officer of station A, above the point
    assert "王建国" in alert.body


def test_the_periodic_tasks_are_scheduled_and_log_what_they_handled(network, setup, settings, caplog):
    from voters import tasks

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"voters.tasks.reception_reminders", "voters.tasks.reception_notices_publish"} <= names
    with caplog.at_level("INFO"):
        assert tasks.reception_reminders() == {"reminders": 0, "alerts": 0}
        assert tasks.reception_notices_publish() == 0
    assert "reception_reminders handled" in caplog.text and "reception_notices_publish handled 0" in caplog.text
