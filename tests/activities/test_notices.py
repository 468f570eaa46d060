"""Activity notices and the quarterly duty check: each notice once, on the right local day."""

import datetime
import logging

import pytest
from django.utils import timezone

from liaison.activities import tasks
from liaison.activities.services import activities as activity_services
from liaison.activities.services import notices as notice_services
from liaison.models import Notification
from tests.activities.helpers import invite, local, make_activity, rep_with_account
from tests.factories import UserFactory


def announced(network, rep, **fields):
    activity = make_activity(network, **fields)
    invite(network, activity, rep)
    activity_services.activity_announce(actor=network.users["superuser"], activity=activity)
    return activity


def test_notice_jobs_run_twice_send_each_notice_once(network, caplog):
    rep, user = rep_with_account(network)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    activity = make_activity(network, starts_at=tomorrow)
    invite(network, activity, rep)
    # Announced without the notice (as if the request died after the commit): the job sends it.
    type(activity).objects.filter(pk=activity.pk).update(status="announced", announced_at=timezone.now())
    with caplog.at_level(logging.INFO, logger="liaison.activities.tasks"):
        assert tasks.activity_notices() == 2  # the announcement and the day-before notice
        assert tasks.activity_notices() == 0
    assert Notification.objects.filter(recipient=user).count() == 2
    assert "2 announcements" not in caplog.text
    assert "activity notices: 1 announcements and 1 day-before notices sent" in caplog.text
    assert "activity notices: 0 announcements and 0 day-before notices sent" in caplog.text


def test_invitees_added_after_the_announcement_are_told_too(network, django_capture_on_commit_callbacks):
    rep, user = rep_with_account(network)
    activity = announced(network, rep)
    late, late_user = rep_with_account(network, username="late", name="迟到者")
    with django_capture_on_commit_callbacks(execute=True):
        invite(network, activity, late)
    assert notice_services.activity_send_announcements() == 0  # sent on commit of the invitation already
    assert Notification.objects.filter(recipient=late_user, kind="activity_announced").count() == 1
    assert Notification.objects.filter(recipient=user, kind="activity_announced").count() == 1


def test_day_before_notice_at_23_30_and_00_30_local_time(network):
    rep, user = rep_with_account(network)
    just_after_midnight = announced(network, rep, starts_at=local(2031, 1, 10, 0, 15), title="十日零点活动")
    next_morning = announced(network, rep, starts_at=local(2031, 1, 11, 9, 0), title="十一日上午活动")
    # 23:30 on 9 January in Shanghai is 15:30 UTC: tomorrow is the 10th.
    at_2330 = local(2031, 1, 9, 23, 30)
    assert at_2330.astimezone(datetime.UTC).hour == 15
    assert notice_services.activity_send_day_before(now=at_2330) == 1
    eve = Notification.objects.filter(kind="activity_day_before")
    assert [n.title for n in eve] == ["明天：十日零点活动"]
    # 00:30 on the 10th (16:30 UTC on the 9th, still "the 9th" in UTC): tomorrow is the 11th.
    at_0030 = local(2031, 1, 10, 0, 30)
    assert at_0030.astimezone(datetime.UTC).day == 9
    assert notice_services.activity_send_day_before(now=at_0030) == 1
    assert notice_services.activity_send_day_before(now=at_0030) == 0
    titles = sorted(Notification.objects.filter(kind="activity_day_before").values_list("title", flat=True))
    assert titles == ["明天：十一日上午活动", "明天：十日零点活动"]
    assert just_after_midnight and next_morning


def test_a_cancelled_activity_gets_no_day_before_notice(network):
    rep, _user = rep_with_account(network)
    activity = announced(network, rep, starts_at=local(2031, 3, 2, 9))
    activity_services.activity_cancel(actor=network.users["superuser"], activity=activity)
    assert notice_services.activity_send_day_before(now=local(2031, 3, 1, 10)) == 0


@pytest.fixture
def quarter(network):
    """Q4 2026: 甲 attended two activities, 乙 one, 丙 none (no account), 丁 two but one in Q3."""
    from tests.representatives.factories import make_representative

    admin = network.users["superuser"]
    jia, _ = rep_with_account(network, username="jia", name="甲代表")
    yi, yi_user = rep_with_account(network, username="yi", name="乙代表")
    bing = make_representative(network, name="丙代表")
    ding, ding_user = rep_with_account(network, username="ding", name="丁代表")
    other, _ = rep_with_account(network, username="other", name="乙乡代表", station=network.station_b)
    q4 = [make_activity(network, starts_at=local(2026, m, 15)) for m in (10, 11)]
    q3 = make_activity(network, starts_at=local(2026, 9, 30, 23, 30))
    for activity, attendees in ((q4[0], [jia, yi, ding, other]), (q4[1], [jia, other]), (q3, [ding, yi])):
        invite(network, activity, *attendees, bing)
        for invitation in activity.invitations.filter(representative__in=attendees):
            activity_services.activity_attendance_confirm(invitation=invitation, actor=admin, method="officer")
    return {"yi": yi_user, "ding": ding_user}


def test_quarterly_duty_check_on_a_known_fixture(network, quarter):
    short = {rep.name: rep.duties for rep in notice_services.duty_shortfall(year=2026, quarter=4)}
    assert short == {"乙代表": 1, "丙代表": 0, "丁代表": 1}
    sent = notice_services.duty_check_quarter(today=datetime.date(2027, 1, 1))
    # 乙 and 丁 (丙 has no account), and the officer of station A (named in one digest).
    assert sent == 3
    officer_notice = Notification.objects.get(recipient=network.users["officer"], kind="duty_check")
    assert "3" in officer_notice.title
    assert officer_notice.body == "乙代表（1）、丙代表（0）、丁代表（1）"
    assert Notification.objects.filter(recipient=quarter["yi"], kind="duty_check").count() == 1
    # Township staff and the other station's officer hear nothing; a second run sends nothing.
    assert not Notification.objects.filter(recipient=network.users["township"]).exists()
    assert notice_services.duty_check_quarter(today=datetime.date(2027, 1, 1)) == 0


def test_duty_check_task_logs_its_count(network, quarter, caplog, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2027, 1, 1))
    with caplog.at_level(logging.INFO, logger="liaison.activities.tasks"):
        assert tasks.activity_duty_check() == 3
    assert "quarterly duty check: 3 notices sent" in caplog.text
    assert UserFactory  # the factory import keeps fixtures' users available


def test_reception_days_held_and_household_visits_count_as_duties(network, quarter):
    """The rule is "two duties a quarter" (seed 003), not two activities: 乙 attended one activity
    and held one reception day; 丙 visited two households. Only 丁 is still short."""
    from representatives.models import Representative
    from tests.voters.factories import make_household
    from tests.voters.reception_helpers import make_day
    from voters.services import grid as grid_services
    from voters.services import visits as visit_services

    admin = network.users["superuser"]
    yi = Representative.objects.get(name="乙代表")
    bing = Representative.objects.get(name="丙代表")
    day = make_day(network.station_a, datetime.date(2026, 11, 20), yi)
    visit_services.reception_day_record_held(actor=admin, day_id=day.pk, visitor_count=3)
    household = make_household(network)
    for date in (datetime.date(2026, 10, 3), datetime.date(2026, 11, 9)):
        grid_services.household_visit_log(actor=admin, household=household, representative=bing, visited_on=date)
    short = {rep.name: rep.duties for rep in notice_services.duty_shortfall(year=2026, quarter=4)}
    assert short == {"丁代表": 1}
    # Un-holding the day by mistake takes 乙's duty away again.
    visit_services.reception_day_record_not_held(actor=admin, day_id=day.pk)
    short = {rep.name: rep.duties for rep in notice_services.duty_shortfall(year=2026, quarter=4)}
    assert short == {"乙代表": 1, "丁代表": 1}
