"""Reads for the public station page and representative card (no login).

What is public is decided in one place, shared with the opinion form those pages link to
(`suggestions.selectors.public`): an active station by its slug, a serving representative whose
station is active. Everything else is a 404. Nothing here hands a template a phone number, an ID
number or an address of a person: the station page gets the station's own public contact, the
card only what a published list of representatives shows (name, congress, station, employer and
specialties). Each page is a fixed number of queries however many representatives, reception days
and answers there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison import access
from liaison.models import Station
from representatives.models import PerformanceRecord, PointsPublication, Representative
from representatives.selectors.performance import counted_q, quarter_dates
from suggestions.selectors import public as suggestion_public
from voters.models import DutyAssignment, ReceptionDay
from voters.selectors.reception import public_notices

REPRESENTATIVES_SHOWN = 60  # a station page lists at most this many, and says how many there are
DAYS_SHOWN = 5  # the coming reception days on a station page and on a card
ANSWERS_SHOWN = 3  # an excerpt of the published answers; the full list has its own page
PUBLISHED_QUARTERS = 4  # the last ended quarters whose points a card shows, when published


def _public_duties() -> Prefetch:
    """A day's duty representatives the public may read: not declined, with a public card."""
    duties = (
        DutyAssignment.objects.exclude(status=DutyAssignment.Status.DECLINED)
        .filter(representative__in=access.public_representatives())
        .select_related("representative")
        .only("day_id", "representative__name", "representative__level")
        .order_by("pk")
    )
    return Prefetch("duties", queryset=duties, to_attr="public_duties")


@dataclass
class StationPage:
    station: Station
    representatives: list
    representative_count: int
    days: list
    answers: list
    officer_name: str = ""


def station_page(slug: object) -> StationPage:
    """The public page of an active station: its contact, its serving representatives, the coming
    reception days whose notice is published, and its latest published answers. 404 otherwise."""
    station = suggestion_public.station_for_form(slug)
    if station is None:
        raise Http404
    officer = (  # a former officer (account closed) is not named
        Station.objects.filter(pk=station.pk, officer__is_active=True)
        .values_list("officer__full_name", flat=True)
        .first()
    )
    reps = access.public_representatives().filter(home_station=station)
    shown = list(
        reps.select_related("congress")
        .only("name", "level", "term", "congress__name")
        .order_by("level", "congress_id", "name_initials", "name", "pk")[:REPRESENTATIVES_SHOWN]
    )
    count = reps.count()  # always asked, so that the page's queries do not depend on the station's size
    days = list(public_notices(station=station).prefetch_related(_public_duties())[:DAYS_SHOWN])
    answers = list(suggestion_public.published_answers(station)[:ANSWERS_SHOWN])
    # Only the officer's name (never their user name or phone): the station's phone is the contact.
    return StationPage(
        station=station,
        representatives=shown,
        representative_count=count,
        days=days,
        answers=answers,
        officer_name=officer or "",
    )


@dataclass
class QuarterPoints:
    year: int
    quarter: int
    points: Decimal


@dataclass
class RepresentativeCard:
    representative: Representative
    duties: list
    points: list[QuarterPoints] | None = None  # None: the county does not publish points
    specialties: list = field(default_factory=list)


def ended_quarters(today: datetime.date, count: int = PUBLISHED_QUARTERS) -> list[tuple[int, int]]:
    """The last `count` quarters that have ended before `today`, newest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    quarters = []
    for _ in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        quarters.append((year, quarter))
    return quarters


def points_published(representative: Representative) -> bool:
    """Has the representative's county chosen to publish quarterly points? (PointsPublication)"""
    county_id = representative.congress.county_id() or representative.home_station.division.county_id()
    return PointsPublication.objects.filter(county_id=county_id, quarterly_points_public=True).exists()


def quarter_points(representative: Representative, quarters: list[tuple[int, int]]) -> list[QuarterPoints]:
    """Points of each quarter, summed as the staff's quarterly points page sums them
    (`representatives.selectors.handbook.quarterly_points`: uncapped, records that count), in one
    query."""
    sums = {}
    for year, quarter in quarters:
        first, last = quarter_dates(year, quarter)
        sums[f"y{year}q{quarter}"] = Sum("points", filter=counted_q() & Q(date__gte=first, date__lte=last))
    totals = PerformanceRecord.objects.filter(representative=representative).aggregate(**sums)
    return [
        QuarterPoints(year=year, quarter=quarter, points=totals[f"y{year}q{quarter}"] or Decimal("0"))
        for year, quarter in quarters
    ]


def representative_card(pk: int) -> RepresentativeCard:
    """The public card of a serving representative of an active station; 404 otherwise."""
    rep = get_object_or_404(
        access.public_representatives()
        .select_related("home_station__division", "congress")
        .prefetch_related("specialties"),
        pk=pk,
    )
    duties = list(
        DutyAssignment.objects.filter(
            representative=rep,
            day__station__is_active=True,
            day__status=ReceptionDay.Status.PLANNED,
            day__notice_published_at__isnull=False,
            day__date__gte=timezone.localdate(),
        )
        .exclude(status=DutyAssignment.Status.DECLINED)
        .select_related("day__station")
        .order_by("day__date", "day__starts_at", "day__pk")[:DAYS_SHOWN]
    )
    points = quarter_points(rep, ended_quarters(timezone.localdate())) if points_published(rep) else None
    return RepresentativeCard(
        representative=rep, duties=duties, points=points, specialties=[s.name for s in rep.specialties.all()]
    )


# --- Posters (staff): the objects whose public page a poster points at ----------------------


def station_for_poster(*, user, pk: int) -> Station:
    """A station the user may see whose public page exists (active); anything else is a 404."""
    return get_object_or_404(access.stations_visible(user) & access.public_stations(), pk=pk)


def representative_for_poster(*, user, pk: int) -> Representative:
    """A representative the user may see whose public card exists; anything else is a 404."""
    scope = access.representatives_visible(user) & access.public_representatives()
    return get_object_or_404(scope.select_related("home_station"), pk=pk)


def activity_for_poster(*, user, pk: int):
    """An activity the user may open on the staff side (its check-in page needs a sign-in)."""
    return get_object_or_404(access.activities_visible(user).select_related("station"), pk=pk)
