"""Who may see and change what: the one place that decides.

A role is held on a place (see `RoleGrant`): county staff on the county, township staff on a
township-level division, a station officer on a station (and so on the points under it).
Views and selectors never decide scope themselves; they call the functions here, which answer
with querysets so that a list page stays one query however many grants a user holds.

Two kinds of answer:
- *capabilities* ("may this user use the station console at all?") -> 403 when missing;
- *scopes* ("which stations may this user see / change?") -> another station's object is a 404,
  so that nobody learns what exists outside their scope.
"""

from __future__ import annotations

from enum import StrEnum
from functools import reduce
from operator import or_

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from liaison.models import Division, RoleGrant, Station

Role = RoleGrant.Role


class Capability(StrEnum):
    """What a user may use at all; a page that needs one the user lacks answers 403."""

    # The station console: the station tree, station pages, creating and editing stations.
    STATION_CONSOLE = "station_console"
    # The representatives' roster and everything kept on it (groups, mobile register).
    ROSTER = "roster"
    # County-wide reports and opening a refresh campaign by hand.
    COUNTY_REPORTS = "county_reports"
    # Scheduling reception days, inviting duty representatives, cancelling, logging any day.
    RECEPTION = "reception"


# Capability -> the roles that have it. Superusers have every capability.
CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.STATION_CONSOLE: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.ROSTER: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.COUNTY_REPORTS: frozenset({Role.COUNTY_STAFF}),
    Capability.RECEPTION: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
}


def grants(user) -> list[RoleGrant]:
    """The user's role grants, loaded once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_liaison_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user=user).select_related("division", "station__division", "handling_unit")
        )
        user._liaison_grants = cached
    return cached


def roles(user) -> set[str]:
    return {grant.role for grant in grants(user)}


def is_county_wide(user) -> bool:
    """Superusers and county staff see the whole county."""
    return bool(user.is_authenticated and (user.is_superuser or Role.COUNTY_STAFF in roles(user)))


def has_capability(user, capability: Capability) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(roles(user) & CAPABILITIES[capability])


def require_capability(user, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _prefix_q(field: str, prefixes: list[str]) -> Q:
    """Q(field startswith any of prefixes); matches nothing for an empty list."""
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": prefix}) for prefix in prefixes))


def _division_prefixes(user) -> list[str]:
    """Division subtrees the user works in through township-staff grants."""
    return [g.division.path for g in grants(user) if g.role == Role.TOWNSHIP_STAFF]


def _station_prefixes(user) -> list[str]:
    """Station subtrees the user works in through station-officer grants."""
    return [g.station.path for g in grants(user) if g.role == Role.STATION_OFFICER]


def station_scope_q(user, prefix: str = "") -> Q:
    """Q over a Station (or over a model reaching Station through `prefix`) for this user's scope."""
    if is_county_wide(user):
        return Q()
    return _prefix_q(f"{prefix}division__path", _division_prefixes(user)) | _prefix_q(
        f"{prefix}path", _station_prefixes(user)
    )


def stations_visible(user) -> QuerySet[Station]:
    """Stations the user may open in the console; another station is a 404."""
    if not has_capability(user, "station_console"):
        return Station.objects.none()
    return Station.objects.filter(station_scope_q(user))


def stations_changeable(user) -> QuerySet[Station]:
    """Stations the user may edit, deactivate, or place a new station under.

    Every role that sees a station in the console also runs it: county staff the county,
    township staff their township, an officer their station and its points.
    """
    return stations_visible(user)


def divisions_visible(user) -> QuerySet[Division]:
    """Divisions the user may choose for a station or a representative."""
    if is_county_wide(user):
        return Division.objects.all()
    prefixes = _division_prefixes(user) + [
        g.station.division.path for g in grants(user) if g.role == Role.STATION_OFFICER
    ]
    return Division.objects.filter(_prefix_q("path", prefixes))


def officer_candidates(user, *, current: int | None = None):
    """Users who may be named a station's officer: officers of stations in the user's scope."""
    from django.contrib.auth import get_user_model

    stations = stations_visible(user)
    in_scope = Q(role_grants__role=Role.STATION_OFFICER, role_grants__station__in=stations)
    if current:
        in_scope |= Q(pk=current)
    return get_user_model().objects.filter(in_scope, is_active=True).distinct().order_by("username")


# --- Representatives ------------------------------------------------------------------------


def representatives_visible(user):
    """Representatives the user may open: staff see those of their stations; a representative
    sees only their own record."""
    from representatives.models import Representative

    if is_county_wide(user):
        return Representative.objects.all()
    if has_capability(user, "roster"):
        # An officer who is also a representative still sees their own record.
        # (Not for county-wide users: Q() | Q(user=...) would narrow "everything" to one record.)
        return Representative.objects.filter(station_scope_q(user, prefix="home_station__") | Q(user=user))
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return Representative.objects.filter(user=user)
    return Representative.objects.none()


def representatives_changeable(user):
    """Representatives the user may edit, end, import over: officers their station's, township
    staff their township's, county staff all. A representative proposes corrections instead."""
    from representatives.models import Representative

    if not has_capability(user, "roster"):
        return Representative.objects.none()
    return Representative.objects.filter(station_scope_q(user, prefix="home_station__"))


def accounts_linkable(user):
    """Sign-in accounts the user may link to a representative they keep.

    Only an account that holds no role but "representative" (a handling unit's or an officer's
    account would otherwise see the representative's phone), that is not staff, and that is either
    linked to no one yet (newly created for the representative) or linked to a representative in
    the user's own scope. Never an account elsewhere: whoever asks learns nothing about it.
    """
    from django.contrib.auth import get_user_model

    if not has_capability(user, "roster"):
        return get_user_model().objects.none()
    other_roles = [role for role in Role.values if role != Role.REPRESENTATIVE]
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(role_grants__role__in=other_roles)
        .filter(Q(representative__isnull=True) | Q(representative__in=representatives_changeable(user)))
    )


def register_entries_visible(user):
    """Mobile register entries: both the origin and the host station see them (dual management)."""
    from representatives.models import MobileRegisterEntry

    if not has_capability(user, "roster"):
        return MobileRegisterEntry.objects.none()
    return MobileRegisterEntry.objects.filter(
        station_scope_q(user, prefix="origin_station__") | station_scope_q(user, prefix="host_station__")
    )


def register_entries_changeable(user):
    """Origin and host both manage an entry (双向共管)."""
    return register_entries_visible(user)


def corrections_visible(user):
    """Correction requests: staff see those of the representatives they may change (and apply
    them); a representative sees their own."""
    from representatives.models import RecordCorrection

    if has_capability(user, "roster"):
        return RecordCorrection.objects.filter(representative__in=representatives_changeable(user))
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return RecordCorrection.objects.filter(representative__user=user)
    return RecordCorrection.objects.none()


def corrections_resolvable(user):
    """Correction requests the user may apply or reject: those of representatives they may change."""
    from representatives.models import RecordCorrection

    return RecordCorrection.objects.filter(representative__in=representatives_changeable(user))


def groups_visible(user):
    from representatives.models import RepresentativeGroup

    if not has_capability(user, "roster"):
        return RepresentativeGroup.objects.none()
    return RepresentativeGroup.objects.filter(station_scope_q(user, prefix="station__"))


def voters_visible(user):
    """Voters' contact records: those kept by the stations in the user's scope."""
    from voters.models import Voter

    if not has_capability(user, Capability.ROSTER):
        return Voter.objects.none()
    return Voter.objects.filter(station_scope_q(user, prefix="station__"))


def households_visible(user):
    """Households in the area of the stations in the user's scope."""
    from voters.models import Household

    if not has_capability(user, Capability.ROSTER):
        return Household.objects.none()
    return Household.objects.filter(station_scope_q(user, prefix="station__"))


def sees_full_phones(user, station: Station, *, owner_id: int | None = None) -> bool:
    """May the user read the full phone numbers of the people `station` keeps?

    The people a station keeps are its representatives (and their mobile-register entries, whose
    origin is the representative's home station). Their numbers are for those who call them: the
    officers of that station (or of a station above it) and the staff of its township. Everyone
    else sees them masked (138****5678), on every page and in every export: county staff, the
    host station of a mobile representative, superusers without such a role. A person always sees
    their own number (`owner_id`: the user account of the person whose number it is).

    Decided from the grants cached on the user: pass a station with its division loaded, and a
    list of rows costs no query.
    """
    if not user.is_authenticated:
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    for grant in grants(user):
        if grant.role == Role.STATION_OFFICER and station.path.startswith(grant.station.path):
            return True
        if grant.role == Role.TOWNSHIP_STAFF and station.division.path.startswith(grant.division.path):
            return True
    return False


def may_see_grant_history(user) -> bool:
    """Who was given or lost a role, and by whom: county staff (they manage accounts and roles)."""
    return is_county_wide(user)


def may_create_top_level_station(user) -> bool:
    """Only the county may open a station with no parent (the general station)."""
    return is_county_wide(user)


class CapabilityRequiredMixin(LoginRequiredMixin):
    """A view that needs a capability: anonymous users go to login, others without it get 403."""

    capability: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_capability(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)


# --- Reception days -------------------------------------------------------------------------


def uses_reception(user) -> bool:
    """Reception pages are for staff who run them and for representatives who hold them."""
    return has_capability(user, Capability.RECEPTION) or (user.is_authenticated and Role.REPRESENTATIVE in roles(user))


def _duty_days_q(user, *, exclude_declined: bool = False) -> Q:
    """Q over ReceptionDay: the days the user is on duty at (as a representative)."""
    from voters.models import DutyAssignment

    if not user.is_authenticated:
        return Q(pk__in=[])
    duties = DutyAssignment.objects.filter(representative__user=user)
    if exclude_declined:
        duties = duties.exclude(status=DutyAssignment.Status.DECLINED)
    return Q(pk__in=duties.values("day"))


def reception_days_visible(user):
    """Staff see the reception days of their stations; a representative sees the days they are on
    duty at (another representative's day is a 404)."""
    from voters.models import ReceptionDay

    if is_county_wide(user):
        return ReceptionDay.objects.all()
    if has_capability(user, Capability.RECEPTION):
        # An officer who is also a representative still sees their own duties.
        return ReceptionDay.objects.filter(station_scope_q(user, prefix="station__") | _duty_days_q(user))
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return ReceptionDay.objects.filter(_duty_days_q(user))
    return ReceptionDay.objects.none()


def reception_days_changeable(user):
    """Schedule, invite, cancel: the staff of the day's station (officer, township, county)."""
    from voters.models import ReceptionDay

    if not has_capability(user, Capability.RECEPTION):
        return ReceptionDay.objects.none()
    return ReceptionDay.objects.filter(station_scope_q(user, prefix="station__"))


def reception_days_loggable(user):
    """Record a day as held and log its visits: its station's staff, or a representative on duty
    who did not decline."""
    from voters.models import ReceptionDay

    if is_county_wide(user):
        return ReceptionDay.objects.all()
    duty_q = _duty_days_q(user, exclude_declined=True)
    if has_capability(user, Capability.RECEPTION):
        return ReceptionDay.objects.filter(station_scope_q(user, prefix="station__") | duty_q)
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return ReceptionDay.objects.filter(duty_q)
    return ReceptionDay.objects.none()


def reception_stations(user):
    """Stations where the user may schedule reception days."""
    if not has_capability(user, Capability.RECEPTION):
        return Station.objects.none()
    return Station.objects.filter(station_scope_q(user), is_active=True)


def visits_visible(user):
    """Visits of the reception days the user may see."""
    from voters.models import Visit

    return Visit.objects.filter(day__in=reception_days_visible(user).values("pk"))
