"""Read queries of the mobile register, joint meetings, refresh campaigns and the mobility report.

Everything starts from the scoped querysets of liaison/access.py: another station's entry is a 404.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Max,
    Q,
    QuerySet,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from liaison.models import Division, Station
from liaison.privacy import shown_contact, shown_phone
from representatives.models import (
    JointMeeting,
    MobileRegisterEntry,
    RefreshConfirmation,
)

# --- The register ----------------------------------------------------------------------------


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
        qs = qs.filter(access.register_entries_on_side(user, side))
    if verified is True:
        qs = qs.filter(verified_at__isnull=False)
    elif verified is False:
        qs = qs.filter(verified_at__isnull=True)
    if search:
        qs = qs.filter(Q(representative__name__contains=search) | Q(representative__name_initials__startswith=search))
    return qs.annotate(
        user_is_origin=access.in_scope_expression(user, "origin_station__"),
        user_is_host=access.in_scope_expression(user, "host_station__"),
    ).order_by("origin_station__path", "representative__name", "pk")


def register_station_choices(*, user) -> tuple[QuerySet[Station], QuerySet[Station]]:
    """Origin and host stations that appear on the user's register, for the filters."""
    entries = access.register_entries_visible(user).filter(is_active=True)
    origins = Station.objects.filter(pk__in=entries.values("origin_station")).order_by("path")
    hosts = Station.objects.filter(pk__in=entries.values("host_station")).order_by("path")
    return origins, hosts


def register_communities(*, entry: MobileRegisterEntry) -> QuerySet[Division]:
    """The villages and communities an entry may be checked in to: those of its host's area."""
    host_division = entry.host_station.division
    communities = Division.objects.filter(kind__in=Division.GRASSROOTS_LEVEL)
    if host_division.kind != Division.Kind.COUNTY:
        communities = communities.filter(path__startswith=host_division.path)
    return communities.order_by("path")


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


def joint_meeting_pairs(*, user) -> QuerySet:
    """(origin, host) pairs on the user's register, with how many entries each has. One query;
    page it, then `joint_meeting_pairs_held` tells whether each pair of the page met (counting
    the pages does not run the meetings' subqueries for every pair of a province)."""
    return (
        access.register_entries_visible(user)
        .filter(is_active=True)
        .values("origin_station", "origin_station__name", "host_station", "host_station__name")
        .annotate(entries=Count("pk"))
        .order_by("origin_station__path", "host_station__path")
    )


def joint_meeting_pairs_held(pairs: list[dict], *, year: int) -> list[dict]:
    """The pairs (rows of `joint_meeting_pairs`) with `held_this_year` and `last_held_on`. One query."""
    if not pairs:
        return pairs
    wanted = Q()
    for pair in pairs:
        wanted |= Q(origin_station_id=pair["origin_station"], host_station_id=pair["host_station"])
    held = {
        (row["origin_station"], row["host_station"]): row
        for row in JointMeeting.objects.filter(wanted)
        .values("origin_station", "host_station")
        .annotate(last_held_on=Max("held_on"), this_year=Count("pk", filter=Q(held_on__year=year)))
        .order_by()
    }
    for pair in pairs:
        row = held.get((pair["origin_station"], pair["host_station"]))
        pair["held_this_year"] = bool(row and row["this_year"])
        pair["last_held_on"] = row["last_held_on"] if row else None
    return pairs


def joint_meeting_list(*, user, origin_station: int | None = None, host_station: int | None = None):
    """Meetings between stations the user sees at least one of."""
    if not access.has_capability(user, access.Capability.ROSTER):
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


def register_entry_contacts(user, entry: MobileRegisterEntry) -> tuple[str, str]:
    """(mobile phone from the roster, other contact) as this user may read them.

    The phone belongs to the representative, kept by their home station (the entry's origin):
    access.sees_full_phones decides, on every page and in every export of the register.
    """
    full = access.sees_full_phones(user, entry.origin_station, owner_id=entry.representative.user_id)
    return shown_phone(entry.representative.phone, full=full), shown_contact(entry.contact, full=full)
