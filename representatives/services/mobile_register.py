"""The mobile register (流动代表登记册): entries kept in step with the roster, edited and verified
by origin and host, and their joint meetings. The half-yearly refresh is in `refresh`."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since
from liaison.models import Division, Station, User
from liaison.text import normalize_multiline
from representatives.models import (
    JointMeeting,
    MobileRegisterEntry,
    Representative,
)

logger = logging.getLogger(__name__)


def host_station_for(division: Division, *, cache: dict | None = None) -> Station | None:
    """The liaison station of the township-level place a representative lives in now.

    `cache`: a dict kept by a caller placing many representatives, so that each township (or
    county) is asked once."""
    township_id = division.township_id()
    key = ("township", township_id) if township_id is not None else ("county", division.county_id())
    if cache is not None and key in cache:
        return cache[key]
    if township_id is None:
        # Living in the county itself: its general station (the county's own, in a province's instance).
        general = Station.objects.filter(kind=Station.Kind.GENERAL, is_active=True)
        county_id = division.county_id()
        if county_id is not None:
            general = general.filter(division_id=county_id)
        host = general.order_by("path").first()
    else:
        host = (
            Station.objects.filter(
                division_id=township_id, kind=Station.Kind.STATION, in_county_town=False, is_active=True
            )
            .order_by("path")
            .first()
        )
    if cache is not None:
        cache[key] = host
    return host


def _place_entry(entry: MobileRegisterEntry, *, rep: Representative, host: Station) -> None:
    """An active entry from the representative's home station to the station where they live now.

    The community they checked in to is suggested from their residence when it is a village or
    community."""
    community = rep.residence_division if rep.residence_division.kind in Division.GRASSROOTS_LEVEL else None
    entry.origin_station = rep.home_station
    entry.host_station = host
    if community is not None and entry.community_id != community.pk:
        entry.community = community
        entry.checked_in_on = None
        entry.verified_by = None
        entry.verified_at = None
    entry.is_active = True


@transaction.atomic
def register_sync(*, actor: User, representative: Representative) -> MobileRegisterEntry | None:
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
    if entry is None:
        entry = MobileRegisterEntry(representative=rep)
    _place_entry(entry, rep=rep, host=host)
    entry._history_user = actor
    entry.save()
    return entry


def register_sync_new(*, actor: User, representatives: list[Representative]) -> list[MobileRegisterEntry]:
    """`register_sync` for representatives just created (none has an entry yet), all at once: the
    host station asked once per township, the entries and their history written in two statements."""
    hosts: dict = {}
    entries = []
    for rep in representatives:
        if not (rep.is_mobile and rep.is_serving):
            continue
        host = host_station_for(rep.residence_division, cache=hosts)
        if host is not None:
            entry = MobileRegisterEntry(representative=rep)
            _place_entry(entry, rep=rep, host=host)
            entries.append(entry)
    return bulk_create_with_history(entries, MobileRegisterEntry, default_user=actor, default_change_reason=None)


# --- Register entries: editing and the host's verification -------------------------------------

REGISTER_FIELDS = ("community", "checked_in_on", "contact", "specialties_note", "role_played")
# Changing where or when the representative checked in needs the host to verify it again.
CHECK_IN_FIELDS = ("community", "checked_in_on")
# What an edit form carries as its version (see liaison.edit_conflicts): the host's verification
# too, so that nobody undoes a verification they have not seen.
VERSIONED_FIELDS = (*REGISTER_FIELDS, "verified_at")


def clean_entry_fields(entry: MobileRegisterEntry, fields: dict, *, today: datetime.date) -> dict:
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


def apply_entry_fields(*, actor: User, entry: MobileRegisterEntry, values: dict) -> dict:
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
    actor: User,
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
    if not access.may_change_register_entry(actor, entry):
        raise PermissionDenied
    refuse_if_changed_since(entry, opened=opened, fields=VERSIONED_FIELDS)
    entry.refresh_from_db(fields=[*REGISTER_FIELDS, "verified_by", "verified_at"])  # the newest values
    values = clean_entry_fields(entry, fields, today=today or timezone.localdate())
    apply_entry_fields(actor=actor, entry=entry, values=values)
    return entry


@transaction.atomic
def register_entry_verify(*, actor: User, entry: MobileRegisterEntry, today=None) -> MobileRegisterEntry:
    """The host station confirms that the representative checked in (报到) to its community."""
    today = today or timezone.localdate()
    if not access.register_entries_verifiable(actor).filter(pk=entry.pk).exists():
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
    actor: User,
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
