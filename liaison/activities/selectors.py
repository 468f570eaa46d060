"""Reads on activities and funds, always starting from liaison.access scopes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison import access
from liaison.history import history_rows
from liaison.models import Activity, ActivityInvitation, Division, Expense, FundPurpose, Station, StationBudget

ZERO = Decimal("0.00")


# The check-in window of an activity (activity_check_in, the "to check in" lists).
CHECK_IN_OPENS = datetime.timedelta(hours=2)  # before the start
CHECK_IN_CLOSES = datetime.timedelta(hours=12)  # after the start (or the end, if later)


def activity_list(*, user, kind: str = "", year: int | None = None, station_id: int | None = None, when: str = ""):
    """The user's activities with invitee and attendance counts and spending. One query (+ count)."""
    qs = access.activities_visible(user).select_related("station")
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_at__year=year)
    if station_id:
        qs = qs.filter(station_id=station_id)
    now = timezone.now()
    if when == "coming":
        qs = qs.filter(starts_at__gte=now).exclude(status=Activity.Status.CANCELLED)
    elif when == "unrecorded":
        qs = activities_without_attendance(qs, now=now)
    spent = (
        Expense.objects.filter(activity=OuterRef("pk")).values("activity").annotate(total=Sum("amount")).values("total")
    )
    qs = qs.annotate(
        invited=Count("invitations", distinct=True),
        attended=Count("invitations", filter=Q(invitations__attended_at__isnull=False), distinct=True),
        spent=Subquery(spent),
    )
    if when == "coming":
        return qs.order_by("starts_at", "pk")
    return qs.order_by("-starts_at", "-pk")


def activities_without_attendance(qs, *, now=None):
    """Activities that took place (in the last 60 days) with invitees and no attendance recorded."""
    now = now or timezone.now()
    invited = ActivityInvitation.objects.filter(activity=OuterRef("pk"))
    return (
        qs.filter(starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=60))
        .exclude(status=Activity.Status.CANCELLED)
        .filter(Exists(invited))
        .exclude(Exists(invited.filter(attended_at__isnull=False)))
    )


def activity_get(*, user, pk: int) -> Activity:
    return get_object_or_404(access.activities_visible(user).select_related("station__division", "created_by"), pk=pk)


def activity_invitations(*, activity: Activity):
    return (
        ActivityInvitation.objects.filter(activity=activity)
        .select_related("representative__home_station", "attendance_recorded_by")
        .order_by("representative__name_initials", "representative__name", "pk")
    )


def activity_expenses(*, activity: Activity):
    return Expense.objects.filter(activity=activity).select_related("recorded_by").order_by("spent_on", "pk")


def activity_history(*, activity: Activity, limit: int = 30) -> list[dict]:
    return history_rows(activity.history, limit=limit)


def expense_history(*, activity: Activity, limit: int = 30) -> list[dict]:
    return history_rows(
        Expense.history.filter(activity_id=activity.pk),
        limit=limit,
        describe=lambda record: f"{record.amount} 元 · {record.get_purpose_display()}",
    )


def my_invitations(*, user, show: str = ""):
    """A representative's invitations with the activity and station. `show`: "check_in" (open for
    check-in now and not checked in), "coming" (not begun, not cancelled), or all (newest first).
    The home page counts the same querysets it links to."""
    qs = access.own_invitations(user).select_related("activity__station")
    now = timezone.now()
    if show == "check_in":
        return (
            qs.filter(
                attended_at__isnull=True,
                activity__starts_at__lte=now + CHECK_IN_OPENS,
                activity__starts_at__gte=now - CHECK_IN_CLOSES,
            )
            .exclude(activity__status=Activity.Status.CANCELLED)
            .order_by("activity__starts_at", "pk")
        )
    if show == "coming":
        return (
            qs.filter(activity__starts_at__gt=now)
            .exclude(activity__status=Activity.Status.CANCELLED)
            .order_by("activity__starts_at", "pk")
        )
    return qs.order_by("-activity__starts_at", "-pk")


def representative_search(*, user, text: str, exclude_activity: Activity | None = None, limit: int = 10):
    """Search-as-you-type for invitees: name, pinyin initials or phone digits, within access."""
    from representatives.filters import search_q

    text = (text or "").strip()
    if not text:
        return []
    qs = access.invitable_representatives(user).filter(search_q(text)).select_related("home_station")
    if exclude_activity is not None:
        qs = qs.exclude(activity_invitations__activity=exclude_activity)
    return list(qs.order_by("name_initials", "name", "pk")[:limit])


# --- Funds ----------------------------------------------------------------------------------


@dataclass
class FundsRow:
    """Budget and spending of one station (or, rolled up, one township) in a year."""

    name: str
    station: Station | None = None
    budget: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    spent: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    planned: Decimal = ZERO

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget.values(), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum(self.spent.values(), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.budget_total - self.spent_total

    @property
    def used_percent(self) -> int | None:
        if not self.budget_total:
            return None
        return int(self.spent_total * 100 / self.budget_total)

    @property
    def over_budget(self) -> bool:
        return self.spent_total > self.budget_total

    def by_purpose(self) -> list[dict]:
        purposes = [p for p in FundPurpose.values if p in self.budget or p in self.spent]
        return [
            {
                "purpose": FundPurpose(p).label,
                "budget": self.budget[p],
                "spent": self.spent[p],
                "remaining": self.budget[p] - self.spent[p],
                "over": self.spent[p] > self.budget[p],
            }
            for p in purposes
        ]

    def add(self, other: FundsRow) -> None:
        for purpose, amount in other.budget.items():
            self.budget[purpose] += amount
        for purpose, amount in other.spent.items():
            self.spent[purpose] += amount
        self.planned += other.planned


def budget_report(*, user, year: int) -> dict:
    """Spending against budget per station and purpose for a year; for township and county staff
    also summed per township and for all. Four queries whatever the number of stations."""
    budgets = (
        access.budgets_visible(user)
        .filter(year=year)
        .values("station", "purpose")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    activities = access.activities_visible(user).filter(starts_at__year=year).exclude(status=Activity.Status.CANCELLED)
    spent = (
        access.expenses_visible(user)
        .filter(activity__in=activities.values("pk"))
        .values("activity__station", "purpose")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    planned = activities.values("station").annotate(total=Sum("planned_amount")).order_by()
    rows: dict[int, FundsRow] = {}

    def row(station_id):
        return rows.setdefault(station_id, FundsRow(name=""))

    for item in budgets:
        row(item["station"]).budget[item["purpose"]] += item["total"]
    for item in spent:
        row(item["activity__station"]).spent[item["purpose"]] += item["total"]
    for item in planned:
        row(item["station"]).planned += item["total"] or ZERO
    # The division's parent loaded: a village finds its township without a query of its own.
    stations = (
        access.stations_visible(user).filter(pk__in=list(rows)).select_related("division__parent").order_by("path")
    )
    station_rows = []
    for station in stations:
        funds = rows[station.pk]
        funds.name, funds.station = station.name, station
        station_rows.append(funds)
    townships: list[FundsRow] = []
    total = FundsRow(name="")
    if access.sees_funds_rolled_up(user):
        township_ids = {s.station.division.township_id() for s in station_rows}
        names = dict(Division.objects.filter(pk__in=[t for t in township_ids if t]).values_list("pk", "name"))
        by_township: dict = {}
        for funds in station_rows:
            township_id = funds.station.division.township_id()
            key = township_id or 0
            if key not in by_township:
                by_township[key] = FundsRow(name=names.get(township_id, "") or funds.station.division.name)
            by_township[key].add(funds)
            total.add(funds)
        townships = sorted(by_township.values(), key=lambda r: r.name)
    return {"stations": station_rows, "townships": townships, "total": total if townships else None}


def budget_history(*, user, year: int, limit: int = 30) -> list[dict]:
    ids = access.budgets_visible(user).filter(year=year).values("pk")
    return history_rows(
        StationBudget.history.filter(id__in=ids).select_related("station"),
        limit=limit,
        describe=lambda record: f"{record.station.name} · {record.get_purpose_display()}",
    )
