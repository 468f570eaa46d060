"""The periodic reception reminders: duty representatives reminded ahead of their days, and each
station's officer told about duties still unconfirmed (run hourly by `voters.tasks`).
"""

from __future__ import annotations

import datetime
import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Station
from liaison.services import notify
from voters.models import DutyAssignment, ReceptionDay

logger = logging.getLogger(__name__)

REMINDER_OFFSETS = (3, 1)


def reception_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind duty representatives 3 days and 1 day ahead (Asia/Shanghai local days), and tell
    each station's officer about duties still unconfirmed within three days.

    Two queries choose who is told (not one per representative); each message has a unique key,
    so running the job again (hourly) sends nothing twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    targets = {today + datetime.timedelta(days=offset): offset for offset in REMINDER_OFFSETS}
    reminders = 0
    duties = (
        DutyAssignment.objects.filter(
            day__date__in=list(targets),
            day__status=ReceptionDay.Status.PLANNED,
            representative__user__isnull=False,
        )
        .exclude(status=DutyAssignment.Status.DECLINED)
        .select_related("day__station", "representative__user__notification_preference")
    )
    for duty in duties:
        offset = targets[duty.day.date]
        day = duty.day
        created = notify(
            recipient=duty.representative.user,
            kind="reception_reminder",
            key=f"reception-reminder:{duty.pk}:{offset}",
            title=_("Reception day in %(days)s days: %(station)s") % {"days": offset, "station": day.station.name}
            if offset > 1
            else _("Reception day tomorrow: %(station)s") % {"station": day.station.name},
            body=_("%(date)s %(start)s-%(end)s at %(address)s.")
            % {
                "date": day.date.isoformat(),
                "start": day.starts_at.strftime("%H:%M"),
                "end": day.ends_at.strftime("%H:%M"),
                "address": day.station.address or day.station.name,
            },
            url=reverse("voters:reception_mine"),
        )
        reminders += created is not None
    alerts = 0
    unconfirmed = list(
        DutyAssignment.objects.filter(
            status=DutyAssignment.Status.INVITED,
            day__status=ReceptionDay.Status.PLANNED,
            day__date__gte=today,
            day__date__lte=today + datetime.timedelta(days=max(REMINDER_OFFSETS)),
        )
        .select_related("day__station__officer__notification_preference", "representative")
        .order_by("day_id", "pk")
    )
    officers = _officers_for([duty.day.station for duty in unconfirmed])
    by_day: dict[int, list[DutyAssignment]] = {}
    for duty in unconfirmed:
        by_day.setdefault(duty.day_id, []).append(duty)
    for duties_of_day in by_day.values():
        day = duties_of_day[0].day
        officer = officers.get(day.station_id)
        if officer is None:
            continue
        created = notify(
            recipient=officer,
            kind="reception_unconfirmed",
            key=f"reception-unconfirmed:{day.pk}:{officer.pk}:{today.isoformat()}",
            title=_("Duty not confirmed for %(date)s at %(station)s")
            % {"date": day.date.isoformat(), "station": day.station.name},
            body="、".join(duty.representative.name for duty in duties_of_day),
            url=reverse("voters:reception_detail", args=[day.pk]),
        )
        alerts += created is not None
    logger.info("reception reminders: %s sent, %s officer alerts", reminders, alerts)
    return {"reminders": reminders, "alerts": alerts}


def _officers_for(stations) -> dict:
    """Station id -> the officer who answers for it: its own, or else the nearest station above's.

    One query for all the stations without an officer of their own (their ancestors' officers).
    """
    result = {station.pk: station.officer for station in stations if station.officer_id}
    missing = [station for station in stations if not station.officer_id]
    if not missing:
        return result
    ancestor_ids = {int(part) for station in missing for part in station.path.strip("/").split("/") if part}
    above = {
        station.pk: station.officer
        for station in Station.objects.filter(pk__in=ancestor_ids, officer__isnull=False).select_related(
            "officer__notification_preference"
        )
    }
    for station in missing:
        chain = [int(part) for part in station.path.strip("/").split("/") if part][:-1]
        for ancestor_id in reversed(chain):
            if ancestor_id in above:
                result[station.pk] = above[ancestor_id]
                break
    return result
