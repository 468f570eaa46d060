"""Reads of the half-yearly refresh: campaigns, their progress, late stations, confirmations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from liaison import access
from representatives.models import (
    RefreshCampaign,
    RefreshConfirmation,
)


def _progress_counts(prefix: str = "") -> dict:
    pending = RefreshConfirmation.Status.PENDING
    confirmed = RefreshConfirmation.Status.CONFIRMED
    corrected = RefreshConfirmation.Status.CORRECTED
    return {
        "total": Count(f"{prefix}pk"),
        "pending": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": pending})),
        "confirmed": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": confirmed})),
        "corrected": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": corrected})),
    }


def percent(part: int, whole: int) -> Decimal:
    """part / whole in percent, two decimals, rounded half up; 0.00 for an empty whole."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _with_percent(row: dict) -> dict:
    row["done"] = row["confirmed"] + row["corrected"]
    row["percent_done"] = percent(row["done"], row["total"])
    return row


def refresh_campaign_list(*, user) -> list[RefreshCampaign]:
    """Campaigns with the progress of the stations the user owns confirmations for. One query."""
    counts = {
        name: Count(
            "confirmations",
            filter=access.station_scope_q(user, prefix="confirmations__station__") & (expr.filter or Q()),
        )
        for name, expr in _progress_counts("confirmations__").items()
    }
    campaigns = list(
        RefreshCampaign.objects.select_related("opened_by", "closed_by").annotate(**counts).order_by("-period_start")
    )
    for campaign in campaigns:
        campaign.progress = _with_percent(
            {name: getattr(campaign, name) for name in ("total", "pending", "confirmed", "corrected")}
        )
    return campaigns


def refresh_campaign_get(*, pk: int) -> RefreshCampaign:
    return get_object_or_404(RefreshCampaign.objects.select_related("opened_by", "closed_by"), pk=pk)


def refresh_open_campaign() -> RefreshCampaign | None:
    return RefreshCampaign.objects.filter(closed_at__isnull=True).order_by("-period_start").first()


def refresh_progress(*, user, campaign: RefreshCampaign, late_only: bool = False, today=None) -> dict:
    """Progress per origin station in the user's scope, and county-wide. Two queries.

    Past the due date of an open campaign, a station with entries still waiting is late
    (`row["late"]`); `late_stations` lists them, and `late_only` keeps only them in `stations`.
    """
    overdue = campaign.is_overdue(today)
    stations = [
        _with_percent(row)
        for row in campaign.confirmations.filter(access.station_in_q(user))
        .values("station", "station__name", "station__path")
        .annotate(**_progress_counts())
        .order_by("station__path")
    ]
    for row in stations:
        row["late"] = overdue and row["pending"] > 0
    late = [row for row in stations if row["late"]]
    county = _with_percent(campaign.confirmations.aggregate(**_progress_counts()))
    return {
        "stations": late if late_only else stations,
        "late_stations": late,
        "county": county,
        "overdue": overdue,
        "days_overdue": campaign.days_overdue(today),
    }


def refresh_late_stations(*, campaign: RefreshCampaign, user=None, today=None) -> list[dict]:
    """Stations (in the user's scope; all without a user) with entries still waiting after the
    due date of an open campaign, with how many: [{"station", "station__name", "pending"}]."""
    if not campaign.is_overdue(today):
        return []
    qs = campaign.confirmations.filter(status=RefreshConfirmation.Status.PENDING)
    if user is not None:
        qs = qs.filter(access.station_in_q(user))
    return list(qs.values("station", "station__name").annotate(pending=Count("pk")).order_by("station__path"))


def refresh_confirmation_list(
    *, user, campaign: RefreshCampaign, station: int | None = None, status: str = ""
) -> QuerySet[RefreshConfirmation]:
    qs = access.refresh_confirmations_visible(user).filter(campaign=campaign)
    if station:
        qs = qs.filter(station_id=station)
    if status in RefreshConfirmation.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related(
        "station__division", "confirmed_by", "entry__representative", "entry__host_station", "entry__community"
    ).order_by("station__path", "entry__representative__name", "pk")


def refresh_confirmation_get(*, user, pk: int) -> RefreshConfirmation:
    qs = access.refresh_confirmations_visible(user).select_related(
        "campaign",
        "station",
        "confirmed_by",
        "entry__representative",
        "entry__origin_station__division",
        "entry__host_station__division",
        "entry__community",
    )
    return get_object_or_404(qs, pk=pk)


def refresh_confirmations_mine(*, user) -> QuerySet[RefreshConfirmation]:
    """A representative's own confirmations, newest campaign first."""
    if not user.is_authenticated:
        return RefreshConfirmation.objects.none()
    return (
        RefreshConfirmation.objects.filter(entry__representative__user=user)
        .select_related(
            "campaign",
            "confirmed_by",
            "entry__representative",
            "entry__origin_station__division",
            "entry__host_station__division",
            "entry__community",
        )
        .order_by("-campaign__period_start", "pk")
    )
