"""The mobile register (流动代表登记册): entries kept in step with the roster, edited and verified
by origin and host, their joint meetings, and the half-yearly refresh with its reminders."""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since
from liaison.models import Division, Station
from liaison.text import normalize_multiline
from representatives.models import (
    JointMeeting,
    MobileRegisterEntry,
    RefreshCampaign,
    RefreshConfirmation,
    Representative,
)

logger = logging.getLogger(__name__)


def host_station_for(division: Division) -> Station | None:
    """The liaison station of the township-level place a representative lives in now."""
    township_id = division.township_id()
    if township_id is None:
        return Station.objects.filter(kind=Station.Kind.GENERAL, is_active=True).first()
    return (
        Station.objects.filter(division_id=township_id, kind=Station.Kind.STATION, in_county_town=False, is_active=True)
        .order_by("path")
        .first()
    )


@transaction.atomic
def register_sync(*, actor, representative: Representative) -> MobileRegisterEntry | None:
    """A serving mobile representative has an active entry; anyone else's entry is closed.

    The origin is the home station; the host is the station where they live now. The community
    they checked in to is suggested from their residence when it is a village or community.
    """
    rep = representative
    entry = MobileRegisterEntry.objects.filter(representative=rep).first()
    if not (rep.is_mobile and rep.is_serving):
        if entry is not None and entry.is_active:
            entry.is_active = False
            entry._history_user = actor
            entry.save(update_fields=["is_active", "updated_at"])
        return entry
    host = host_station_for(rep.residence_division)
    if host is None:
        return entry
    community = rep.residence_division if rep.residence_division.kind in Division.GRASSROOTS_LEVEL else None
    if entry is None:
        entry = MobileRegisterEntry(representative=rep)
    entry.origin_station = rep.home_station
    entry.host_station = host
    if community is not None and entry.community_id != community.pk:
        entry.community = community
        entry.checked_in_on = None
        entry.verified_by = None
        entry.verified_at = None
    entry.is_active = True
    entry._history_user = actor
    entry.save()
    return entry


# --- Register entries: editing and the host's verification -------------------------------------

REGISTER_FIELDS = ("community", "checked_in_on", "contact", "specialties_note", "role_played")
# Changing where or when the representative checked in needs the host to verify it again.
CHECK_IN_FIELDS = ("community", "checked_in_on")
# What an edit form carries as its version (see liaison.edit_conflicts): the host's verification
# too, so that nobody undoes a verification they have not seen.
VERSIONED_FIELDS = (*REGISTER_FIELDS, "verified_at")


def may_change_entry(actor, entry: MobileRegisterEntry) -> bool:
    """Origin and host staff manage an entry (双向共管); a representative corrects their own."""
    if access.register_entries_changeable(actor).filter(pk=entry.pk).exists():
        return True
    return bool(actor.is_authenticated and entry.representative.user_id == actor.pk)


def may_verify_entry(actor, entry: MobileRegisterEntry) -> bool:
    """Only the host side verifies a check-in: the host station's staff (or the county)."""
    if not access.has_capability(actor, "roster"):
        return False
    return Station.objects.filter(access.station_scope_q(actor), pk=entry.host_station_id).exists()


def _clean_entry_fields(entry: MobileRegisterEntry, fields: dict, *, today: datetime.date) -> dict:
    """Normalised values for the editable fields; raises ValidationError keyed by field, in Chinese."""
    from liaison.text import normalize_text

    unknown = set(fields) - set(REGISTER_FIELDS)
    if unknown:
        raise TypeError(f"unexpected register fields {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    values = dict(fields)
    for name in ("contact", "specialties_note"):
        if name in values:
            values[name] = normalize_text(values[name])
    if "role_played" in values:
        values["role_played"] = normalize_multiline(values["role_played"])
    community = values.get("community")
    if community is not None:
        if community.kind not in Division.GRASSROOTS_LEVEL:
            errors.setdefault("community", []).append(_("Choose a village or community."))
        elif entry.host_station.division.kind != Division.Kind.COUNTY and not community.path.startswith(
            entry.host_station.division.path
        ):
            errors.setdefault("community", []).append(
                _("The community must lie within the host station's area (%(place)s).")
                % {"place": entry.host_station.division.name}
            )
    checked_in_on = values.get("checked_in_on")
    if checked_in_on is not None and checked_in_on > today:
        errors.setdefault("checked_in_on", []).append(_("The check-in date cannot be in the future."))
    if len(values.get("contact", "")) > 100:
        errors.setdefault("contact", []).append(_("Keep the contact under 100 characters."))
    if len(values.get("specialties_note", "")) > 200:
        errors.setdefault("specialties_note", []).append(_("Keep the specialties under 200 characters."))
    if errors:
        raise ValidationError(errors)
    return values


def _display(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def register_entry_diff(entry: MobileRegisterEntry, values: dict) -> dict:
    """{field: {"from": old, "to": new}} for the fields whose value would change (JSON-ready)."""
    diff = {}
    for name, new in values.items():
        old = getattr(entry, name)
        old_key = getattr(old, "pk", old)
        new_key = getattr(new, "pk", new)
        if old_key != new_key:
            diff[name] = {"from": _display(name, old), "to": _display(name, new)}
    return diff


def _apply_entry_fields(*, actor, entry: MobileRegisterEntry, values: dict) -> dict:
    diff = register_entry_diff(entry, values)
    if not diff:
        return diff
    for name, value in values.items():
        setattr(entry, name, value)
    update_fields = [*values, "updated_at"]
    if set(diff) & set(CHECK_IN_FIELDS) and entry.verified_at is not None:
        entry.verified_by = None
        entry.verified_at = None
        update_fields += ["verified_by", "verified_at"]
    entry.full_clean(exclude=["representative", "origin_station", "host_station"], validate_unique=False)
    entry._history_user = actor
    entry.save(update_fields=update_fields)
    return diff


@transaction.atomic
def register_entry_update(
    *,
    actor,
    entry: MobileRegisterEntry,
    today: datetime.date | None = None,
    opened: dict | None = None,
    **fields,
) -> MobileRegisterEntry:
    """Change the community, check-in date, other contact, specialties or role played of an entry.

    A new community or check-in date clears the host's verification: the host verifies again.
    `opened`: the stored values the form was opened with; a save over a change made since is
    refused (EditConflict). Saving unchanged values writes nothing.
    """
    if not may_change_entry(actor, entry):
        raise PermissionDenied
    refuse_if_changed_since(entry, opened=opened, fields=VERSIONED_FIELDS)
    entry.refresh_from_db(fields=[*REGISTER_FIELDS, "verified_by", "verified_at"])  # the newest values
    values = _clean_entry_fields(entry, fields, today=today or timezone.localdate())
    _apply_entry_fields(actor=actor, entry=entry, values=values)
    return entry


@transaction.atomic
def register_entry_verify(*, actor, entry: MobileRegisterEntry, today=None) -> MobileRegisterEntry:
    """The host station confirms that the representative checked in (报到) to its community."""
    today = today or timezone.localdate()
    if not may_verify_entry(actor, entry):
        raise ValidationError(_("Only the host station can verify a check-in."))
    if not entry.is_active:
        raise ValidationError(_("This entry is closed: the representative is no longer mobile."))
    if entry.verified_at is not None:
        return entry
    if entry.community_id is None:
        raise ValidationError({"community": [_("Record the community the representative checked in to first.")]})
    if entry.checked_in_on is None:
        # The host confirms what is recorded: a check-in without a date is not one to confirm.
        raise ValidationError(
            {"checked_in_on": [_("Record the date the representative checked in first (edit the entry).")]}
        )
    if entry.checked_in_on > today:
        raise ValidationError({"checked_in_on": [_("The check-in date cannot be in the future.")]})
    entry.verified_by = actor
    entry.verified_at = timezone.now()
    entry._history_user = actor
    entry.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return entry


# --- Joint meetings of origin and host (双向共管联席会议) -----------------------------------------


@transaction.atomic
def joint_meeting_record(
    *,
    actor,
    origin_station: Station,
    host_station: Station,
    held_on: datetime.date,
    summary: str = "",
    today: datetime.date | None = None,
) -> JointMeeting:
    """Record that an origin and a host station held their joint meeting."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    pair_entries = MobileRegisterEntry.objects.filter(origin_station=origin_station, host_station=host_station)
    if not pair_entries.exists():
        errors.setdefault("host_station", []).append(_("These two stations share no mobile representative."))
    elif not access.register_entries_changeable(actor).filter(pk__in=pair_entries.values("pk")).exists():
        raise PermissionDenied
    if held_on is None:
        errors.setdefault("held_on", []).append(_("Enter the date of the meeting."))
    elif held_on > today:
        errors.setdefault("held_on", []).append(_("The meeting date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    meeting = JointMeeting(
        origin_station=origin_station,
        host_station=host_station,
        held_on=held_on,
        summary=normalize_multiline(summary),
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    logger.info("joint meeting %s recorded by %s", meeting.pk, actor.pk)
    return meeting


# --- The half-yearly refresh (每半年更新一次) -------------------------------------------------------


def half_year_start(day: datetime.date) -> datetime.date:
    """1 January or 1 July of the half-year `day` lies in."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def refresh_due_date(period_start: datetime.date) -> datetime.date:
    """Entries are confirmed by the end of the campaign's second month (end of February / August)."""
    return period_start.replace(month=period_start.month + 2) - datetime.timedelta(days=1)


@transaction.atomic
def register_refresh_open(*, actor=None, period_start: datetime.date) -> RefreshCampaign:
    """Open the refresh of a half-year: one campaign per period however often this runs.

    Every active register entry gets a confirmation owned by its origin station. Running it again
    while the campaign is open adds confirmations for entries that appeared since, nothing else.
    `actor` is None when the scheduler opens it; staff need the county_reports capability.
    """
    if actor is not None and not access.has_capability(actor, "county_reports"):
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
    return campaign


def may_submit_confirmation(actor, confirmation: RefreshConfirmation) -> bool:
    return may_change_entry(actor, confirmation.entry)


@transaction.atomic
def register_refresh_confirm(
    *,
    actor,
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
    if not may_submit_confirmation(actor, confirmation):
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
        values = _clean_entry_fields(entry, corrections, today=today or timezone.localdate())
        diff = _apply_entry_fields(actor=actor, entry=entry, values=values)
    confirmation.status = RefreshConfirmation.Status.CORRECTED if diff else RefreshConfirmation.Status.CONFIRMED
    confirmation.changes = diff
    confirmation.confirmed_by = actor
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["status", "changes", "confirmed_by", "confirmed_at"])
    return confirmation


@transaction.atomic
def register_refresh_close(*, actor, campaign: RefreshCampaign) -> RefreshCampaign:
    """Close a campaign; its confirmations stay as the record of who confirmed what and when."""
    if not access.has_capability(actor, "county_reports"):
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
    from django.urls import reverse

    from liaison.models import Notification, RoleGrant
    from liaison.services import notify

    if not campaign.is_open:
        return 0
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    pending = campaign.confirmations.filter(status=RefreshConfirmation.Status.PENDING, entry__is_active=True)
    per_station = dict(pending.values_list("station").annotate(n=Count("pk")).order_by())
    # Officers: the station's named officer and every officer grant on it.
    per_officer: dict[int, int] = {}
    officer_ids = RoleGrant.objects.filter(
        role=RoleGrant.Role.STATION_OFFICER, station_id__in=per_station, user__is_active=True
    ).values_list("user_id", "station_id")
    named = Station.objects.filter(pk__in=per_station, officer__isnull=False, officer__is_active=True).values_list(
        "officer_id", "pk"
    )
    for user_id, station_id in set(officer_ids) | set(named):
        per_officer[user_id] = per_officer.get(user_id, 0) + per_station[station_id]
    User = get_user_model()
    users = User.objects.in_bulk(per_officer)
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
    from django.urls import reverse

    from liaison.models import Notification, RoleGrant
    from liaison.services import notify
    from representatives.selectors.mobile_register import refresh_late_stations

    late = refresh_late_stations(campaign=campaign, today=today)
    if not late:
        return 0
    names = "、".join(
        _("%(station)s (%(count)s waiting)") % {"station": row["station__name"], "count": row["pending"]}
        for row in late
    )
    url = reverse("representatives:refresh_detail", args=[campaign.pk]) + "?late=1"
    county_staff = (
        get_user_model()
        .objects.filter(role_grants__role=RoleGrant.Role.COUNTY_STAFF, is_active=True)
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for user in county_staff:
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
