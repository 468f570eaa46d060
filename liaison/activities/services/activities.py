"""Writes on activities, invitations and attendance. One function per use case.

Attendance is confirmed in ONE place, `activity_attendance_confirm`, whether staff record it or
the representative checks in: the performance-records issue extends that function (a record per
attendance) and nothing else.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.activities.selectors import CHECK_IN_CLOSES, CHECK_IN_OPENS
from liaison.activities.services.funds import parse_amount
from liaison.activities.services.notices import activity_send_announcements
from liaison.edit_conflicts import refuse_if_changed_since, stored_values
from liaison.models import Activity, ActivityInvitation
from liaison.text import normalize_multiline, normalize_text
from representatives.models import PerformanceKind
from representatives.services.performance import (
    performance_records_remove_for_source,
    performance_records_sync_for_source,
)

logger = logging.getLogger(__name__)

ACTIVITY_FIELDS = ("station", "kind", "title", "starts_at", "ends_at", "location", "description", "planned_amount")


# --- Activities -----------------------------------------------------------------------------


def _validate_activity(*, actor, activity: Activity) -> None:
    activity.title = normalize_text(activity.title)
    activity.location = normalize_text(activity.location)
    activity.description = normalize_multiline(activity.description)
    errors: dict[str, list[str]] = {}
    if not activity.title:
        errors["title"] = [_("Enter the activity's title.")]
    if activity.station_id and not access.activity_stations(actor).filter(pk=activity.station_id).exists():
        errors["station"] = [_("You may not hold activities at this station.")]
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    try:
        activity.planned_amount = parse_amount(activity.planned_amount or 0, field="planned_amount", allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    activity.full_clean()


@transaction.atomic
def activity_create(*, actor, **fields) -> Activity:
    activity = Activity(**{k: v for k, v in fields.items() if k in ACTIVITY_FIELDS}, created_by=actor)
    _validate_activity(actor=actor, activity=activity)
    activity._history_user = actor
    activity.save()
    logger.info("activity %s created by %s", activity.pk, actor.pk)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, opened: dict | None = None, **fields) -> Activity:
    """Change an announced activity's time and invitees hear of it through the day-before notice
    (its key holds the date, so a moved activity gets a new one).

    `opened`: the stored values the form was opened with; a save over a change made since is
    refused (EditConflict). Saving unchanged values writes nothing, not even history."""
    refuse_if_changed_since(activity, opened=opened, fields=ACTIVITY_FIELDS)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = stored_values(activity, ACTIVITY_FIELDS)
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"activity_update() got an unexpected field {name!r}")
        setattr(activity, name, value)
    _validate_activity(actor=actor, activity=activity)
    after = stored_values(activity, ACTIVITY_FIELDS)
    if after == before:
        return activity
    activity._history_user = actor
    activity.save()
    if (before["kind"], before["starts_at"]) != (after["kind"], after["starts_at"]):
        # The attendance records follow the activity's kind and day.
        for invitation in activity.invitations.filter(attended_at__isnull=False):
            _record_attendance(invitation, activity=activity, actor=actor)
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity) -> Activity:
    if activity.status == Activity.Status.CANCELLED:
        return activity
    activity.status = Activity.Status.CANCELLED
    activity._history_user = actor
    activity.save(update_fields=["status", "updated_at"])
    # A cancelled activity was not a duty done: its attendance records go.
    for invitation in activity.invitations.filter(attended_at__isnull=False):
        performance_records_remove_for_source(source=invitation)
    return activity


@transaction.atomic
def activity_invite(*, actor, activity: Activity, stations=(), groups=(), representative_ids=()) -> int:
    """Invite the serving representatives of stations (and their points), of groups, and hand-picked
    ones, all within what the actor may see. Already invited ones stay as they are. Returns how many
    were newly invited. Set-based: one query per source, one bulk insert."""
    activity.refresh_from_db(fields=["status"])
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    candidates = access.invitable_representatives(actor)
    chosen: dict[int, str] = {}
    if representative_ids:
        for pk in candidates.filter(pk__in=list(representative_ids)).values_list("pk", flat=True):
            chosen[pk] = ActivityInvitation.Via.HAND
    if groups:
        group_ids = access.groups_visible(actor).filter(pk__in=[g.pk for g in groups]).values("pk")
        for pk in candidates.filter(memberships__group__in=group_ids).values_list("pk", flat=True):
            chosen.setdefault(pk, ActivityInvitation.Via.GROUP)
    if stations:
        paths = list(
            access.stations_visible(actor).filter(pk__in=[s.pk for s in stations]).values_list("path", flat=True)
        )
        if paths:
            in_stations = Q()
            for path in paths:
                in_stations |= Q(home_station__path__startswith=path)
            for pk in candidates.filter(in_stations).values_list("pk", flat=True):
                chosen.setdefault(pk, ActivityInvitation.Via.STATION)
    if not chosen:
        return 0
    existing = set(
        ActivityInvitation.objects.filter(activity=activity, representative_id__in=chosen).values_list(
            "representative_id", flat=True
        )
    )
    new = [
        ActivityInvitation(activity=activity, representative_id=pk, via=via)
        for pk, via in chosen.items()
        if pk not in existing
    ]
    ActivityInvitation.objects.bulk_create(new, ignore_conflicts=True)
    # bulk_create writes no history rows: one for each, in bulk, naming who invited.
    ActivityInvitation.history.bulk_history_create(
        list(
            ActivityInvitation.objects.filter(
                activity=activity, representative_id__in=[i.representative_id for i in new]
            )
        ),
        default_user=actor,
    )
    if new and activity.status == Activity.Status.ANNOUNCED:
        transaction.on_commit(lambda: activity_send_announcements(activity_id=activity.pk))
    return len(new)


@transaction.atomic
def activity_uninvite(*, actor, activity: Activity, representative_id: int) -> None:
    invitation = ActivityInvitation.objects.filter(activity=activity, representative_id=representative_id).first()
    if invitation is None:
        return
    if invitation.attended_at:
        raise ValidationError(_("This representative attended: record them as absent first."))
    invitation._history_user = actor
    invitation.delete()


@transaction.atomic
def activity_announce(*, actor, activity: Activity) -> int:
    """Announce the activity: every invitee with an account is told now (seed 003: tell
    part-time representatives early). Returns how many notices were sent."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    if not activity.invitations.exists():
        raise ValidationError(_("Invite representatives before announcing the activity."))
    if activity.status != Activity.Status.ANNOUNCED:
        activity.status = Activity.Status.ANNOUNCED
        activity.announced_at = timezone.now()
        activity._history_user = actor
        activity.save(update_fields=["status", "announced_at", "updated_at"])
    return activity_send_announcements(activity_id=activity.pk)


# --- Attendance -----------------------------------------------------------------------------

# The performance record an attended activity makes, by the activity's kind.
RECORD_KIND = {
    Activity.Kind.TRAINING: PerformanceKind.TRAINING,
    Activity.Kind.INSPECTION: PerformanceKind.INSPECTION,
}


def _record_attendance(invitation: ActivityInvitation, *, activity: Activity, actor) -> None:
    """One performance record per attended invitation, of the activity's kind, on its day."""
    kind = RECORD_KIND.get(activity.kind, PerformanceKind.ACTIVITY)
    performance_records_sync_for_source(
        source=invitation,
        kind=kind,
        date=timezone.localdate(activity.starts_at),
        representative_ids=[invitation.representative_id],
        actor=actor,
    )


@transaction.atomic
def activity_attendance_confirm(*, invitation: ActivityInvitation, actor, method: str) -> bool:
    """THE seam for attendance: mark one invitation attended. Idempotent: an invitation already
    attended is left as it was (first record wins) and False is returned.

    The performance-records issue extends this function (one record per attendance); staff
    recording and the representative's own check-in both come through here.
    """
    updated = ActivityInvitation.objects.filter(pk=invitation.pk, attended_at__isnull=True).update(
        attended_at=timezone.now(), attendance_method=method, attendance_recorded_by=actor
    )
    if not updated:
        return False
    invitation.refresh_from_db()
    invitation._history_user = actor
    ActivityInvitation.history.bulk_history_create([invitation], default_user=actor)
    _record_attendance(invitation, activity=invitation.activity, actor=actor)
    return True


@transaction.atomic
def activity_attendance_withdraw(*, invitation: ActivityInvitation, actor) -> bool:
    """Staff correct a mistake: the invitee did not attend after all."""
    updated = ActivityInvitation.objects.filter(pk=invitation.pk, attended_at__isnull=False).update(
        attended_at=None, attendance_method="", attendance_recorded_by=actor
    )
    if updated:
        invitation.refresh_from_db()
        ActivityInvitation.history.bulk_history_create([invitation], default_user=actor)
        performance_records_remove_for_source(source=invitation)
    return bool(updated)


@transaction.atomic
def activity_attendance_record(*, actor, activity: Activity, attended_ids: list[int]) -> dict:
    """Staff record who attended: the invitations ticked are attended, the others not.
    Returns {"added": n, "removed": m}."""
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    if activity.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the activity has begun."))
    invitations = list(ActivityInvitation.objects.select_for_update().filter(activity=activity))
    wanted = set(attended_ids)
    added = removed = 0
    for invitation in invitations:
        if invitation.pk in wanted and invitation.attended_at is None:
            added += activity_attendance_confirm(
                invitation=invitation, actor=actor, method=ActivityInvitation.Method.OFFICER
            )
        elif invitation.pk not in wanted and invitation.attended_at is not None:
            removed += activity_attendance_withdraw(invitation=invitation, actor=actor)
    return {"added": added, "removed": removed}


def check_in_window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    start = activity.starts_at - CHECK_IN_OPENS
    end = max(activity.starts_at, activity.ends_at or activity.starts_at) + CHECK_IN_CLOSES
    return start, end


@transaction.atomic
def activity_check_in(*, user, activity: Activity) -> tuple[ActivityInvitation, bool]:
    """The representative signed in on the activity's check-in page says they are here.

    Raises ValidationError with a clear Chinese message when they cannot; checking in twice
    changes nothing (the first time stands). Returns (invitation, checked in now?).
    """
    invitation = (
        ActivityInvitation.objects.select_for_update().filter(activity=activity, representative__user=user).first()
    )
    if invitation is None:
        raise ValidationError(
            _("You are not on the list of invitees of this activity. Please ask the station officer to add you.")
        )
    if invitation.attended_at is not None:
        return invitation, False
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    opens, closes = check_in_window(activity)
    now = timezone.now()
    if now < opens:
        raise ValidationError(
            _("Check-in opens at %(time)s.") % {"time": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")}
        )
    if now > closes:
        raise ValidationError(_("Check-in for this activity has closed. Please ask the station officer."))
    confirmed = activity_attendance_confirm(
        invitation=invitation, actor=user, method=ActivityInvitation.Method.CHECK_IN
    )
    return invitation, confirmed
