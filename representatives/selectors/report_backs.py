"""Reads of report-backs: a station's plan for a year and who has not reported this term."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from liaison import access
from liaison.models import Station
from representatives.models import ReportBack, Representative


def not_yet_reported(*, station: Station) -> QuerySet[Representative]:
    """The station's serving representatives with no report-back held in their current term,
    longest on the roster first."""
    held = ReportBack.objects.filter(
        representative=OuterRef("pk"), term=OuterRef("term"), status=ReportBack.Status.HELD
    )
    return (
        Representative.objects.filter(home_station=station, status=Representative.Status.SERVING)
        .exclude(Exists(held))
        .order_by("created_at", "pk")
    )


@dataclass
class StationPlan:
    station: Station
    year: int
    serving: int
    report_backs: list
    not_yet: QuerySet

    @property
    def target(self) -> int:
        return math.ceil(self.serving / 5)

    @property
    def held(self) -> int:
        return sum(1 for rb in self.report_backs if rb.status == ReportBack.Status.HELD)


def station_plan(*, user, station: Station, year: int) -> StationPlan:
    serving = Representative.objects.filter(home_station=station, status=Representative.Status.SERVING).count()
    report_backs = list(
        access.report_backs_visible(user)
        .filter(representative__home_station=station, year=year)
        .select_related("representative")
        .order_by("status", "held_on", "representative__name", "pk")
    )
    return StationPlan(
        station=station,
        year=year,
        serving=serving,
        report_backs=report_backs,
        not_yet=not_yet_reported(station=station).exclude(report_backs__year=year),
    )


def report_backs_of(*, representative: Representative, year: int | None = None) -> QuerySet[ReportBack]:
    qs = ReportBack.objects.filter(representative=representative)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "pk")
