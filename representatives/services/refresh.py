"""The half-yearly refresh of the mobile register (每半年更新一次): campaigns, confirmations, reminders."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since
from liaison.models import Notification, User
from liaison.selectors import county_staff, station_officers
from liaison.services import notify
from representatives.models import (
    MobileRegisterEntry,
    RefreshCampaign,
    RefreshConfirmation,
)
from representatives.selectors.refresh import refresh_late_stations
from representatives.services.mobile_register import VERSIONED_FIELDS, apply_entry_fields, clean_entry_fields

logger = logging.getLogger(__name__)


def half_year_start(day: datetime.date) -> datetime.date:
    """1 January or 1 July of the half-year `day` lies in."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def refresh_due_date(period_start: datetime.date) -> datetime.date:
    """Entries are confirmed by the end of the campaign's second month (end of February / August)."""
    return period_start.replace(month=period_start.month + 2) - datetime.timedelta(days=1)


def register_refresh_open(*, actor: User | None = None, period_start: datetime.date) -> RefreshCampaign:
    """Open the refresh of a half-year (see register_refresh_open_period); the campaign."""
    campaign, _created = register_refresh_open_period(actor=actor, period_start=period_start)
    return campaign


@transaction.atomic
def register_refresh_open_period(
    *, actor: User | None = None, period_start: datetime.date
) -> tuple[RefreshCampaign, bool]:
    """Open the refresh of a half-year: one campaign per period however often this runs.

    Every active register entry gets a confirmation owned by its origin station. Running it again
    while the campaign is open adds confirmations for entries that appeared since, nothing else.
    `actor` is None when the scheduler opens it; staff need the county_reports capability.
    """
    if actor is not None and not access.has_capability(actor, access.Capability.COUNTY_REPORTS):
        raise PermissionDenied
    if period_start != half_year_start(period_start) or period_start.day != 1:
        raise ValidationError({"period_start": [_("A refresh starts on 1 January or 1 July.")]})
    campaign, created = RefreshCampaign.objects.get_or_create(
        period_start=period_start,
        defaults={"due_date": refresh_due_date(period_start), "opened_by": actor},
    )
    if campaign.is_open:
        entries = MobileRegisterEntry.objects.filter(is_active=True).exclude(confirmations__campaign=campaign)
        RefreshConfirmation.objects.bulk_create(
            [
                RefreshConfirmation(campaign=campaign, entry_id=entry_id, station_id=station_id)
                for entry_id, station_id in entries.values_list("pk", "origin_station_id")
            ],
            ignore_conflicts=True,
        )
    logger.info(
        "refresh campaign %s %s by %s",
        campaign.pk,
        "opened" if created else "already open",
        getattr(actor, "pk", "the scheduler"),
    )
    return campaign, created


@transaction.atomic
def register_refresh_confirm(
    *,
    actor: User,
    confirmation: RefreshConfirmation,
    corrections: dict | None = None,
    today: datetime.date | None = None,
    opened: dict | None = None,
) -> RefreshConfirmation:
    """Confirm an entry unchanged, or correct its fields: who, when and what changed are kept.

    `corrections` holds the entry fields as the person left them in the form; fields equal to the
    entry are not changes. With no difference at all the entry counts as confirmed unchanged.
    """
    confirmation = (
        RefreshConfirmation.objects.select_for_update(of=("self",))
        .select_related("campaign", "entry__representative", "entry__host_station__division")
        .get(pk=confirmation.pk)
    )
    if not access.may_change_register_entry(actor, confirmation.entry):
        raise PermissionDenied
    if not confirmation.campaign.is_open:
        raise ValidationError(_("This refresh has been closed."))
    if confirmation.status != RefreshConfirmation.Status.PENDING:
        raise ValidationError(_("This entry has already been confirmed in this refresh."))
    entry = confirmation.entry
    # Confirming or correcting an entry someone changed since the page was opened is refused too.
    refuse_if_changed_since(entry, opened=opened, fields=VERSIONED_FIELDS)
    diff = {}
    if corrections:
        values = clean_entry_fields(entry, corrections, today=today or timezone.localdate())
        diff = apply_entry_fields(actor=actor, entry=entry, values=values)
    confirmation.status = RefreshConfirmation.Status.CORRECTED if diff else RefreshConfirmation.Status.CONFIRMED
    confirmation.changes = diff
    confirmation.confirmed_by = actor
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["status", "changes", "confirmed_by", "confirmed_at"])
    return confirmation


@transaction.atomic
def register_refresh_close(*, actor: User, campaign: RefreshCampaign) -> RefreshCampaign:
    """Close a campaign; its confirmations stay as the record of who confirmed what and when."""
    if not access.has_capability(actor, access.Capability.COUNTY_REPORTS):
        raise PermissionDenied
    campaign = RefreshCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_open:
        raise ValidationError(_("This refresh has already been closed."))
    campaign.closed_at = timezone.now()
    campaign.closed_by = actor
    campaign.save(update_fields=["closed_at", "closed_by"])
    logger.info("refresh campaign %s closed by %s", campaign.pk, actor.pk)
    return campaign


def register_refresh_remind(*, campaign: RefreshCampaign, today: datetime.date | None = None) -> int:
    """Remind whoever still has open confirmations: at most once a week per person.

    Station officers of an origin station with pending entries, and representatives with an account
    whose own entry is pending. The key holds the ISO week, so a second run in the same week sends
    nothing. Returns how many reminders were sent now.
    """
    if not campaign.is_open:
        return 0
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    pending = campaign.confirmations.filter(status=RefreshConfirmation.Status.PENDING, entry__is_active=True)
    per_station = dict(pending.values_list("station").annotate(n=Count("pk")).order_by())
    # Officers: the station's named officer and every officer grant on it (liaison.selectors).
    per_officer: dict[int, int] = {}
    users: dict[int, Any] = {}
    for station_id, officers in station_officers(per_station).items():
        for officer in officers:
            per_officer[officer.pk] = per_officer.get(officer.pk, 0) + per_station[station_id]
            users[officer.pk] = officer
    User = get_user_model()
    detail_url = reverse("representatives:refresh_detail", args=[campaign.pk])
    overdue = campaign.is_overdue(today)
    due = {"date": campaign.due_date.isoformat(), "days": campaign.days_overdue(today)}
    sent = 0
    for user_id, count in sorted(per_officer.items()):
        if overdue:
            title = _("Overdue: mobile register refresh, %(count)s entries still to confirm") % {"count": count}
            body = _("The due date %(date)s passed %(days)s days ago. Please confirm or correct them now.") % due
        else:
            title = _("Mobile register refresh: %(count)s entries still to confirm") % {"count": count}
            body = _("Please confirm or correct them by %(date)s.") % due
        created = notify(
            recipient=users[user_id],
            kind="register_refresh",
            key=f"refresh:{campaign.pk}:{user_id}:{iso_year}-W{iso_week}",
            title=title,
            body=body,
            url=f"{detail_url}?status=pending",
            channels=(Notification.Channel.INBOX, Notification.Channel.EMAIL),
        )
        sent += created is not None
    if overdue:
        sent += _remind_county_of_late_stations(campaign=campaign, today=today, week=f"{iso_year}-W{iso_week}")
    mine_url = reverse("representatives:refresh_mine")
    representatives = pending.filter(
        entry__representative__user__isnull=False, entry__representative__user__is_active=True
    ).values_list("entry__representative__user", flat=True)
    for user in User.objects.filter(pk__in=list(representatives)).order_by("pk"):
        created = notify(
            recipient=user,
            kind="register_refresh",
            key=f"refresh:{campaign.pk}:{user.pk}:{iso_year}-W{iso_week}",
            title=_("Overdue: please confirm your entry in the mobile register")
            if overdue
            else _("Please confirm your entry in the mobile register"),
            body=(
                _("The due date %(date)s has passed: confirm or correct where you live and how to reach you now.")
                if overdue
                else _("Confirm or correct where you live and how to reach you by %(date)s.")
            )
            % due,
            url=mine_url,
            channels=(Notification.Channel.INBOX, Notification.Channel.SMS),
        )
        sent += created is not None
    logger.info("refresh campaign %s: %s reminders sent", campaign.pk, sent)
    return sent


def _remind_county_of_late_stations(*, campaign: RefreshCampaign, today: datetime.date, week: str) -> int:
    """Past the due date, county staff get one digest a week naming the stations still late."""
    late = refresh_late_stations(campaign=campaign, today=today)
    if not late:
        return 0
    names = "、".join(
        _("%(station)s (%(count)s waiting)") % {"station": row["station__name"], "count": row["pending"]}
        for row in late
    )
    url = reverse("representatives:refresh_detail", args=[campaign.pk]) + "?late=1"
    recipients = county_staff()
    sent = 0
    for user in recipients:
        created = notify(
            recipient=user,
            kind="register_refresh_late",
            key=f"refresh-late:{campaign.pk}:{user.pk}:{week}",
            title=_("Mobile register refresh %(period)s is overdue: %(count)s stations late")
            % {"period": campaign, "count": len(late)},
            body=_("Due %(date)s. Late: %(stations)s.") % {"date": campaign.due_date.isoformat(), "stations": names},
            url=url,
            channels=(Notification.Channel.INBOX, Notification.Channel.EMAIL),
        )
        sent += created is not None
    return sent
