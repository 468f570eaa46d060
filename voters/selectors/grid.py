"""Reads of the 1+M+N grid: the coverage report, a township's grid, one representative's links,
the household visit log. A fixed number of queries per page, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.models import Division
from representatives.models import Representative
from voters.models import GridLink, HouseholdLink, HouseholdVisit

SEARCH_LIMIT = 10


def grid_range(name: str) -> tuple[int, int]:
    """(min, max) of "township_per_county" or "households_per_township"."""
    low, high = settings.GRID_RANGES[name]
    return int(low), int(high)


@dataclass
class TownshipCoverage:
    township: Division
    households: int = 0
    households_unlinked: int = 0
    township_reps: int = 0
    township_reps_under: list = field(default_factory=list)
    township_reps_over: list = field(default_factory=list)
    township_reps_unlinked: int = 0  # not linked to any county representative
    county_reps: int = 0
    county_reps_under: list = field(default_factory=list)
    county_reps_over: list = field(default_factory=list)

    @property
    def households_linked(self) -> int:
        return self.households - self.households_unlinked

    @property
    def percent_linked(self) -> int:
        return round(100 * self.households_linked / self.households) if self.households else 0


def _serving(user, level):
    return access.representatives_visible(user).filter(status=Representative.Status.SERVING, level=level)


def grid_coverage(*, user) -> list[TownshipCoverage]:
    """Per township in the user's scope: households with no representative, representatives under
    or over the ranges of settings.GRID_RANGES. Four queries in all."""
    townships = list(access.grid_townships(user).order_by("path"))
    rows = {t.pk: TownshipCoverage(township=t) for t in townships}
    if not rows:
        return []
    households = (
        access.households_visible(user)
        .filter(township__in=list(rows))
        .values("township")
        .annotate(total=Count("pk"), unlinked=Count("pk", filter=Q(grid_link__isnull=True)))
    )
    for item in households:
        row = rows[item["township"]]
        row.households, row.households_unlinked = item["total"], item["unlinked"]
    low, high = grid_range("households_per_township")
    town_reps = (
        _serving(user, Representative.Level.TOWNSHIP)
        .filter(district_township__in=list(rows))
        .annotate(n=Count("grid_household_links", distinct=True), county_links=Count("grid_county_link"))
        .values("pk", "name", "district_township", "n", "county_links")
        .order_by("name_initials", "pk")
    )
    for rep in town_reps:
        row = rows[rep["district_township"]]
        row.township_reps += 1
        if not rep["county_links"]:
            row.township_reps_unlinked += 1
        if rep["n"] < low:
            row.township_reps_under.append(rep)
        elif rep["n"] > high:
            row.township_reps_over.append(rep)
    low, high = grid_range("township_per_county")
    county_reps = (
        _serving(user, Representative.Level.COUNTY)
        .filter(district_township__in=list(rows))
        .annotate(n=Count("grid_township_links"))
        .values("pk", "name", "district_township", "n")
        .order_by("name_initials", "pk")
    )
    for rep in county_reps:
        row = rows[rep["district_township"]]
        row.county_reps += 1
        if rep["n"] < low:
            row.county_reps_under.append(rep)
        elif rep["n"] > high:
            row.county_reps_over.append(rep)
    return [rows[t.pk] for t in townships]


def grid_township_get(*, user, pk: int) -> Division:
    return get_object_or_404(access.grid_townships(user), pk=pk)


def grid_township_tree(*, user, township: Division) -> dict:
    """The township's grid: each county representative with the township representatives they
    link (and how many households each has), and the township representatives linked to no one."""
    town_reps = list(
        _serving(user, Representative.Level.TOWNSHIP)
        .filter(district_township=township)
        .annotate(households=Count("grid_household_links"))
        .select_related("grid_county_link")
        .order_by("name_initials", "pk")
    )
    county_reps = list(
        _serving(user, Representative.Level.COUNTY).filter(district_township=township).order_by("name_initials", "pk")
    )
    by_county: dict[int, list] = {rep.pk: [] for rep in county_reps}
    unlinked = []
    h_low, h_high = grid_range("households_per_township")
    for rep in town_reps:
        rep.out_of_range = not h_low <= rep.households <= h_high
        link = getattr(rep, "grid_county_link", None)
        if link is not None and link.county_representative_id in by_county:
            by_county[link.county_representative_id].append(rep)
        else:
            unlinked.append(rep)
    t_low, t_high = grid_range("township_per_county")
    for rep in county_reps:
        rep.linked = by_county[rep.pk]
        rep.out_of_range = not t_low <= len(rep.linked) <= t_high
    return {"county_reps": county_reps, "unlinked_reps": unlinked}


def grid_representative_get(*, user, pk: int) -> Representative:
    """A serving representative the user keeps, for their grid page; anything else is a 404."""
    return get_object_or_404(
        access.grid_representatives(user).select_related("district_township", "home_station"), pk=pk
    )


def grid_links_of(*, user, county_representative: Representative) -> QuerySet[GridLink]:
    return (
        access.grid_links_visible(user)
        .filter(county_representative=county_representative)
        .select_related("township_representative")
        .annotate(households=Count("township_representative__grid_household_links"))
        .order_by("township_representative__name_initials", "pk")
    )


def household_links_of(*, user, representative: Representative) -> QuerySet[HouseholdLink]:
    return (
        access.household_links_visible(user)
        .filter(representative=representative)
        .select_related("household__division")
        .order_by("household__division__path", "household__address", "pk")
    )


def county_link_of(*, representative: Representative) -> GridLink | None:
    return (
        GridLink.objects.filter(township_representative=representative).select_related("county_representative").first()
    )


def household_visit_list(*, user, representative_id: int | None = None, household_id: int | None = None):
    qs = access.household_visits_visible(user).select_related("household__division", "representative", "created_by")
    if representative_id:
        qs = qs.filter(representative_id=representative_id)
    if household_id:
        qs = qs.filter(household_id=household_id)
    return qs.order_by("-visited_on", "-pk")


def household_visits_for_performance(*, representative_ids, start, end) -> QuerySet[HouseholdVisit]:
    """The seam for the performance records: household visits of these representatives between
    two dates (inclusive), one row each, to be counted as duties."""
    return HouseholdVisit.objects.filter(
        representative_id__in=representative_ids, visited_on__gte=start, visited_on__lte=end
    ).order_by("visited_on", "pk")


def own_grid(*, user) -> dict:
    """The signed-in representative's part of the grid: their county representative, the
    households linked to them (with their latest visits), the township representatives they link."""
    rep = Representative.objects.filter(user=user).select_related("district_township").first()
    if rep is None or not access.own_grid_households(user).exists() and not rep.grid_township_links.exists():
        return {"rep": rep, "households": [], "township_reps": [], "county_link": None, "visits": []}
    households = list(
        access.own_grid_households(user).select_related("division").order_by("division__path", "address", "pk")
    )
    return {
        "rep": rep,
        "households": households,
        "township_reps": list(
            GridLink.objects.filter(county_representative=rep)
            .select_related("township_representative")
            .order_by("township_representative__name_initials", "pk")
        ),
        "county_link": county_link_of(representative=rep),
        "visits": list(
            HouseholdVisit.objects.filter(representative=rep)
            .select_related("household")
            .order_by("-visited_on", "-pk")[:20]
        ),
    }
