"""Reception days: scheduling (one day or a series), duties, the public notice, cancelling,
logging a held day and its visits, the iCalendar feed, and the periodic reminders.

Every write is here, transactional, and tells the people concerned through `liaison.services.notify`
(each notification under a unique key, so that a job run twice tells nobody twice).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from liaison import access
from liaison.models import Station
from liaison.services import notify
from liaison.text import normalize_text
from representatives.models import Representative
from voters.models import (
    CalendarFeed,
    DutyAssignment,
    RaisedItem,
    ReceptionDay,
    ReceptionSeries,
    Visit,
    VisitDraft,
    Voter,
)

logger = logging.getLogger(__name__)

MAX_DAYS_IN_SERIES = 120
MAX_SERIES_SPAN_DAYS = 2 * 366
ODD_MONTHS = (1, 3, 5, 7, 9, 11)
EVEN_MONTHS = (2, 4, 6, 8, 10, 12)
MAX_ITEMS_PER_VISIT = 10


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
        raise ValidationError(_("You may not change this reception day."))
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


# --- Logging a held day ----------------------------------------------------------------------


def _loggable_day(actor, day_id: int) -> ReceptionDay:
    day = access.reception_days_loggable(actor).select_for_update().filter(pk=day_id).first()
    if day is None:
        from django.http import Http404

        raise Http404
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ValidationError(_("This reception day was cancelled."))
    if day.date > timezone.localdate():
        raise ValidationError(_("A reception day can be logged on the day or after it."))
    return day


@transaction.atomic
def reception_day_record_held(
    *, actor, day_id: int, visitor_count: int, summary: str = "", finished: bool = False
) -> ReceptionDay:
    """Record the day as held: how many visitors came (and, when `finished`, that the log is done)."""
    day = _loggable_day(actor, day_id)
    if visitor_count is None or visitor_count < 0 or visitor_count > 10000:
        raise ValidationError({"visitor_count": [_("Give the number of visitors (0 or more).")]})
    logged = day.visits.count()
    if finished and visitor_count < logged:
        raise ValidationError(
            {
                "visitor_count": [
                    _("%(count)s visits are logged: the number of visitors cannot be smaller.") % {"count": logged}
                ]
            }
        )
    day.status = ReceptionDay.Status.HELD
    day.visitor_count = visitor_count
    day.summary = normalize_text(summary)
    fields = ["status", "visitor_count", "summary", "updated_at"]
    if finished:
        day.logged_at = timezone.now()
        day.logged_by = actor
        fields += ["logged_at", "logged_by"]
    day.save(update_fields=fields)
    # Who held it: the duty representatives who did not decline are recorded as attended (confirmed).
    DutyAssignment.objects.filter(day=day, status=DutyAssignment.Status.INVITED).update(
        status=DutyAssignment.Status.CONFIRMED, responded_at=timezone.now()
    )
    return day


def voter_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))[:20].lower()


def normalize_phone(phone: str) -> str:
    return "".join(ch for ch in (phone or "") if ch.isdigit())


def voter_find_or_create(*, actor, station: Station, phone: str, name: str) -> Voter | None:
    """The voter with this phone (anywhere in the instance: one record per phone), or a new one
    kept by `station`. Empty phone and name: an anonymous visitor (None).

    Kept inside the reception services on purpose: the voters pages own the Voter record; a visit
    only needs to find one by phone or add a minimal one.
    """
    phone = normalize_phone(phone)
    name = normalize_text(name)
    if phone:
        if len(phone) != 11 or not phone.startswith("1"):
            raise ValidationError({"phone": [_("Enter an 11-digit mobile number, or leave it empty.")]})
        found = Voter.objects.filter(phone=phone).first()
        if found is not None:
            return found
    if not name:
        if phone:
            raise ValidationError({"name": [_("This number is new: enter the visitor's name.")]})
        return None
    if len(name) > 50:
        raise ValidationError({"name": [_("The name is too long.")]})
    voter = Voter(station=station, name=name, phone=phone, created_by=actor, name_initials=voter_initials(name))
    voter.full_clean(exclude=["name_initials"])
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError:  # the same number added a moment ago
        return Voter.objects.get(phone=phone)
    return voter


@transaction.atomic
def visit_log(
    *,
    actor,
    day_id: int,
    phone: str = "",
    name: str = "",
    items: list[str],
    received_by_id: int | None = None,
    outcome: str = Visit.Outcome.FOLLOW_UP,
    draft_token: str = "",
) -> Visit:
    """Log one visit with the items raised; the day becomes held; the actor's draft is cleared."""
    day = _loggable_day(actor, day_id)
    errors: dict[str, list[str]] = {}
    items = [text for text in (normalize_text(item) for item in items) if text]
    if not items:
        errors.setdefault("items", []).append(_("Write down at least one matter the visitor raised."))
    if len(items) > MAX_ITEMS_PER_VISIT:
        errors.setdefault("items", []).append(
            _("At most %(count)s matters per visit.") % {"count": MAX_ITEMS_PER_VISIT}
        )
    if any(len(item) > 500 for item in items):
        errors.setdefault("items", []).append(_("Each matter may have at most 500 characters."))
    if outcome not in Visit.Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome."))
    received_by = None
    if received_by_id:
        received_by = day.duties.filter(representative_id=received_by_id).select_related("representative").first()
        if received_by is None:
            errors.setdefault("received_by", []).append(_("Choose one of the day's duty representatives."))
        else:
            received_by = received_by.representative
    if errors:
        raise ValidationError(errors)
    voter = voter_find_or_create(actor=actor, station=day.station, phone=phone, name=name)
    visit = Visit.objects.create(day=day, voter=voter, received_by=received_by, outcome=outcome, created_by=actor)
    RaisedItem.objects.bulk_create([RaisedItem(visit=visit, text=text, position=i) for i, text in enumerate(items)])
    if day.status == ReceptionDay.Status.PLANNED:
        day.status = ReceptionDay.Status.HELD
    day.visitor_count = max(day.visitor_count or 0, day.visits.count())
    day.save(update_fields=["status", "visitor_count", "updated_at"])
    VisitDraft.objects.update_or_create(
        day=day, user=actor, defaults={"data": {}, "closed_token": (draft_token or "")[:32]}
    )
    return visit


@transaction.atomic
def visit_delete(*, actor, visit_id: int) -> None:
    """Remove a visit logged by mistake (before any of its items became a suggestion)."""
    visit = Visit.objects.filter(day__in=access.reception_days_loggable(actor).values("pk"), pk=visit_id).first()
    if visit is None:
        from django.http import Http404

        raise Http404
    if visit.items.filter(suggestion_id__isnull=False).exists():
        raise ValidationError(_("A matter of this visit is already a suggestion; it cannot be removed."))
    visit.delete()


DRAFT_FIELDS = ("phone", "name", "items", "received_by", "outcome")


def visit_draft_save(*, actor, day_id: int, data: dict, draft_token: str = "") -> VisitDraft | None:
    """Keep what is typed so far (as typed: only checked when the visit is saved).

    An autosave arriving after its form's visit was saved (same `draft_token`) is ignored.
    """
    day = access.reception_days_loggable(actor).filter(pk=day_id).first()
    if day is None:
        from django.http import Http404

        raise Http404
    clean = {}
    for field in DRAFT_FIELDS:
        value = data.get(field, "")
        if isinstance(value, list):
            clean[field] = [str(v)[:500] for v in value[:MAX_ITEMS_PER_VISIT]]
        else:
            clean[field] = str(value)[:500]
    with transaction.atomic():
        draft, _created = VisitDraft.objects.select_for_update().get_or_create(day=day, user=actor)
        if draft_token and draft.closed_token == draft_token:
            return None
        draft.data = clean
        draft.save(update_fields=["data", "updated_at"])
    return draft


def visit_draft_get(*, actor, day: ReceptionDay) -> dict:
    draft = VisitDraft.objects.filter(day=day, user=actor).first()
    return draft.data if draft else {}


def raised_items_to_convert(*, day: ReceptionDay):
    """SEAM for the suggestions app: the items of a day not yet turned into a suggestion.

    The suggestions issue adds `suggestion_create_from_raised_item(*, actor, item)` which creates
    the Suggestion (source "reception", station and receiving representative from the visit) and
    sets `item.suggestion_id`. Nothing here creates suggestions.
    """
    return RaisedItem.objects.filter(visit__day=day, suggestion_id__isnull=True).select_related(
        "visit__voter", "visit__received_by"
    )


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


# --- Periodic reminders ----------------------------------------------------------------------

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
