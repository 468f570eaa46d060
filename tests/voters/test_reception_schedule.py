"""Scheduling reception days: series (rrule), the automatic notice date, duties, cancelling."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.models import Notification
from tests.voters.reception_helpers import rep_with_account
from voters.models import DutyAssignment, ReceptionDay
from voters.services import reception as services
from voters.services.reception import Frequency, SeriesRule

NINE, ELEVEN = datetime.time(9, 0), datetime.time(11, 0)
TODAY = datetime.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def dates(**kwargs):
    return services.series_dates(SeriesRule(**kwargs))


def test_the_15th_of_every_odd_month():
    got = dates(
        frequency=Frequency.MONTHLY, start=datetime.date(2026, 1, 1), until=datetime.date(2026, 12, 31),
        day_of_month=15, months="odd",
    )  # fmt: skip
    assert got == [datetime.date(2026, m, 15) for m in (1, 3, 5, 7, 9, 11)]


def test_weekly_from_a_start_date():
    got = dates(frequency=Frequency.WEEKLY, start=datetime.date(2026, 1, 7), until=datetime.date(2026, 2, 4))
    assert got == [datetime.date(2026, 1, 7) + datetime.timedelta(weeks=n) for n in range(5)]
    assert {d.weekday() for d in got} == {2}


def test_the_31st_falls_on_the_last_day_of_a_shorter_month():
    got = dates(
        frequency=Frequency.MONTHLY, start=datetime.date(2026, 1, 1), until=datetime.date(2026, 6, 30), day_of_month=31
    )
    assert got == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 5, 31),
        datetime.date(2026, 6, 30),
    ]


def test_a_series_creates_days_with_notice_dates_and_invites(network):
    rep = rep_with_account(network, "rep1")
    days = services.reception_day_schedule(
        actor=network.users["officer"],
        station=network.station_a,
        rule=SeriesRule(
            frequency=Frequency.MONTHLY,
            start=datetime.date(2026, 1, 10),
            until=datetime.date(2026, 12, 31),
            day_of_month=15,
            months="odd",
        ),
        starts_at=NINE,
        ends_at=ELEVEN,
        notice_days=3,
        duty_representatives=[rep],
    )
    assert [d.date.month for d in days] == [1, 3, 5, 7, 9, 11]
    assert days[0].notice_on == datetime.date(2026, 1, 12)
    assert days[0].series.description
    assert DutyAssignment.objects.filter(representative=rep).count() == 6
    # One invitation for the whole series, not six.
    assert Notification.objects.filter(recipient=rep.user, kind="reception_invited").count() == 1
    # Nothing is due yet on 5 January: no notice published.
    assert not ReceptionDay.objects.filter(notice_published_at__isnull=False).exists()


def test_notice_is_published_automatically_n_days_ahead(network):
    (day,) = services.reception_day_schedule(
        actor=network.users["officer"],
        station=network.station_a,
        rule=SeriesRule(frequency=Frequency.ONCE, start=datetime.date(2026, 1, 20)),
        starts_at=NINE,
        ends_at=ELEVEN,
        notice_days=5,
    )
    assert day.notice_on == datetime.date(2026, 1, 15)
    assert services.reception_notices_publish(today=datetime.date(2026, 1, 14)) == 0
    assert services.reception_notices_publish(today=datetime.date(2026, 1, 15)) == 1
    assert services.reception_notices_publish(today=datetime.date(2026, 1, 16)) == 0  # once
    day.refresh_from_db()
    assert day.is_notice_published


def test_a_day_at_short_notice_is_published_at_once(network):
    (day,) = services.reception_day_schedule(
        actor=network.users["officer"],
        station=network.station_a,
        rule=SeriesRule(frequency=Frequency.ONCE, start=datetime.date(2026, 1, 6)),
        starts_at=NINE,
        ends_at=ELEVEN,
    )
    day.refresh_from_db()
    assert day.is_notice_published


D = datetime.date
BAD_RULES = [
    (SeriesRule(frequency=Frequency.ONCE, start=D(2026, 1, 1)), "date"),
    (SeriesRule(frequency=Frequency.WEEKLY, start=D(2026, 1, 7)), "until"),
    (SeriesRule(frequency=Frequency.WEEKLY, start=D(2026, 1, 7), until=D(2026, 1, 1)), "until"),
    (SeriesRule(frequency=Frequency.WEEKLY, start=D(2026, 1, 7), until=D(2029, 1, 1)), "until"),
    (
        SeriesRule(frequency=Frequency.MONTHLY, start=D(2026, 1, 7), until=D(2026, 3, 1), day_of_month=40),
        "day_of_month",
    ),
]


@pytest.mark.parametrize(("rule", "field"), BAD_RULES)
def test_bad_rules_are_refused_and_change_nothing(network, rule, field):
    with pytest.raises(ValidationError) as excinfo:
        services.reception_day_schedule(
            actor=network.users["officer"], station=network.station_a, rule=rule, starts_at=NINE, ends_at=ELEVEN
        )
    assert field in excinfo.value.message_dict
    assert not ReceptionDay.objects.exists()


def test_an_officer_cannot_schedule_at_another_station(network):
    with pytest.raises(ValidationError) as excinfo:
        services.reception_day_schedule(
            actor=network.users["officer"],
            station=network.station_b,
            rule=SeriesRule(frequency=Frequency.ONCE, start=datetime.date(2026, 1, 20)),
            starts_at=NINE,
            ends_at=ELEVEN,
        )
    assert "station" in excinfo.value.message_dict


def test_schedule_page_with_a_series_and_hours_the_wrong_way_round(network, client_for):
    client = client_for(network.users["officer"])
    url = reverse("voters:reception_schedule") + f"?station={network.station_a.pk}"
    response = client.post(
        url, {"frequency": "once", "date": "2026-01-20", "starts_at": "11:00", "ends_at": "09:00", "notice_days": 3}
    )
    assert response.status_code == 200
    assert "结束时间".encode() in response.content or b"after it starts" in response.content
    assert not ReceptionDay.objects.exists()
    response = client.post(
        url,
        {
            "frequency": "weekly",
            "date": "2026-01-07",
            "until": "2026-02-04",
            "starts_at": "09:00",
            "ends_at": "11:00",
            "notice_days": 3,
            "months": "all",
        },
    )
    assert response.status_code == 302
    assert ReceptionDay.objects.filter(station=network.station_a).count() == 5


def test_cancel_needs_a_reason_and_tells_the_duty_representatives(network, client_for):
    rep = rep_with_account(network, "rep1")
    (day,) = services.reception_day_schedule(
        actor=network.users["officer"],
        station=network.station_a,
        rule=SeriesRule(frequency=Frequency.ONCE, start=datetime.date(2026, 1, 20)),
        starts_at=NINE,
        ends_at=ELEVEN,
        duty_representatives=[rep],
    )
    client = client_for(network.users["officer"])
    url = reverse("voters:reception_cancel", args=[day.pk])
    client.post(url, {"reason": "   "})
    day.refresh_from_db()
    assert day.status == "planned"
    client.post(url, {"reason": "台风预警"})
    day.refresh_from_db()
    assert day.status == "cancelled" and day.cancel_reason == "台风预警"
    note = Notification.objects.get(recipient=rep.user, kind="reception_cancelled")
    assert note.body == "台风预警"


def test_declining_tells_the_officer(network, client_for):
    network.station_a.officer = network.users["officer"]
    network.station_a.save(update_fields=["officer"])
    rep = rep_with_account(network, "rep1")
    (day,) = services.reception_day_schedule(
        actor=network.users["officer"],
        station=network.station_a,
        rule=SeriesRule(frequency=Frequency.ONCE, start=datetime.date(2026, 1, 20)),
        starts_at=NINE,
        ends_at=ELEVEN,
        duty_representatives=[rep],
    )
    duty = day.duties.get()
    client_for(rep.user).post(reverse("voters:duty_respond", args=[duty.pk]), {"answer": "decline"})
    duty.refresh_from_db()
    assert duty.status == "declined"
    assert Notification.objects.filter(recipient=network.users["officer"], kind="reception_declined").count() == 1
