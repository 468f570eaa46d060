"""Writes on activities, attendance and funds. One function per use case.

Attendance is confirmed in ONE place, `activity_attendance_confirm`, whether staff record it or
the representative checks in: the performance-records issue extends that function (a record per
attendance) and nothing else.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.activities.selectors import CHECK_IN_CLOSES, CHECK_IN_OPENS
from liaison.models import Activity, ActivityInvitation, Expense, FundPurpose, Notification, RoleGrant, StationBudget
from liaison.services import notify
from liaison.text import normalize_multiline, normalize_text

logger = logging.getLogger(__name__)

ACTIVITY_FIELDS = ("station", "kind", "title", "starts_at", "ends_at", "location", "description", "planned_amount")
MAX_AMOUNT = Decimal("9999999999.99")
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# Receipt types: extension -> the bytes such a file starts with.
RECEIPT_TYPES = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",)}


# --- Amounts --------------------------------------------------------------------------------


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """An amount in yuan as an exact Decimal with at most two places; Chinese errors otherwise."""
    message = _("Enter an amount in yuan with at most two decimal places, for example 1280.50.")
    if isinstance(value, float):
        raise TypeError("amounts are never floats")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: [message]}) from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError({field: [message]})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: [_("The amount must be greater than zero.")]})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: [_("The amount is too large.")]})
    return amount.quantize(Decimal("0.01"))


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
def activity_update(*, actor, activity: Activity, **fields) -> Activity:
    """Change an announced activity's time and invitees hear of it through the day-before notice
    (its key holds the date, so a moved activity gets a new one)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"activity_update() got an unexpected field {name!r}")
        setattr(activity, name, value)
    _validate_activity(actor=actor, activity=activity)
    activity._history_user = actor
    activity.save()
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity) -> Activity:
    if activity.status == Activity.Status.CANCELLED:
        return activity
    activity.status = Activity.Status.CANCELLED
    activity._history_user = actor
    activity.save(update_fields=["status", "updated_at"])
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
    return True


def activity_attendance_withdraw(*, invitation: ActivityInvitation, actor) -> bool:
    """Staff correct a mistake: the invitee did not attend after all."""
    updated = ActivityInvitation.objects.filter(pk=invitation.pk, attended_at__isnull=False).update(
        attended_at=None, attendance_method="", attendance_recorded_by=actor
    )
    if updated:
        invitation.refresh_from_db()
        ActivityInvitation.history.bulk_history_create([invitation], default_user=actor)
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


# --- Notices (periodic; idempotent through notify()'s unique key) ----------------------------


def _invitee_rows(invitations):
    return invitations.filter(representative__user__isnull=False, representative__user__is_active=True).values_list(
        "representative__user_id", "activity_id"
    )


def _send(rows, *, key_of, message_of, kind: str) -> int:
    """notify() each (user_id, activity) not told yet: one query for the keys already used."""
    from django.contrib.auth import get_user_model

    rows = list(rows)
    if not rows:
        return 0
    keys = {key_of(user_id, activity): (user_id, activity) for user_id, activity in rows}
    done = set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    todo = {key: value for key, value in keys.items() if key not in done}
    users = get_user_model().objects.in_bulk({user_id for user_id, _a in todo.values()})
    sent = 0
    for key, (user_id, activity) in sorted(todo.items()):
        title, body = message_of(activity)
        created = notify(
            recipient=users[user_id],
            kind=kind,
            key=key,
            title=title,
            body=body,
            url=reverse("activities:check_in", args=[activity.pk]),
            channels=(Notification.Channel.INBOX, Notification.Channel.SMS),
        )
        sent += created is not None
    return sent


def _when(activity: Activity) -> str:
    return timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")


def _announcement(activity: Activity) -> tuple[str, str]:
    title = _("Activity notice: %(title)s") % {"title": activity.title}
    body = _("%(kind)s at %(station)s, %(when)s, %(place)s. Please keep the time free.") % {
        "kind": activity.get_kind_display(),
        "station": activity.station.name,
        "when": _when(activity),
        "place": activity.location or activity.station.address,
    }
    return title, body


def activity_send_announcements(*, activity_id: int | None = None, now: datetime.datetime | None = None) -> int:
    """Tell every invitee of announced, coming activities who has not been told yet (also those
    invited after the announcement). One key per activity and person: never twice."""
    now = now or timezone.now()
    activities = Activity.objects.filter(status=Activity.Status.ANNOUNCED, starts_at__gt=now).select_related("station")
    if activity_id is not None:
        activities = activities.filter(pk=activity_id)
    by_id = {a.pk: a for a in activities}
    if not by_id:
        return 0
    rows = [
        (user_id, by_id[activity_id])
        for user_id, activity_id in _invitee_rows(ActivityInvitation.objects.filter(activity_id__in=by_id))
    ]
    return _send(
        rows,
        key_of=lambda user_id, activity: f"activity:{activity.pk}:announce:{user_id}",
        message_of=_announcement,
        kind="activity_announced",
    )


def _day_before(activity: Activity) -> tuple[str, str]:
    title = _("Tomorrow: %(title)s") % {"title": activity.title}
    body = _("%(when)s at %(place)s. Check in on the activity's page when you arrive.") % {
        "when": _when(activity),
        "place": activity.location or activity.station.name,
    }
    return title, body


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of `day` and of the next day, in the site's time zone (Asia/Shanghai)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)


def activity_send_day_before(*, now: datetime.datetime | None = None) -> int:
    """The day before (in local days): invitees of announced activities starting tomorrow.
    The key holds the date, so a moved activity is announced for its new day."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start, end = local_day_bounds(tomorrow)
    by_id = {
        a.pk: a
        for a in Activity.objects.filter(
            status=Activity.Status.ANNOUNCED, starts_at__gte=start, starts_at__lt=end
        ).select_related("station")
    }
    if not by_id:
        return 0
    rows = [
        (user_id, by_id[activity_id])
        for user_id, activity_id in _invitee_rows(ActivityInvitation.objects.filter(activity_id__in=by_id))
    ]
    return _send(
        rows,
        key_of=lambda user_id, activity: f"activity:{activity.pk}:eve:{tomorrow.isoformat()}:{user_id}",
        message_of=_day_before,
        kind="activity_day_before",
    )


# --- Quarterly duty check (seed 003: at least two activities a quarter) -----------------------

MIN_ACTIVITIES_PER_QUARTER = 2


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return local_day_bounds(first)[0], local_day_bounds(next_first)[0]


def duty_shortfall(*, year: int, quarter: int):
    """Serving representatives who attended fewer than two activities in the quarter, with the
    count (`attended`). One query. (Reception days held will count too once they exist: add them
    to `attended` here.)"""
    from django.db.models import Count

    from representatives.models import Representative

    start, end = quarter_bounds(year, quarter)
    return (
        Representative.objects.filter(status=Representative.Status.SERVING, created_at__lt=end)
        .annotate(
            attended=Count(
                "activity_invitations",
                filter=Q(
                    activity_invitations__attended_at__isnull=False,
                    activity_invitations__activity__starts_at__gte=start,
                    activity_invitations__activity__starts_at__lt=end,
                    activity_invitations__activity__status__in=[Activity.Status.PLANNED, Activity.Status.ANNOUNCED],
                ),
            )
        )
        .filter(attended__lt=MIN_ACTIVITIES_PER_QUARTER)
        .select_related("home_station")
        .order_by("home_station__path", "name", "pk")
    )


def duty_check_quarter(*, today: datetime.date | None = None) -> int:
    """First day of a quarter: tell each representative short of two activities in the last
    quarter, and each station officer which of their representatives are. Idempotent (one key per
    quarter and person). Returns how many notices were sent."""
    from django.contrib.auth import get_user_model

    today = today or timezone.localdate()
    year, quarter = previous_quarter(today)
    label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    short = list(duty_shortfall(year=year, quarter=quarter))
    if not short:
        return 0
    keys: dict[str, tuple] = {}
    for rep in short:
        if rep.user_id:
            keys[f"duty-check:{year}Q{quarter}:rep:{rep.pk}"] = ("rep", rep.user_id, rep)
    per_station: dict[int, list] = {}
    for rep in short:
        per_station.setdefault(rep.home_station_id, []).append(rep)
    officers = set(
        RoleGrant.objects.filter(
            role=RoleGrant.Role.STATION_OFFICER, station_id__in=per_station, user__is_active=True
        ).values_list("user_id", "station_id")
    )
    officers |= {(rep.home_station.officer_id, rep.home_station_id) for rep in short if rep.home_station.officer_id}
    per_officer: dict[int, list] = {}
    for user_id, station_id in officers:
        per_officer.setdefault(user_id, []).extend(per_station[station_id])
    for user_id, reps in per_officer.items():
        keys[f"duty-check:{year}Q{quarter}:officer:{user_id}"] = ("officer", user_id, reps)
    done = set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    users = get_user_model().objects.in_bulk({value[1] for key, value in keys.items() if key not in done})
    sent = 0
    for key, (who, user_id, subject) in sorted(keys.items()):
        if key in done:
            continue
        if who == "rep":
            title = _("%(quarter)s: you attended %(count)s activities") % {"quarter": label, "count": subject.attended}
            body = _(
                "Representatives take part in at least two activities a quarter. Your activities this quarter "
                "are on your home page."
            )
            url = reverse("activities:mine")
        else:
            names = "、".join(f"{rep.name}（{rep.attended}）" for rep in sorted(set(subject), key=lambda r: r.pk))
            title = _("%(quarter)s: %(count)s representatives attended fewer than two activities") % {
                "quarter": label,
                "count": len(set(subject)),
            }
            body = names
            url = reverse("activities:list")
        created = notify(recipient=users[user_id], kind="duty_check", key=key, title=title, body=body, url=url)
        sent += created is not None
    return sent


# --- Funds ------------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor, station, year: int, purpose: str, amount, note: str = "") -> StationBudget:
    """Set a station's budget for a year and purpose (creating or changing it; history kept)."""
    errors: dict[str, list[str]] = {}
    if station is None or not access.activity_stations(actor).filter(pk=station.pk).exists():
        errors["station"] = [_("You may not keep the budget of this station.")]
    if purpose not in FundPurpose.values:
        errors["purpose"] = [_("Choose what the money is for.")]
    if not (2000 <= int(year) <= 2100):
        errors["year"] = [_("Enter a year such as 2026.")]
    try:
        amount = parse_amount(amount, allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    budget = StationBudget.objects.select_for_update().filter(station=station, year=year, purpose=purpose).first()
    if budget is None:
        budget = StationBudget(station=station, year=year, purpose=purpose)
    budget.amount = amount
    budget.note = normalize_text(note)
    budget._history_user = actor
    budget.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError:  # a concurrent first save of the same budget: change that one
        budget = StationBudget.objects.select_for_update().get(station=station, year=year, purpose=purpose)
        budget.amount, budget.note, budget._history_user = amount, normalize_text(note), actor
        budget.save()
    return budget


def validate_receipt(receipt) -> None:
    """A receipt is a PDF, JPEG or PNG of at most 5 MB, and really is one (its first bytes)."""
    import os

    if receipt is None:
        return
    extension = os.path.splitext(receipt.name or "")[1].lower()
    if extension not in RECEIPT_TYPES:
        raise ValidationError({"receipt": [_("A receipt must be a PDF, JPG or PNG file.")]})
    if receipt.size > RECEIPT_MAX_BYTES:
        raise ValidationError({"receipt": [_("A receipt may be at most 5 MB.")]})
    receipt.seek(0)
    head = receipt.read(8)
    receipt.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_TYPES[extension]):
        raise ValidationError({"receipt": [_("This file is not a readable PDF, JPG or PNG.")]})


@transaction.atomic
def expense_record(
    *, actor, activity: Activity, amount, purpose: str, spent_on: datetime.date, note: str = "", receipt=None
) -> Expense:
    errors: dict[str, list[str]] = {}
    if not access.activities_changeable(actor).filter(pk=activity.pk).exists():
        raise ValidationError(_("You may not record expenses of this activity."))
    try:
        amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if purpose not in FundPurpose.values:
        errors["purpose"] = [_("Choose what the money is for.")]
    if spent_on is None:
        errors["spent_on"] = [_("Enter the date of the expense.")]
    try:
        validate_receipt(receipt)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    expense = Expense(
        activity=activity,
        amount=amount,
        purpose=purpose,
        spent_on=spent_on,
        note=normalize_text(note),
        recorded_by=actor,
    )
    if receipt is not None:
        expense.receipt = receipt
    expense._history_user = actor
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def expense_delete(*, actor, expense: Expense) -> None:
    expense._history_user = actor
    expense.delete()
