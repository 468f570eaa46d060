"""Invitations and attendance: recorded by staff, or by the representative's own check-in (once)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.activities.services import activities as activity_services
from liaison.models import ActivityInvitation, Notification
from representatives.services import groups
from representatives.services.roster import representative_end_service
from tests.activities.helpers import invite, make_activity, rep_with_account
from tests.representatives.factories import make_representative


@pytest.fixture
def started(network):
    return make_activity(network, starts_at=timezone.now() - datetime.timedelta(minutes=10))


def test_invite_by_station_group_and_by_hand(network):
    admin = network.users["superuser"]
    a1 = make_representative(network, name="站内一", station=network.station_a)
    a2 = make_representative(network, name="点内二", station=network.point_a)
    b1 = make_representative(network, name="乙乡一", station=network.station_b)
    b2 = make_representative(network, name="乙乡二", station=network.station_b)
    resigned = make_representative(network, name="已辞职", station=network.station_a)
    representative_end_service(
        actor=admin, representative=resigned, status="resigned", date=timezone.localdate(), reason="工作调动"
    )
    group = groups.group_create(actor=admin, name="共治组", kind="co_governance", station=network.station_b)
    groups.group_add_member(actor=admin, group=group, representative=b1)
    activity = make_activity(network)
    count = activity_services.activity_invite(
        actor=admin, activity=activity, stations=[network.station_a], groups=[group], representative_ids=[b2.pk]
    )
    vias = dict(activity.invitations.values_list("representative__name", "via"))
    assert count == 4
    assert vias == {"站内一": "station", "点内二": "station", "乙乡一": "group", "乙乡二": "hand"}
    # Inviting again adds nobody twice.
    assert activity_services.activity_invite(actor=admin, activity=activity, stations=[network.station_a]) == 0
    assert a1 and a2


def test_officer_records_attendance(network, client_for, started):
    r1, r2 = make_representative(network, name="出席"), make_representative(network, name="缺席")
    invite(network, started, r1, r2)
    i1 = started.invitations.get(representative=r1)
    client = client_for(network.users["officer"])
    response = client.post(reverse("activities:attendance", args=[started.pk]), {"attended": [i1.pk]})
    assert response.status_code == 302
    i1.refresh_from_db()
    assert i1.attended_at is not None
    assert i1.attendance_method == "officer"
    assert i1.attendance_recorded_by == network.users["officer"]
    assert not started.invitations.get(representative=r2).attended_at
    page = client.get(reverse("activities:detail", args=[started.pk])).content.decode()
    assert "1 / 2" in page or "2 人中 1 人出席" in page or "1 of 2" in page
    # Unticking corrects a mistake.
    client.post(reverse("activities:attendance", args=[started.pk]), {})
    i1.refresh_from_db()
    assert i1.attended_at is None


def test_attendance_cannot_be_recorded_before_the_activity(network, client_for):
    future = make_activity(network)
    rep = make_representative(network)
    invite(network, future, rep)
    inv = future.invitations.get()
    client_for(network.users["officer"]).post(
        reverse("activities:attendance", args=[future.pk]), {"attended": [inv.pk]}
    )
    inv.refresh_from_db()
    assert inv.attended_at is None


def test_representative_checks_in_once(network, client_for, started):
    rep, user = rep_with_account(network)
    invite(network, started, rep)
    client = client_for(user)
    url = reverse("activities:check_in", args=[started.pk])
    assert "check-in-button" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    invitation = started.invitations.get(representative=rep)
    assert invitation.attended_at is not None
    assert invitation.attendance_method == ActivityInvitation.Method.CHECK_IN
    assert "签到成功" in response.content.decode() or "checked in" in response.content.decode()
    first = invitation.attended_at
    history = ActivityInvitation.history.filter(id=invitation.pk).count()
    response = client.post(url, follow=True)
    invitation.refresh_from_db()
    assert invitation.attended_at == first
    assert ActivityInvitation.history.filter(id=invitation.pk).count() == history
    assert "checked-in" in response.content.decode()


def test_a_representative_not_invited_gets_a_clear_message(network, client_for, started):
    _rep, user = rep_with_account(network)
    client = client_for(user)
    url = reverse("activities:check_in", args=[started.pk])
    page = client.get(url).content.decode()
    assert "邀请名单" in page
    assert "check-in-button" not in page
    response = client.post(url)
    assert response.status_code == 200
    assert "邀请名单" in response.content.decode()
    assert not ActivityInvitation.objects.filter(attended_at__isnull=False).exists()


def test_check_in_too_early_says_when_it_opens(network, client_for):
    rep, user = rep_with_account(network)
    later = make_activity(network, starts_at=timezone.now() + datetime.timedelta(days=2))
    invite(network, later, rep)
    response = client_for(user).post(reverse("activities:check_in", args=[later.pk]))
    assert "签到将于" in response.content.decode()
    assert later.invitations.get().attended_at is None


def test_attendance_confirm_is_the_one_idempotent_seam(network, started):
    rep = make_representative(network)
    invite(network, started, rep)
    invitation = started.invitations.get()
    officer = network.users["officer"]
    assert activity_services.activity_attendance_confirm(invitation=invitation, actor=officer, method="officer") is True
    assert (
        activity_services.activity_attendance_confirm(invitation=invitation, actor=officer, method="check_in") is False
    )
    invitation.refresh_from_db()
    assert invitation.attendance_method == "officer"


def test_announce_tells_invitees_once(network, client_for):
    rep, user = rep_with_account(network)
    activity = make_activity(network)
    invite(network, activity, rep)
    client = client_for(network.users["officer"])
    client.post(reverse("activities:announce", args=[activity.pk]))
    client.post(reverse("activities:announce", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "announced"
    assert Notification.objects.filter(recipient=user, kind="activity_announced").count() == 1


def test_announcing_with_nobody_invited_is_refused(network, client_for):
    activity = make_activity(network)
    response = client_for(network.users["officer"]).post(
        reverse("activities:announce", args=[activity.pk]), follow=True
    )
    assert "请先邀请代表" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_activity_form_errors_are_in_chinese(network, client_for):
    response = client_for(network.users["officer"]).post(
        reverse("activities:create"),
        {
            "station": network.station_a.pk,
            "kind": "training",
            "title": "",
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T08:00",
            "planned_amount": "12.345",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入活动名称" in html
    assert "最多两位小数" in html


def test_my_activities_lists_what_the_home_page_counts(network, client_for, started):
    rep, user = rep_with_account(network)
    coming = make_activity(network, title="下周座谈")
    invite(network, started, rep)
    invite(network, coming, rep)
    client = client_for(user)
    home = client.get(reverse("liaison:dashboard"))
    stats = {stat.label: stat for panel in home.context["panels"] for stat in panel.stats}
    assert stats["待签到的活动"].value == 1
    assert stats["即将开展的活动"].value == 1
    page = client.get(stats["待签到的活动"].url)
    assert [i.activity for i in page.context["invitations"]] == [started]
    client.post(reverse("activities:check_in", args=[started.pk]))
    assert client.get(stats["待签到的活动"].url).context["page_obj"].paginator.count == 0


def test_edit_form_opens_with_stored_values_and_saving_unchanged_changes_nothing(network, client_for):
    from tests.activities.helpers import local

    activity = make_activity(network, starts_at=local(2031, 5, 1, 9, 30), planned_amount="1280.50")
    client = client_for(network.users["officer"])
    url = reverse("activities:update", args=[activity.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["starts_at"] = form["starts_at"].value().strftime("%Y-%m-%dT%H:%M")
    assert str(data["planned_amount"]) == "1280.50"
    before = activity.history.count()
    assert client.post(url, data).status_code == 302
    assert activity.history.count() == before
    data["title"] = "改名后的培训"
    client.post(url, data)
    activity.refresh_from_db()
    assert activity.title == "改名后的培训"
    assert activity.history.first().history_user == network.users["officer"]
