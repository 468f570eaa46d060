"""Reception days: scheduling (one day or a series), duties, the public notice, cancelling, and
the iCalendar feed token. Logging a held day is in `visits`; the periodic reminders are in
`reception_reminders`.

Every write is here, transactional, and tells the people concerned through `liaison.services.notify`
(each notification under a unique key, so that a job run twice tells nobody twice).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from dateutil import rrule
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Station
from liaison.services import notify
from liaison.text import normalize_text
from representatives.models import Representative
from voters.models import (
    CalendarFeed,
    DutyAssignment,
    ReceptionDay,
    ReceptionSeries,
)

logger = logging.getLogger(__name__)

MAX_DAYS_IN_SERIES = 120
MAX_SERIES_SPAN_DAYS = 2 * 366
ODD_MONTHS = (1, 3, 5, 7, 9, 11)
EVEN_MONTHS = (2, 4, 6, 8, 10, 12)


class Frequency:
    ONCE = "once"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


# --- Series ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRule:
    """What the scheduling form asks: from `start` until `until`, weekly or monthly on a day.

    months: "all", "odd" or "even" (monthly only).
    """

    frequency: str
    start: datetime.date
    until: datetime.date | None = None
    day_of_month: int | None = None
    months: str = "all"

    def as_rrule(self) -> rrule.rrule | None:
        if self.frequency == Frequency.ONCE:
            return None
        dtstart = datetime.datetime.combine(self.start, datetime.time())
        until = datetime.datetime.combine(self.until, datetime.time()) if self.until else None
        if self.frequency == Frequency.WEEKLY:
            return rrule.rrule(rrule.WEEKLY, dtstart=dtstart, until=until)
        day = self.day_of_month or self.start.day
        bymonth = {"odd": ODD_MONTHS, "even": EVEN_MONTHS}.get(self.months)
        if day > 28:
            # "The 31st" in a month without one is that month's last day: of the set
            # {the day, the last day} take the first that exists.
            return rrule.rrule(
                rrule.MONTHLY, dtstart=dtstart, until=until, bymonth=bymonth, bymonthday=(day, -1), bysetpos=1
            )
        return rrule.rrule(rrule.MONTHLY, dtstart=dtstart, until=until, bymonth=bymonth, bymonthday=day)

    def describe(self) -> str:
        if self.frequency == Frequency.WEEKLY:
            return _("Every week from %(start)s") % {"start": self.start.isoformat()}
        months = {"odd": _("every odd month"), "even": _("every even month")}.get(self.months, _("every month"))
        return _("Day %(day)s of %(months)s") % {"day": self.day_of_month or self.start.day, "months": months}


def series_dates(rule: SeriesRule) -> list[datetime.date]:
    """The dates of a series (python-dateutil's rrule); a single date for "once"."""
    generated = rule.as_rrule()
    if generated is None:
        return [rule.start]
    return [moment.date() for moment in generated[: MAX_DAYS_IN_SERIES + 1]]


def notice_date(day_date: datetime.date, notice_days: int) -> datetime.date:
    """The local date the public notice goes out: `notice_days` before the day."""
    return day_date - datetime.timedelta(days=notice_days)


def _validate_schedule(*, actor, station, rule: SeriesRule, starts_at, ends_at, notice_days, duty_reps) -> list:
    errors: dict[str, list[str]] = {}
    if station is None or not access.reception_stations(actor).filter(pk=station.pk).exists():
        errors.setdefault("station", []).append(_("You may not schedule reception days at this station."))
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The reception must end after it starts."))
    if notice_days is None or notice_days < 0 or notice_days > 60:
        errors.setdefault("notice_days", []).append(_("Give the notice between 0 and 60 days ahead."))
    today = timezone.localdate()
    if rule.start < today:
        errors.setdefault("date", []).append(_("The date has passed; choose today or a later date."))
    dates: list[datetime.date] = []
    if rule.frequency != Frequency.ONCE:
        if rule.until is None:
            errors.setdefault("until", []).append(_("Give the last date of the series."))
        elif rule.until < rule.start:
            errors.setdefault("until", []).append(_("The series must end after it starts."))
        elif (rule.until - rule.start).days > MAX_SERIES_SPAN_DAYS:
            errors.setdefault("until", []).append(_("A series may span at most two years."))
        if rule.frequency == Frequency.MONTHLY and not (rule.day_of_month and 1 <= rule.day_of_month <= 31):
            errors.setdefault("day_of_month", []).append(_("Give a day of the month between 1 and 31."))
    if not errors:
        dates = series_dates(rule)
        if not dates:
            errors.setdefault("until", []).append(_("No reception day falls within these dates."))
        elif len(dates) > MAX_DAYS_IN_SERIES:
            errors.setdefault("until", []).append(
                _("A series may hold at most %(count)s reception days.") % {"count": MAX_DAYS_IN_SERIES}
            )
    if station is not None and duty_reps:
        allowed = set(
            duty_candidates(station=station).filter(pk__in=[r.pk for r in duty_reps]).values_list("pk", flat=True)
        )
        if any(rep.pk not in allowed for rep in duty_reps):
            errors.setdefault("duty_representatives", []).append(
                _("Only serving representatives of this station can be on duty.")
            )
    if errors:
        raise ValidationError(errors)
    return dates


def duty_candidates(*, station: Station):
    """Representatives who may be on duty at a station: its serving ones and those of its points."""
    return Representative.objects.filter(
        home_station__path__startswith=station.path, status=Representative.Status.SERVING
    ).order_by("name", "pk")


@transaction.atomic
def reception_day_schedule(
    *,
    actor,
    station: Station,
    rule: SeriesRule,
    starts_at: datetime.time,
    ends_at: datetime.time,
    theme: str = "",
    notice_days: int = 3,
    duty_representatives=(),
) -> list[ReceptionDay]:
    """Schedule one reception day or a series; invite the duty representatives."""
    duty_reps = list(duty_representatives)
    dates = _validate_schedule(
        actor=actor,
        station=station,
        rule=rule,
        starts_at=starts_at,
        ends_at=ends_at,
        notice_days=notice_days,
        duty_reps=duty_reps,
    )
    series = None
    generated = rule.as_rrule()
    if generated is not None:
        series = ReceptionSeries.objects.create(
            station=station, description=rule.describe(), rule=str(generated), created_by=actor
        )
    days = [
        ReceptionDay(
            station=station,
            series=series,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            theme=normalize_text(theme),
            notice_days=notice_days,
            notice_on=notice_date(date, notice_days),
            created_by=actor,
        )
        for date in dates
    ]
    for day in days:
        day.full_clean()
    days = ReceptionDay.objects.bulk_create(days)
    duties = DutyAssignment.objects.bulk_create(
        [DutyAssignment(day=day, representative=rep) for day in days for rep in duty_reps]
    )
    _invite(duties=duties, days=days)
    # A notice already due (a day scheduled at short notice) is published at once.
    reception_notices_publish(today=timezone.localdate())
    return days


def _invite(*, duties, days) -> None:
    """One invitation per representative, listing their days (a series is one message)."""
    if not duties:
        return
    by_rep: dict[int, list[DutyAssignment]] = {}
    for duty in duties:
        by_rep.setdefault(duty.representative_id, []).append(duty)
    reps = Representative.objects.filter(pk__in=by_rep, user__isnull=False).select_related(
        "user__notification_preference"
    )
    station = days[0].station
    for rep in reps:
        mine = by_rep[rep.pk]
        dates = "、".join(duty.day.date.isoformat() for duty in mine[:6]) + ("…" if len(mine) > 6 else "")
        notify(
            recipient=rep.user,
            kind="reception_invited",
            key=f"reception-invited:{mine[0].pk}:{len(mine)}",
            title=_("You are invited to be on duty at %(station)s") % {"station": station.name},
            body=_("Reception days: %(dates)s. Please confirm or decline.") % {"dates": dates},
            url=reverse("voters:reception_mine"),
        )


@transaction.atomic
def duty_invite(*, actor, day: ReceptionDay, representative: Representative) -> DutyAssignment:
    """Add a duty representative to a planned day."""
    if not access.reception_days_changeable(actor).filter(pk=day.pk).exists():
        raise PermissionDenied(_("You may not change this reception day."))
    if day.status != ReceptionDay.Status.PLANNED:
        raise ValidationError({"representative": [_("Only a planned reception day can be changed.")]})
    if not duty_candidates(station=day.station).filter(pk=representative.pk).exists():
        raise ValidationError({"representative": [_("Only serving representatives of this station can be on duty.")]})
    duty, created = DutyAssignment.objects.get_or_create(day=day, representative=representative)
    if not created:
        raise ValidationError({"representative": [_("This representative is already on duty that day.")]})
    _invite(duties=[duty], days=[day])
    return duty


@transaction.atomic
def duty_respond(*, actor, duty_id: int, confirm: bool, reason: str = "") -> DutyAssignment:
    """The representative confirms or declines their duty (only their own, only while planned)."""
    duty = (
        DutyAssignment.objects.select_for_update(of=("self",))
        .select_related("day__station__officer", "representative")
        .filter(representative__user=actor)
        .filter(pk=duty_id)
        .first()
    )
    if duty is None:
        from django.http import Http404

        raise Http404
    if duty.day.status != ReceptionDay.Status.PLANNED or duty.day.date < timezone.localdate():
        raise ValidationError(_("This reception day can no longer be answered."))
    duty.status = DutyAssignment.Status.CONFIRMED if confirm else DutyAssignment.Status.DECLINED
    duty.decline_reason = "" if confirm else normalize_text(reason)[:200]
    duty.responded_at = timezone.now()
    duty.save(update_fields=["status", "decline_reason", "responded_at"])
    officer = duty.day.station.officer
    if not confirm and officer is not None:
        notify(
            recipient=officer,
            kind="reception_declined",
            key=f"reception-declined:{duty.pk}:{duty.responded_at.timestamp()}",
            title=_("%(name)s declined duty on %(date)s")
            % {"name": duty.representative.name, "date": duty.day.date.isoformat()},
            body=duty.decline_reason,
            url=reverse("voters:reception_detail", args=[duty.day_id]),
        )
    return duty


@transaction.atomic
def reception_day_cancel(*, actor, day_id: int, reason: str) -> ReceptionDay:
    """Cancel a planned day with a reason; its duty representatives are told."""
    day = (
        access.reception_days_changeable(actor).select_for_update().select_related("station").filter(pk=day_id).first()
    )
    if day is None:
        from django.http import Http404

        raise Http404
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for cancelling; the duty representatives will read it.")]})
    if day.status != ReceptionDay.Status.PLANNED:
        raise ValidationError({"reason": [_("Only a planned reception day can be cancelled.")]})
    day.status = ReceptionDay.Status.CANCELLED
    day.cancel_reason = reason[:200]
    day.cancelled_by = actor
    day.cancelled_at = timezone.now()
    day.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "updated_at"])
    duties = (
        DutyAssignment.objects.filter(day=day, representative__user__isnull=False)
        .exclude(status=DutyAssignment.Status.DECLINED)
        .select_related("representative__user__notification_preference")
    )
    for duty in duties:
        notify(
            recipient=duty.representative.user,
            kind="reception_cancelled",
            key=f"reception-cancelled:{duty.pk}",
            title=_("Reception day cancelled: %(station)s %(date)s")
            % {"station": day.station.name, "date": day.date.isoformat()},
            body=reason,
            url=reverse("voters:reception_mine"),
        )
    return day


def reception_notices_publish(*, today: datetime.date | None = None) -> int:
    """Publish the public notice of every planned day whose notice date has come (one UPDATE)."""
    today = today or timezone.localdate()
    count = ReceptionDay.objects.filter(
        status=ReceptionDay.Status.PLANNED, notice_published_at__isnull=True, notice_on__lte=today
    ).update(notice_published_at=timezone.now())
    logger.info("reception notices published: %s", count)
    return count


# --- iCalendar feed --------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, actor) -> CalendarFeed:
    """A new private URL for the actor's duties; the previous one stops working."""
    rep = Representative.objects.filter(user=actor).first()
    if rep is None:
        raise ValidationError(_("Your account is not linked to a representative."))
    CalendarFeed.objects.filter(representative=rep, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return CalendarFeed.objects.create(representative=rep)


@transaction.atomic
def calendar_feed_revoke(*, actor) -> int:
    return CalendarFeed.objects.filter(representative__user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
