"""A refresh still open after its due date is overdue: flagged on its pages and in the weekly
reminders, and county staff are told which stations are late."""

import datetime

import pytest
from django.urls import reverse

from liaison.models import Notification
from representatives.services import refresh as services
from tests.representatives.register_helpers import build_register

PERIOD = datetime.date(2025, 7, 1)  # due 2025-08-31
BEFORE_DUE = datetime.date(2025, 7, 7)
AFTER_DUE = datetime.date(2025, 9, 8)  # a Monday, 8 days late


@pytest.fixture
def register(network):
    return build_register(network)


@pytest.fixture
def campaign(register):
    return services.register_refresh_open(period_start=PERIOD)


def test_overdue_means_open_after_the_due_date(campaign):
    assert not campaign.is_overdue(datetime.date(2025, 8, 31))
    assert campaign.is_overdue(datetime.date(2025, 9, 1))
    assert campaign.days_overdue(AFTER_DUE) == 8
    campaign.closed_at = datetime.datetime(2025, 9, 2, tzinfo=datetime.UTC)
    assert not campaign.is_overdue(AFTER_DUE)


def test_progress_page_flags_the_campaign_and_the_late_stations(network, register, campaign, client_for):
    # Station B confirms its entry; station A still has four waiting.
    for confirmation in campaign.confirmations.filter(station=network.station_b):
        services.register_refresh_confirm(actor=register.users["officer_b"], confirmation=confirmation)
    client = client_for(network.users["county"])
    url = reverse("representatives:refresh_detail", args=[campaign.pk])
    response = client.get(url)
    page = response.content.decode()
    assert 'data-testid="overdue-badge"' in page
    assert "截止日期 2025-08-31 已过" in page
    rows = {row["station__name"]: row["late"] for row in response.context["progress"]["stations"]}
    assert rows == {"甲镇联络站": True, "乙乡联络站": False}
    assert page.count('data-testid="late-badge"') == 1
    late_only = client.get(url + "?late=1")
    assert [row["station__name"] for row in late_only.context["progress"]["stations"]] == ["甲镇联络站"]
    listing = client.get(reverse("representatives:refresh_list")).content.decode()
    assert 'data-testid="overdue-badge"' in listing


def test_a_refresh_before_its_due_date_is_not_flagged(network, register, campaign, client_for):
    campaign.due_date = datetime.date(2999, 8, 31)
    campaign.save(update_fields=["due_date"])
    response = client_for(network.users["county"]).get(reverse("representatives:refresh_detail", args=[campaign.pk]))
    assert not response.context["progress"]["overdue"]
    assert 'data-testid="overdue-badge"' not in response.content.decode()
    assert 'data-testid="late-stations"' not in response.content.decode()


def test_a_closed_refresh_is_not_overdue(network, register, campaign, client_for):
    services.register_refresh_close(actor=network.users["county"], campaign=campaign)
    response = client_for(network.users["county"]).get(reverse("representatives:refresh_detail", args=[campaign.pk]))
    assert 'data-testid="overdue-badge"' not in response.content.decode()


def reminders(user, kind="register_refresh"):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_reminders_before_the_due_date_say_by_when(network, register, campaign):
    services.register_refresh_remind(campaign=campaign, today=BEFORE_DUE)
    (officer,) = reminders(network.users["officer"])
    assert not officer.title.startswith("已逾期")
    assert "2025-08-31" in officer.body
    assert not reminders(network.users["county"], kind="register_refresh_late").exists()


def test_reminders_after_the_due_date_say_overdue_and_county_staff_hear_which_stations(network, register, campaign):
    sent = services.register_refresh_remind(campaign=campaign, today=AFTER_DUE)
    (officer,) = reminders(network.users["officer"])
    assert officer.title.startswith("已逾期")
    assert "截止日期 2025-08-31 已过 8 天" in officer.body
    (representative,) = reminders(network.users["representative"])
    assert representative.title.startswith("已逾期")
    (digest,) = reminders(network.users["county"], kind="register_refresh_late")
    assert "2 个联络站未完成" in digest.title
    assert "甲镇联络站（4 条待确认）" in digest.body
    assert "乙乡联络站（1 条待确认）" in digest.body
    assert digest.url.endswith("?late=1")
    assert sent == 4  # officers of A and B, the representative, the county staff member
    # Once a week: the same week sends nothing more.
    assert services.register_refresh_remind(campaign=campaign, today=AFTER_DUE + datetime.timedelta(days=2)) == 0
    assert reminders(network.users["county"], kind="register_refresh_late").count() == 1
