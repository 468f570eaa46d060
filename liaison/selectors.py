"""Read queries of the station network, always scoped by what the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.access import AnyUser
from liaison.history import history_rows
from liaison.models import Notification, Station, User


def station_tree(
    *,
    user: AnyUser,
    include_inactive: bool = False,
    township_id: int | None = None,
    kind: str = "",
    in_county_town: bool | None = None,
    without_officer: bool = False,
    name: str = "",
) -> QuerySet[Station]:
    """The user's stations in tree order (by path), with what the tree page shows. One query.

    `kind`, `in_county_town` and `without_officer` narrow it to what a dashboard number counts;
    `name` finds a station by part of its name at any depth.
    """
    qs = access.stations_visible(user).select_related("division", "officer", "parent")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind in Station.Kind.values:
        qs = qs.filter(kind=kind)
    if in_county_town is not None:
        qs = qs.filter(in_county_town=in_county_town)
    if without_officer:
        qs = qs.filter(officer__isnull=True)
    if township_id:
        qs = qs.filter(division__path__contains=f"/{township_id}/")
    if name:
        qs = qs.filter(name__icontains=name)
    return qs.annotate(
        active_children=Count("children", filter=Q(children__is_active=True)),
    ).order_by("path")


def station_tree_level(
    *, user: AnyUser, parent: Station | None = None, include_inactive: bool = False
) -> QuerySet[Station]:
    """One level of the user's station tree, for the lazy tree page. One query.

    Without `parent`: the top of what the user sees (stations whose parent they do not see: the
    county general stations for county staff, their township's station for township staff). With
    `parent`: its stations and points. Each with the number of stations under it to open.
    """
    visible = access.stations_visible(user)
    qs = visible.select_related("division", "officer")
    if not include_inactive:
        qs = qs.filter(is_active=True)
        visible = visible.filter(is_active=True)
    top = Q(parent__isnull=True) | ~Q(parent__in=visible)
    qs = qs.filter(top if parent is None else Q(parent=parent))
    return _with_child_counts(qs, include_inactive=include_inactive).order_by("path")


def station_tree_node(*, user: AnyUser, pk: int, include_inactive: bool = False) -> Station:
    """One station the user may see, with the numbers its tree row shows; anything else is a 404."""
    qs = access.stations_visible(user).select_related("division", "officer")
    return get_object_or_404(_with_child_counts(qs, include_inactive=include_inactive), pk=pk)


def _with_child_counts(qs: QuerySet[Station], *, include_inactive: bool) -> QuerySet[Station]:
    children = Q() if include_inactive else Q(children__is_active=True)
    return qs.annotate(
        active_children=Count("children", filter=Q(children__is_active=True)),
        children_shown=Count("children", filter=children),
    )


def station_total(*, user: AnyUser, include_inactive: bool = False) -> int:
    """How many stations the user sees (active ones unless `include_inactive`). One query."""
    qs = access.stations_visible(user)
    return (qs if include_inactive else qs.filter(is_active=True)).count()


def station_path_names(stations: Iterable[Station]) -> dict[int, list[str]]:
    """The names of the stations above each station (top first), for a flat list. One query."""
    stations = list(stations)
    above = {
        station.pk: [int(part) for part in station.path.strip("/").split("/")[:-1] if part] for station in stations
    }
    ids = {pk for ids in above.values() for pk in ids}
    names = dict(Station.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return {pk: [names[i] for i in ids if i in names] for pk, ids in above.items()}


def station_get(*, user: AnyUser, pk: int, for_change: bool = False) -> Station:
    """One station the user may see (or change); anything else is a 404."""
    qs = access.stations_changeable(user) if for_change else access.stations_visible(user)
    return get_object_or_404(qs.select_related("division", "officer", "parent"), pk=pk)


def station_children(*, station: Station) -> QuerySet[Station]:
    return station.children.select_related("division", "officer").order_by("-is_active", "path")


def station_history(*, station: Station, limit: int = 50) -> list[dict]:
    """Who changed what and when, newest first (see liaison.history)."""
    return history_rows(station.history, limit=limit)


def station_counts(*, user: AnyUser) -> dict[str, int]:
    """Station numbers by kind in the user's scope, for the dashboard. One query."""
    qs = access.stations_visible(user).filter(is_active=True)
    counts = qs.aggregate(
        total=Count("pk"),
        general=Count("pk", filter=Q(kind=Station.Kind.GENERAL)),
        stations=Count("pk", filter=Q(kind=Station.Kind.STATION, in_county_town=False)),
        county_town=Count("pk", filter=Q(kind=Station.Kind.STATION, in_county_town=True)),
        points=Count("pk", filter=Q(kind=Station.Kind.POINT)),
        enterprise=Count("pk", filter=Q(kind=Station.Kind.ENTERPRISE)),
        without_officer=Count("pk", filter=Q(officer__isnull=True)),
    )
    return counts


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def station_grant_history(*, user: AnyUser, station: Station, limit: int = 50) -> list[dict] | None:
    """Officer grants given and taken away on this station, newest first (see liaison.history);
    None for those who may not see it."""
    from liaison.models import RoleGrant

    if not access.may_see_grant_history(user):
        return None
    records = RoleGrant.history.filter(station_id=station.pk)
    users = {
        user.pk: str(user)
        for user in get_user_model().objects.filter(pk__in=records.values("user_id")).only("username", "full_name")
    }
    roles = dict(RoleGrant.Role.choices)
    return history_rows(
        records,
        limit=limit,
        describe=lambda record: f"{users.get(record.user_id, '—')} · {roles.get(record.role, record.role)}",
    )


def station_officers(stations: Iterable[int]) -> dict[int, list]:
    """The active officers of each station (by id): the officer named on the station and every
    station-officer grant on it, each user once per station, in id order.

    The one answer to "whom do we tell about this station": refresh reminders and correction
    requests both go to these people.
    """
    from liaison.models import RoleGrant

    ids = list(stations)
    granted = RoleGrant.objects.filter(
        role=RoleGrant.Role.STATION_OFFICER, station_id__in=ids, user__is_active=True
    ).values_list("user_id", "station_id")
    named = Station.objects.filter(pk__in=ids, officer__isnull=False, officer__is_active=True).values_list(
        "officer_id", "pk"
    )
    pairs = sorted(set(granted) | set(named))
    users = get_user_model().objects.in_bulk({user_id for user_id, _station in pairs})
    officers: dict[int, list] = defaultdict(list)
    for user_id, station_id in pairs:
        officers[station_id].append(users[user_id])
    return dict(officers)


def county_staff() -> QuerySet:
    """Active users with a county-staff grant (they get the county's digests), in id order."""
    from liaison.models import RoleGrant

    return (
        get_user_model()
        .objects.filter(role_grants__role=RoleGrant.Role.COUNTY_STAFF, is_active=True)
        .distinct()
        .order_by("pk")
    )


# --- Search-as-you-type choices (liaison.widgets, liaison.search_views) -----------------------

SEARCH_LIMIT = 20


def search_rows(rows: QuerySet, *, q: Q, order: tuple[str, ...], related: tuple[str, ...] = ()) -> tuple[list, bool]:
    """At most SEARCH_LIMIT rows of an access scope matching `q`, and whether there are more."""
    found = list(rows.filter(q).select_related(*related).order_by(*order)[: SEARCH_LIMIT + 1])
    return found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT


def name_q(text: str, field: str = "name") -> Q | None:
    """A name fragment to search for (None: nothing typed, search nothing)."""
    from liaison.text import normalize_text

    text = normalize_text(text)[:50]
    return Q(**{f"{field}__icontains": text}) if text else None
