"""Notices on activities: announcements, the day-before notices, the quarterly duty check."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Activity, ActivityInvitation, Notification, RoleGrant
from liaison.services import notify
from representatives.selectors import performance as performance_selectors

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


# --- Quarterly duty check (seed 003: at least two duties a quarter) --------------------------
# The rule (which duties count, how many) lives in representatives.selectors.performance, which
# "My record" uses too: activities attended, reception days held and household visits.

duty_shortfall = performance_selectors.duty_shortfall


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


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
            title = _("%(quarter)s: you did %(count)s duties") % {"quarter": label, "count": subject.duties}
            body = _(
                "Representatives do at least two duties a quarter (activities, reception days, household "
                "visits). What you did and what is still expected is on your record."
            )
            url = reverse("representatives:performance_mine")
        else:
            names = "、".join(f"{rep.name}（{rep.duties}）" for rep in sorted(set(subject), key=lambda r: r.pk))
            title = _("%(quarter)s: %(count)s representatives did fewer than two duties") % {
                "quarter": label,
                "count": len(set(subject)),
            }
            body = names
            url = reverse("activities:list")
        created = notify(recipient=users[user_id], kind="duty_check", key=key, title=title, body=body, url=url)
        sent += created is not None
    return sent
