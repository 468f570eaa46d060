"""Read queries of the mobile register, joint meetings, refresh campaigns and the mobility report.

Everything starts from the scoped querysets of liaison/access.py: another station's entry is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison import access
from liaison.history import history_rows
from liaison.models import Station
from representatives.models import (
    JointMeeting,
    MobileRegisterEntry,
    RefreshCampaign,
    RefreshConfirmation,
    Representative,
)

# --- The register ----------------------------------------------------------------------------


def _in_scope(user, prefix: str):
    """A boolean expression: does the user's station scope cover the station behind `prefix`?"""
    if access.is_county_wide(user):
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(access.station_scope_q(user, prefix=prefix), output_field=BooleanField())


def register_entry_list(
    *,
    user,
    origin_station: int | None = None,
    host_station: int | None = None,
    station: int | None = None,
    verified: bool | None = None,
    include_closed: bool = False,
    search: str = "",
    side: str = "",
) -> QuerySet[MobileRegisterEntry]:
    """Entries the user sees as origin or host, with `user_is_origin` / `user_is_host` per row.

    `station` keeps the entries a station holds on either side (the per-station export);
    `side` ("origin" / "host") those the user's own stations hold on that side.
    """
    qs = access.register_entries_visible(user).select_related(
        "representative", "origin_station__division", "host_station", "community", "verified_by"
    )
    if not include_closed:
        qs = qs.filter(is_active=True)
    if origin_station:
        qs = qs.filter(origin_station_id=origin_station)
    if host_station:
        qs = qs.filter(host_station_id=host_station)
    if station:
        qs = qs.filter(Q(origin_station_id=station) | Q(host_station_id=station))
    if side in ("origin", "host"):
        qs = qs.filter(access.station_scope_q(user, prefix=f"{side}_station__"))
    if verified is True:
        qs = qs.filter(verified_at__isnull=False)
    elif verified is False:
        qs = qs.filter(verified_at__isnull=True)
    if search:
        qs = qs.filter(Q(representative__name__contains=search) | Q(representative__name_initials__startswith=search))
    return qs.annotate(
        user_is_origin=_in_scope(user, "origin_station__"),
        user_is_host=_in_scope(user, "host_station__"),
    ).order_by("origin_station__path", "representative__name", "pk")


def register_station_choices(*, user) -> tuple[QuerySet[Station], QuerySet[Station]]:
    """Origin and host stations that appear on the user's register, for the filters."""
    entries = access.register_entries_visible(user).filter(is_active=True)
    origins = Station.objects.filter(pk__in=entries.values("origin_station")).order_by("path")
    hosts = Station.objects.filter(pk__in=entries.values("host_station")).order_by("path")
    return origins, hosts


def register_export_stations(*, user) -> QuerySet[Station]:
    """The user's own stations that hold entries (as origin or host): one export each."""
    entries = access.register_entries_visible(user).filter(is_active=True)
    return (
        Station.objects.filter(access.station_scope_q(user))
        .filter(Q(pk__in=entries.values("origin_station")) | Q(pk__in=entries.values("host_station")))
        .only("pk", "name", "path")
        .order_by("path")
    )


def register_entry_get(*, user, pk: int) -> MobileRegisterEntry:
    qs = access.register_entries_visible(user).select_related(
        "representative",
        "origin_station__division",
        "host_station__division",
        "community",
        "verified_by",
    )
    return get_object_or_404(qs, pk=pk)


def register_entry_history(*, entry: MobileRegisterEntry, full_phones: bool, limit: int = 50) -> list[dict]:
    """Who changed what and when, newest first (see liaison.history)."""
    return history_rows(entry.history, limit=limit, masked=() if full_phones else ("contact",))


def register_entry_confirmations(*, entry: MobileRegisterEntry) -> QuerySet[RefreshConfirmation]:
    return entry.confirmations.select_related("campaign", "confirmed_by").order_by("-campaign__period_start")


# --- Joint meetings --------------------------------------------------------------------------


def joint_meeting_pairs(*, user, year: int) -> QuerySet:
    """(origin, host) pairs on the user's register, with how many entries each has and whether
    this year's joint meeting was held. One query."""
    meetings = JointMeeting.objects.filter(
        origin_station=OuterRef("origin_station"), host_station=OuterRef("host_station")
    )
    return (
        access.register_entries_visible(user)
        .filter(is_active=True)
        .values("origin_station", "origin_station__name", "host_station", "host_station__name")
        .annotate(
            entries=Count("pk"),
            held_this_year=Exists(meetings.filter(held_on__year=year)),
            last_held_on=Subquery(meetings.order_by("-held_on").values("held_on")[:1]),
        )
        .order_by("origin_station__path", "host_station__path")
    )


def joint_meeting_list(*, user, origin_station: int | None = None, host_station: int | None = None):
    """Meetings between stations the user sees at least one of."""
    if not access.has_capability(user, "roster"):
        return JointMeeting.objects.none()
    qs = JointMeeting.objects.filter(
        access.station_scope_q(user, prefix="origin_station__") | access.station_scope_q(user, prefix="host_station__")
    ).select_related("origin_station", "host_station", "recorded_by")
    if origin_station:
        qs = qs.filter(origin_station_id=origin_station)
    if host_station:
        qs = qs.filter(host_station_id=host_station)
    return qs.order_by("-held_on", "-pk")


def joint_meeting_pair_get(*, user, origin_station: int, host_station: int) -> tuple[Station, Station]:
    """The two stations of a pair on the user's register; anything else is a 404."""
    entry = (
        access.register_entries_visible(user)
        .filter(origin_station_id=origin_station, host_station_id=host_station)
        .select_related("origin_station", "host_station")
        .first()
    )
    if entry is None:
        raise Http404
    return entry.origin_station, entry.host_station


# --- Refresh campaigns -----------------------------------------------------------------------


def confirmations_visible(user) -> QuerySet[RefreshConfirmation]:
    """Staff see the confirmations of the entries on their register; a representative their own."""
    if access.has_capability(user, "roster"):
        return RefreshConfirmation.objects.filter(entry__in=access.register_entries_visible(user))
    if user.is_authenticated and access.Role.REPRESENTATIVE in access.roles(user):
        return RefreshConfirmation.objects.filter(entry__representative__user=user)
    return RefreshConfirmation.objects.none()


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
        for row in campaign.confirmations.filter(access.station_scope_q(user, prefix="station__"))
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
        qs = qs.filter(access.station_scope_q(user, prefix="station__"))
    return list(qs.values("station", "station__name").annotate(pending=Count("pk")).order_by("station__path"))


def refresh_confirmation_list(
    *, user, campaign: RefreshCampaign, station: int | None = None, status: str = ""
) -> QuerySet[RefreshConfirmation]:
    qs = confirmations_visible(user).filter(campaign=campaign)
    if station:
        qs = qs.filter(station_id=station)
    if status in RefreshConfirmation.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related(
        "station__division", "confirmed_by", "entry__representative", "entry__host_station", "entry__community"
    ).order_by("station__path", "entry__representative__name", "pk")


def refresh_confirmation_get(*, user, pk: int) -> RefreshConfirmation:
    qs = confirmations_visible(user).select_related(
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


# --- The mobility report ---------------------------------------------------------------------


@dataclass
class MobilityRow:
    level: str
    level_label: str
    township: str
    township_id: int | None
    total: int = 0
    in_county_town: int = 0
    mobile: int = 0

    @property
    def county_town_percent(self) -> Decimal:
        return percent(self.in_county_town, self.total)

    @property
    def mobile_percent(self) -> Decimal:
        return percent(self.mobile, self.total)

    def add(self, other: MobilityRow) -> None:
        self.total += other.total
        self.in_county_town += other.in_county_town
        self.mobile += other.mobile


@dataclass
class MobilitySection:
    level: str
    label: str
    rows: list[MobilityRow] = field(default_factory=list)
    subtotal: MobilityRow | None = None


def mobility_report_terms(*, user) -> list[str]:
    return list(access.representatives_changeable(user).order_by("term").values_list("term", flat=True).distinct())


def mobility_report(*, user, term: str = "") -> dict:
    """Serving representatives per level and per township of their electoral district: how many,
    how many live in the county town (and the share), how many are mobile. One grouped query;
    subtotals and the total add up the grouped rows."""
    qs = access.representatives_changeable(user).filter(status=Representative.Status.SERVING)
    if term:
        qs = qs.filter(term=term)
    grouped = (
        qs.values("level", "district_township", "district_township__name", "district_township__path")
        .annotate(
            total=Count("pk"),
            in_county_town=Count("pk", filter=Q(lives_in_county_town=True)),
            mobile=Count("pk", filter=Q(is_mobile=True)),
        )
        .order_by("level", "district_township__path")
    )
    labels = dict(Representative.Level.choices)
    sections = {
        level: MobilitySection(
            level=level,
            label=labels[level],
            subtotal=MobilityRow(level=level, level_label=labels[level], township="", township_id=None),
        )
        for level in Representative.Level.values
    }
    total = MobilityRow(level="", level_label="", township="", township_id=None)
    for values in grouped:
        row = MobilityRow(
            level=values["level"],
            level_label=labels[values["level"]],
            township=values["district_township__name"],
            township_id=values["district_township"],
            total=values["total"],
            in_county_town=values["in_county_town"],
            mobile=values["mobile"],
        )
        section = sections[row.level]
        section.rows.append(row)
        section.subtotal.add(row)
        total.add(row)
    return {"sections": list(sections.values()), "total": total, "as_of": timezone.localdate()}
