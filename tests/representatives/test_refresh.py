"""The half-yearly refresh: one campaign per period, confirm or correct, weekly reminders, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.models import Notification
from representatives import tasks
from representatives.models import RefreshCampaign, RefreshConfirmation
from representatives.services import refresh as services
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register

PERIOD = datetime.date(2025, 7, 1)


@pytest.fixture
def register(network):
    return build_register(network)


@pytest.fixture
def campaign(register):
    return services.register_refresh_open(period_start=PERIOD)


def test_opening_twice_creates_one_campaign(network, register):
    first = services.register_refresh_open(period_start=PERIOD)
    second = services.register_refresh_open(actor=network.users["county"], period_start=PERIOD)
    assert first.pk == second.pk
    assert RefreshCampaign.objects.count() == 1
    assert first.due_date == datetime.date(2025, 8, 31)
    assert first.opened_by is None  # opened by the scheduler
    confirmations = RefreshConfirmation.objects.filter(campaign=first)
    assert confirmations.count() == 5  # every active entry once
    assert {c.station_id for c in confirmations.select_related("entry")} == {
        network.station_a.pk,
        network.station_b.pk,
    }
    assert all(c.station_id == c.entry.origin_station_id for c in confirmations.select_related("entry"))


def test_opening_again_adds_entries_that_appeared_since(network, register, campaign):
    make_representative(network, name="新进城", residence=register.community)
    services.register_refresh_open(period_start=PERIOD)
    assert campaign.confirmations.count() == 6


def test_only_half_year_starts_and_only_county_staff(network, register):
    with pytest.raises(ValidationError):
        services.register_refresh_open(period_start=datetime.date(2025, 3, 1))
    with pytest.raises(PermissionDenied):
        services.register_refresh_open(actor=network.users["officer"], period_start=PERIOD)
    assert not RefreshCampaign.objects.exists()


def test_management_command_and_beat_task_are_idempotent(network, register):
    call_command("open_refresh_campaign", "--period", "2025-07-01")
    call_command("open_refresh_campaign", "--period", "2025-07-01")
    assert RefreshCampaign.objects.count() == 1
    pk = tasks.register_refresh_open_due()
    tasks.register_refresh_open_due()
    current = services.half_year_start(timezone.localdate())
    assert RefreshCampaign.objects.get(pk=pk).period_start == current
    assert RefreshCampaign.objects.filter(period_start=current).count() == 1


def test_open_button_for_county_staff(network, register, client_for):
    client = client_for(network.users["county"])
    assert 'data-testid="open-refresh"' in client.get(reverse("representatives:refresh_list")).content.decode()
    client.post(reverse("representatives:refresh_open"))
    client.post(reverse("representatives:refresh_open"))
    assert RefreshCampaign.objects.count() == 1
    officer = client_for(network.users["officer"])
    assert 'data-testid="open-refresh"' not in officer.get(reverse("representatives:refresh_list")).content.decode()
    assert officer.post(reverse("representatives:refresh_open")).status_code == 403


def test_confirm_unchanged_records_who_and_when(network, register, campaign, client_for):
    confirmation = campaign.confirmations.get(entry=register.entry("乡甲去乙"))
    client = client_for(network.users["officer"])
    url = reverse("representatives:refresh_confirm", args=[confirmation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.status == RefreshConfirmation.Status.CONFIRMED
    assert confirmation.confirmed_by == network.users["officer"]
    assert confirmation.confirmed_at is not None
    assert confirmation.changes == {}
    # Twice is refused, nothing changes.
    with pytest.raises(ValidationError):
        services.register_refresh_confirm(actor=network.users["officer"], confirmation=confirmation)


def test_correct_records_a_json_diff_and_updates_the_entry(network, register, campaign, client_for):
    entry = register.entry("乡甲进城")
    confirmation = campaign.confirmations.get(entry=entry)
    client = client_for(network.users["representative"])  # the representative themselves
    page = client.get(reverse("representatives:refresh_mine")).content.decode()
    assert 'data-testid="confirm-form"' in page
    response = client.post(
        reverse("representatives:refresh_mine"),
        {
            "action": "correct",
            "community": register.community.pk,
            "checked_in_on": "2025-05-04",
            "contact": "13700000000",
            "specialties_note": entry.specialties_note,
            "role_played": "参与社区协商",
        },
    )
    assert response.status_code == 302
    confirmation.refresh_from_db()
    entry.refresh_from_db()
    assert confirmation.status == RefreshConfirmation.Status.CORRECTED
    assert confirmation.confirmed_by == network.users["representative"]
    assert confirmation.changes["checked_in_on"] == {"from": "", "to": "2025-05-04"}
    assert confirmation.changes["contact"]["to"] == "13700000000"
    assert confirmation.changes["role_played"] == {"from": "", "to": "参与社区协商"}
    assert "community" not in confirmation.changes
    assert (entry.contact, entry.checked_in_on) == ("13700000000", datetime.date(2025, 5, 4))
    assert entry.history.order_by("-history_date").first().history_user == network.users["representative"]
    page = client.get(reverse("representatives:refresh_mine")).content.decode()
    assert 'data-testid="nothing-pending"' in page


def test_correct_with_bad_input_changes_nothing(network, register, campaign, client_for):
    entry = register.entry("乡甲进城")
    client = client_for(network.users["representative"])
    response = client.post(
        reverse("representatives:refresh_mine"),
        {"action": "correct", "community": network.village_a.pk, "checked_in_on": "2099-01-01", "contact": "x"},
    )
    assert response.status_code == 200
    confirmation = campaign.confirmations.get(entry=entry)
    assert confirmation.status == RefreshConfirmation.Status.PENDING
    entry.refresh_from_db()
    assert entry.contact != "x"


def test_a_representative_cannot_confirm_someone_elses_entry(network, register, campaign, client_for):
    other = campaign.confirmations.get(entry=register.entry("乡甲去乙"))
    response = client_for(network.users["representative"]).post(
        reverse("representatives:refresh_confirm", args=[other.pk]), {"action": "confirm"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.register_refresh_confirm(actor=network.users["representative"], confirmation=other)


def test_progress_per_station_and_county_wide(network, register, campaign, client_for):
    services.register_refresh_confirm(
        actor=network.users["officer"], confirmation=campaign.confirmations.get(entry=register.entry("乡甲去乙"))
    )
    services.register_refresh_confirm(
        actor=register.users["officer_b"],
        confirmation=campaign.confirmations.get(entry=register.entry("县乙进城")),
        corrections={"contact": "县城某小区"},
    )
    response = client_for(network.users["officer"]).get(reverse("representatives:refresh_detail", args=[campaign.pk]))
    progress = response.context["progress"]
    assert [(r["station__name"], r["pending"], r["confirmed"], r["corrected"]) for r in progress["stations"]] == [
        ("甲镇联络站", 3, 1, 0)
    ]
    assert str(progress["stations"][0]["percent_done"]) == "25.00"
    county = progress["county"]
    assert (county["total"], county["pending"], county["confirmed"], county["corrected"]) == (5, 3, 1, 1)
    assert str(county["percent_done"]) == "40.00"


def test_closing_records_who_and_when_and_keeps_the_record(network, register, campaign, client_for):
    services.register_refresh_confirm(
        actor=network.users["officer"], confirmation=campaign.confirmations.get(entry=register.entry("乡甲去乙"))
    )
    assert (
        client_for(network.users["officer"])
        .post(reverse("representatives:refresh_close", args=[campaign.pk]))
        .status_code
        == 403
    )
    client = client_for(network.users["county"])
    assert client.post(reverse("representatives:refresh_close", args=[campaign.pk])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_by == network.users["county"]
    assert campaign.closed_at is not None
    response = client.get(reverse("representatives:refresh_detail", args=[campaign.pk]), {"status": "confirmed"})
    page = response.content.decode()
    assert 'data-testid="closed-by"' in page
    rows = list(response.context["confirmations"])
    assert [(c.entry.representative.name, c.confirmed_by) for c in rows] == [("乡甲去乙", network.users["officer"])]
    # Closed: nothing more is confirmed, and no reminders.
    pending = campaign.confirmations.filter(status="pending").first()
    with pytest.raises(ValidationError):
        services.register_refresh_confirm(actor=network.users["officer"], confirmation=pending)
    assert services.register_refresh_remind(campaign=campaign) == 0


def reminders(user):
    return Notification.objects.filter(recipient=user, kind="register_refresh")


def test_reminders_go_once_per_week_per_person(network, register, campaign):
    monday = datetime.date(2025, 7, 7)
    sent = services.register_refresh_remind(campaign=campaign, today=monday)
    # Officers of station A and B (their origin entries are pending) and the linked representative.
    assert reminders(network.users["officer"]).count() == 1
    assert reminders(register.users["officer_b"]).count() == 1
    assert reminders(network.users["representative"]).count() == 1
    assert reminders(register.users["officer_town"]).count() == 0  # host only: the origin owns the refresh
    assert reminders(network.users["point_officer"]).count() == 0
    assert sent == 3
    # Again the same week (even on another day): nothing more.
    assert services.register_refresh_remind(campaign=campaign, today=monday) == 0
    assert services.register_refresh_remind(campaign=campaign, today=monday + datetime.timedelta(days=4)) == 0
    assert reminders(network.users["officer"]).count() == 1
    # Next week: once more for whoever still has open confirmations.
    for confirmation in campaign.confirmations.filter(station=network.station_b):
        services.register_refresh_confirm(actor=register.users["officer_b"], confirmation=confirmation)
    next_week = monday + datetime.timedelta(days=7)
    assert services.register_refresh_remind(campaign=campaign, today=next_week) == 2
    assert reminders(network.users["officer"]).count() == 2
    assert reminders(register.users["officer_b"]).count() == 1  # done: no reminder
    key = reminders(network.users["officer"]).order_by("created_at").last().key
    assert key == f"refresh:{campaign.pk}:{network.users['officer'].pk}:2025-W29"


def test_representative_reminder_stops_once_confirmed(network, register, campaign):
    confirmation = campaign.confirmations.get(entry=register.entry("乡甲进城"))
    services.register_refresh_confirm(actor=network.users["representative"], confirmation=confirmation)
    services.register_refresh_remind(campaign=campaign, today=datetime.date(2025, 7, 7))
    assert reminders(network.users["representative"]).count() == 0


def test_remind_task_runs_for_open_campaigns(network, register, campaign):
    assert tasks.register_refresh_remind(campaign.pk) >= 1
    assert tasks.register_refresh_remind(campaign.pk) == 0


def test_campaign_pages_queries_do_not_grow(network, register, campaign, client_for):
    client = client_for(network.users["county"])
    detail = reverse("representatives:refresh_detail", args=[campaign.pk])
    listing = reverse("representatives:refresh_list")
    with CaptureQueriesContext(connection) as small_detail:
        assert client.get(detail).status_code == 200
    with CaptureQueriesContext(connection) as small_list:
        assert client.get(listing).status_code == 200
    for i in range(30):
        make_representative(network, name=f"进城{i}", residence=register.community)
    services.register_refresh_open(period_start=PERIOD)
    for confirmation in campaign.confirmations.all()[:10]:
        services.register_refresh_confirm(
            actor=network.users["county"], confirmation=confirmation, corrections={"contact": "新联系方式"}
        )
    services.register_refresh_open(period_start=datetime.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as large_detail:
        response = client.get(detail)
    assert response.context["progress"]["county"]["total"] == 35
    with CaptureQueriesContext(connection) as large_list:
        assert client.get(listing).status_code == 200
    assert len(small_detail.captured_queries) == len(large_detail.captured_queries)
    assert len(small_list.captured_queries) == len(large_list.captured_queries)
