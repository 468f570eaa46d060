"""Reads for reception days and visits, always scoped by `liaison.access`."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from liaison import access
from voters.models import DutyAssignment, RaisedItem, ReceptionDay


def reception_day_get(*, user, pk: int, for_log: bool = False, for_change: bool = False) -> ReceptionDay:
    """One day the user may see (or log, or change); anything else is a 404."""
    if for_change:
        scope = access.reception_days_changeable(user)
    elif for_log:
        scope = access.reception_days_loggable(user)
    else:
        scope = access.reception_days_visible(user)
    day = scope.select_related("station", "series").filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


def day_duties(*, day: ReceptionDay):
    return day.duties.select_related("representative").order_by("pk")


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def calendar_days(*, user, month: datetime.date, station_id: int | None = None):
    """The reception days of a month in the user's scope (one query, duties counted)."""
    first, last = month_bounds(month)
    days = access.reception_days_visible(user).filter(date__gte=first, date__lte=last)
    if station_id:
        days = days.filter(station_id=station_id)
    return (
        days.select_related("station")
        .annotate(
            duty_count=Count("duties", filter=~Q(duties__status=DutyAssignment.Status.DECLINED), distinct=True),
            visit_count=Count("visits", distinct=True),
        )
        .order_by("date", "starts_at", "pk")
    )


CHIPS_PER_CELL = 3


def month_grid(*, month: datetime.date, days) -> list[list[dict]]:
    """Weeks (Monday first) of cells {date, in_month, days} for the month view."""
    by_date: dict[datetime.date, list] = {}
    for day in days:
        by_date.setdefault(day.date, []).append(day)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([{"date": d, "in_month": d.month == month.month, "days": by_date.get(d, [])} for d in week])
    return weeks


def visit_list(*, user, day: ReceptionDay | None = None):
    """Visits with their voter, receiver and items: a constant number of queries per page."""
    visits = access.visits_visible(user)
    if day is not None:
        visits = visits.filter(day=day)
    return (
        visits.select_related("voter", "received_by", "day__station__division")
        .prefetch_related(Prefetch("items", queryset=RaisedItem.objects.order_by("position", "pk")))
        .order_by("-day__date", "-pk")
    )


def my_duties(*, user, upcoming_only: bool = True):
    """The representative's duties (from today on, by default)."""
    duties = DutyAssignment.objects.filter(representative__user=user).select_related("day__station")
    if upcoming_only:
        duties = duties.filter(day__date__gte=timezone.localdate(), day__status=ReceptionDay.Status.PLANNED)
    return duties.order_by("day__date", "day__starts_at", "pk")


def days_to_log(*, user, mine_only: bool = False):
    """Days that have passed (or are today) and are not logged yet, in the user's log scope."""
    days = access.reception_days_loggable(user)
    if mine_only:
        mine = DutyAssignment.objects.filter(representative__user=user).exclude(status=DutyAssignment.Status.DECLINED)
        days = days.filter(pk__in=mine.values("day"))
    return (
        days.filter(date__lte=timezone.localdate(), logged_at__isnull=True)
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .select_related("station")
        .order_by("-date", "pk")
    )


def station_days_to_log(*, user):
    """Days of the user's stations (as staff) that have passed and are not logged yet."""
    return (
        access.reception_days_changeable(user)
        .filter(date__lte=timezone.localdate(), logged_at__isnull=True)
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .select_related("station")
        .order_by("-date", "pk")
    )


def days_with_unconfirmed_duties(*, user):
    """Coming days of the user's stations where a duty representative has not answered yet."""
    return (
        access.reception_days_changeable(user)
        .filter(pk__in=unconfirmed_duties(user=user).values("day"))
        .select_related("station")
        .annotate(unconfirmed=Count("duties", filter=Q(duties__status=DutyAssignment.Status.INVITED)))
        .order_by("date", "pk")
    )


def unconfirmed_duties(*, user):
    """Duties still only invited at coming days of the user's stations."""
    return DutyAssignment.objects.filter(
        day__in=access.reception_days_changeable(user).values("pk"),
        status=DutyAssignment.Status.INVITED,
        day__status=ReceptionDay.Status.PLANNED,
        day__date__gte=timezone.localdate(),
    )


def feed_duties(*, token: str):
    """The duties of the representative owning an unrevoked feed token; None if revoked or unknown."""
    from voters.models import CalendarFeed

    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("representative").first()
    if feed is None:
        return None, []
    since = timezone.localdate() - datetime.timedelta(days=90)
    duties = (
        DutyAssignment.objects.filter(representative=feed.representative, day__date__gte=since)
        .exclude(status=DutyAssignment.Status.DECLINED)
        .select_related("day__station")
        .order_by("day__date")
    )
    return feed, list(duties)


def public_notices(*, station):
    """Coming reception days whose notice is published (for the public station page)."""
    return ReceptionDay.objects.filter(
        station=station,
        status=ReceptionDay.Status.PLANNED,
        notice_published_at__isnull=False,
        date__gte=timezone.localdate(),
    ).order_by("date", "starts_at")


def active_feed(*, user):
    from voters.models import CalendarFeed

    return CalendarFeed.objects.filter(representative__user=user, revoked_at__isnull=True).first()


WAITING = ("unconfirmed", "station_to_log", "to_log", "today", "to_answer", "this_month")


def reception_day_list(*, user, waiting: str):
    """The days behind each number on the home pages (each number links to exactly these rows)."""
    today = timezone.localdate()
    if waiting == "unconfirmed":
        return days_with_unconfirmed_duties(user=user)
    if waiting == "station_to_log":
        return station_days_to_log(user=user)
    if waiting == "to_log":
        return days_to_log(user=user, mine_only=True)
    if waiting == "today":
        return (
            access.reception_days_changeable(user)
            .filter(date=today, status=ReceptionDay.Status.PLANNED)
            .select_related("station")
            .order_by("starts_at", "pk")
        )
    mine = DutyAssignment.objects.filter(representative__user=user, day__status=ReceptionDay.Status.PLANNED)
    mine = mine.filter(day__date__gte=today)
    if waiting == "to_answer":
        mine = mine.filter(status=DutyAssignment.Status.INVITED)
    elif waiting == "this_month":
        mine = mine.filter(day__date__lte=month_bounds(today)[1]).exclude(status=DutyAssignment.Status.DECLINED)
    else:
        return ReceptionDay.objects.none()
    return (
        access.reception_days_visible(user)
        .filter(pk__in=mine.values("day"))
        .select_related("station")
        .order_by("date", "starts_at", "pk")
    )
