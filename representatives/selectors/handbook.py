"""The handbook (履职记实手册) and the quarterly points: reads built for many representatives at once
(a station's handbooks, a page of quarterly points) in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.models import Division, Station
from representatives.models import PerformanceKind, PerformanceRecord, PointsPublication, ReportBack, Representative
from representatives.selectors.performance import KindLine, YearSummary, counted_q, quarter_dates, yearly_caps


@dataclass
class Handbook:
    representative: Representative
    year: int
    summary: YearSummary
    records: list = field(default_factory=list)
    report_backs: list = field(default_factory=list)
    proposals: list = field(default_factory=list)


def handbooks(*, representatives: QuerySet[Representative], year: int) -> list[Handbook]:
    """One handbook per representative: three queries whatever their number (the representatives,
    their records of the year, their report-backs) plus one for the caps."""
    caps = yearly_caps(year)
    reps = representatives.select_related("home_station", "congress").prefetch_related(
        Prefetch(
            "performance_records",
            queryset=PerformanceRecord.objects.filter(date__year=year).order_by("date", "pk"),
            to_attr="year_records",
        ),
        Prefetch("report_backs", queryset=ReportBack.objects.order_by("-year", "pk"), to_attr="all_report_backs"),
    )
    books = []
    for rep in reps:
        lines = {kind: KindLine(kind=kind, label=str(label), cap=caps[kind]) for kind, label in PerformanceKind.choices}
        for record in rep.year_records:
            if record.counts:
                lines[record.kind].count += 1
                lines[record.kind].points += record.points
        books.append(
            Handbook(
                representative=rep,
                year=year,
                summary=YearSummary(year=year, lines=list(lines.values())),
                records=rep.year_records,
                report_backs=rep.all_report_backs,
                proposals=[
                    r
                    for r in rep.year_records
                    if r.kind in (PerformanceKind.PROPOSAL_FILED, PerformanceKind.PROPOSAL_COSIGNED)
                ],
            )
        )
    return books


def handbook_representative(*, user, pk: int) -> Representative:
    return get_object_or_404(access.representatives_visible(user), pk=pk)


def station_handbook_representatives(*, user, station_pk: int) -> tuple[Station, QuerySet[Representative]]:
    station = get_object_or_404(access.stations_visible(user), pk=station_pk)
    reps = access.performance_representatives(user).filter(home_station=station, status=Representative.Status.SERVING)
    return station, reps.order_by("name_initials", "name", "pk")


def quarterly_points(*, user, year: int) -> QuerySet[Representative]:
    """The user's representatives with their points of each quarter of `year` (uncapped sums of
    the records that count), annotated q1..q4: one query per page."""
    annotations = {}
    for quarter in (1, 2, 3, 4):
        first, last = quarter_dates(year, quarter)
        annotations[f"q{quarter}"] = Sum(
            "performance_records__points",
            filter=counted_q("performance_records__")
            & Q(performance_records__date__gte=first, performance_records__date__lte=last),
        )
    return (
        access.representatives_visible(user)
        .filter(status=Representative.Status.SERVING)
        .annotate(**annotations)
        .select_related("home_station")
        .order_by("home_station__path", "name", "pk")
    )


def points_publication(*, user) -> tuple[Division | None, bool]:
    """The county whose publication choice the user sees, and that choice."""
    county_id = next(
        (g.division.county_id() for g in access.grants(user) if g.division is not None and g.division.county_id()),
        None,
    )
    if county_id is None:
        return None, False
    publication = PointsPublication.objects.filter(county_id=county_id).first()
    return Division.objects.get(pk=county_id), bool(publication and publication.quarterly_points_public)


def quarter_total(rep) -> Decimal:
    return sum((getattr(rep, f"q{q}") or Decimal("0") for q in (1, 2, 3, 4)), Decimal("0"))


def current_year() -> int:
    return datetime.date.today().year


def handbook_record_counts(*, representatives: QuerySet[Representative], year: int) -> list[tuple[int, int]]:
    """(pk, records in `year`) of each representative, in the queryset's order: one query (how a
    station's handbooks are split into PDFs of bounded size)."""
    return list(
        representatives.annotate(
            year_record_count=Count("performance_records", filter=Q(performance_records__date__year=year))
        ).values_list("pk", "year_record_count")
    )
