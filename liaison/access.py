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
from typing import TYPE_CHECKING

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from liaison.models import Division, RoleGrant, Station, User

if TYPE_CHECKING:
    from representatives.models import (
        ImportBatch,
        MobileRegisterEntry,
        PerformanceRecord,
        RecordCorrection,
        RefreshConfirmation,
        Representative,
        RepresentativeGroup,
    )
    from voters.models import Household, Voter

Role = RoleGrant.Role
# Who asks: a signed-in user or the anonymous one (request.user).
AnyUser = User | AnonymousUser


class Capability(StrEnum):
    """What a user may use at all; a page that needs one the user lacks answers 403."""

    # The station console: the station tree, station pages, creating and editing stations.
    STATION_CONSOLE = "station_console"
    # The representatives' roster and everything kept on it (groups, mobile register).
    ROSTER = "roster"
    # County-wide reports and opening a refresh campaign by hand.
    COUNTY_REPORTS = "county_reports"
    # Representatives' activities, their attendance and funds (the staff side).
    ACTIVITIES = "activities"
    # Scheduling reception days, inviting duty representatives, cancelling, logging any day.
    RECEPTION = "reception"
    # The staff side of suggestions: registering, accepting, assigning, recording ratings.
    SUGGESTIONS = "suggestions"
    # The county's review of suggestion handling: figures, overdue lists, supervision, extensions.
    SUGGESTION_REVIEW = "suggestion_review"
    # A handling unit's console: its assigned items, answers, extensions, returns.
    UNIT_CONSOLE = "unit_console"
    # The annual evaluation of a congress: compute, nominate, publish (county and township staff).
    EVALUATION = "evaluation"


# Capability -> the roles that have it. Superusers have every capability.
CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.STATION_CONSOLE: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.ROSTER: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.COUNTY_REPORTS: frozenset({Role.COUNTY_STAFF}),
    Capability.ACTIVITIES: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.RECEPTION: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.SUGGESTIONS: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_OFFICER}),
    Capability.SUGGESTION_REVIEW: frozenset({Role.COUNTY_STAFF}),
    Capability.UNIT_CONSOLE: frozenset({Role.HANDLING_UNIT}),
    Capability.EVALUATION: frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF}),
}


def grants(user: AnyUser) -> list[RoleGrant]:
    """The user's role grants, loaded once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_liaison_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user=user).select_related("division", "station__division", "handling_unit")
        )
        setattr(user, "_liaison_grants", cached)  # noqa: B010 (an attribute django-stubs does not know)
    return cached


def roles(user: AnyUser) -> set[str]:
    return {grant.role for grant in grants(user)}


def is_county_wide(user: AnyUser) -> bool:
    """Does the user see the whole instance? Superusers, and county staff whose grant is on the
    top of the division tree (the county of a one-county instance, the province or city of a
    larger one). County staff on one county of many see that county's subtree only (through
    `station_scope_q`), never the others."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        g.role == Role.COUNTY_STAFF and g.division is not None and g.division.parent_id is None for g in grants(user)
    )


def is_county_staff(user: AnyUser) -> bool:
    """Superusers and staff at county level or above (on their own subtree)."""
    return bool(user.is_authenticated and (user.is_superuser or Role.COUNTY_STAFF in roles(user)))


def has_capability(user: AnyUser, capability: Capability) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(roles(user) & CAPABILITIES[capability])


def require_capability(user: AnyUser, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _prefix_q(field: str, prefixes: list[str]) -> Q:
    """Q(field startswith any of prefixes); matches nothing for an empty list."""
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": prefix}) for prefix in prefixes))


def _division_prefixes(user: AnyUser) -> list[str]:
    """Division subtrees the user works in through township- and county-staff grants (a county
    grant below the top of the tree: a county, or a city of a province)."""
    return [g.division.path for g in grants(user) if g.role in (Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF) and g.division]


def _station_prefixes(user: AnyUser) -> list[str]:
    """Station subtrees the user works in through station-officer grants."""
    return [g.station.path for g in grants(user) if g.role == Role.STATION_OFFICER and g.station]


def station_scope_q(user: AnyUser, prefix: str = "") -> Q:
    """Q over a Station (or over a model reaching Station through `prefix`) for this user's scope."""
    if is_county_wide(user):
        return Q()
    return _prefix_q(f"{prefix}division__path", _division_prefixes(user)) | _prefix_q(
        f"{prefix}path", _station_prefixes(user)
    )


def station_in_q(user: AnyUser, *fields: str) -> Q:
    """Q(any of `fields` IN the user's stations) over a model reaching Station through each field
    (default `station`): the same rows as `station_scope_q(user, prefix=f"{field}__")` ORed over
    the fields, asked on the key columns with the ids read first (one indexed query; a county has
    about a hundred stations).

    With the join filtered on the stations' paths, or with a subquery of them ORed with another,
    PostgreSQL could not estimate how few rows match and visited every row of the larger table:
    an officer's refresh progress joined all 21,937 confirmations of a province's campaign to
    their entries and stations for 27 rows (145-520 ms); with the ids it reads those 27 by index
    (2 ms).
    """
    if is_county_wide(user):
        return Q()
    ids = list(Station.objects.filter(station_scope_q(user)).values_list("pk", flat=True))
    return reduce(or_, (Q(**{f"{field}__in": ids}) for field in fields or ("station",)))


def stations_visible(user: AnyUser) -> QuerySet[Station]:
    """Stations the user may open in the console; another station is a 404."""
    if not has_capability(user, Capability.STATION_CONSOLE):
        return Station.objects.none()
    return Station.objects.filter(station_scope_q(user))


def public_stations() -> QuerySet[Station]:
    """Stations with public pages (the station page, the QR codes' opinion form): the active ones."""
    return Station.objects.filter(is_active=True)


def public_representatives():
    """Representatives the public pages name and the opinion form addresses: serving, of an active
    station. Anyone else's card, poster or form link is a 404."""
    from representatives.models import Representative

    return Representative.objects.filter(status=Representative.Status.SERVING, home_station__is_active=True)


def has_public_card(rep) -> bool:
    """The same rule on a representative already loaded with its home station."""
    return bool(rep.status == rep.Status.SERVING and rep.home_station.is_active)


def stations_changeable(user: AnyUser) -> QuerySet[Station]:
    """Stations the user may edit, deactivate, or place a new station under.

    Every role that sees a station in the console also runs it: county staff the county,
    township staff their township, an officer their station and its points.
    """
    return stations_visible(user)


def divisions_visible(user: AnyUser) -> QuerySet[Division]:
    """Divisions the user may choose for a station or a representative."""
    if is_county_wide(user):
        return Division.objects.all()
    prefixes = _division_prefixes(user) + [
        g.station.division.path for g in grants(user) if g.role == Role.STATION_OFFICER and g.station
    ]
    return Division.objects.filter(_prefix_q("path", prefixes))


def divisions_choosable(user: AnyUser) -> QuerySet[Division]:
    """Divisions a roster keeper may name as a representative's township or residence: any (a
    representative may live, or be elected, outside the keeper's own subtree)."""
    if not has_capability(user, Capability.ROSTER):
        return Division.objects.none()
    return Division.objects.all()


def specialties_choosable(user: AnyUser):
    """Specialties a roster keeper may filter by (one list for the whole instance)."""
    from representatives.models import Specialty

    if not has_capability(user, Capability.ROSTER):
        return Specialty.objects.none()
    return Specialty.objects.all()


def officer_candidates(user: AnyUser, *, current: int | None = None) -> QuerySet[User]:
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
    if has_capability(user, Capability.ROSTER):
        # An officer who is also a representative still sees their own record. An OR with
        # `user_id = X` would turn every scoped COUNT into a sequential scan, so the own record is
        # looked up first (one indexed query) and added by primary key only when it lies outside.
        # The scope as `home_station_id IN (the user's stations)`, not a join filtered on the
        # station's division path: with the join PostgreSQL walked the roster's name index and
        # filtered 5,000 rows through two joins for one county's first page (136 ms at province
        # scale); with the IN it reads the county's 1,500 by home_station_id and sorts them (21 ms).
        stations = Station.objects.filter(station_scope_q(user)).values("pk")
        own = _own_representative_id(user)
        if own is None:
            return Representative.objects.filter(home_station__in=stations)
        # Both sides on the representative's own columns: PostgreSQL can OR two index scans.
        return Representative.objects.filter(Q(home_station__in=stations) | Q(pk=own))
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return Representative.objects.filter(user=user)
    return Representative.objects.none()


def _own_representative_id(user: AnyUser) -> int | None:
    """The id of the user's own roster record, if any (cached on the user for the request)."""
    from representatives.models import Representative

    if not hasattr(user, "_liaison_own_representative"):
        own: int | None = None
        if user.pk is not None:
            own = Representative.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        setattr(user, "_liaison_own_representative", own)  # noqa: B010
    cached: int | None = getattr(user, "_liaison_own_representative")  # noqa: B009
    return cached


def representatives_changeable(user: AnyUser) -> QuerySet[Representative]:
    """Representatives the user may edit, end, import over: officers their station's, township
    staff their township's, county staff all. A representative proposes corrections instead."""
    from representatives.models import Representative

    if not has_capability(user, Capability.ROSTER):
        return Representative.objects.none()
    return Representative.objects.filter(station_scope_q(user, prefix="home_station__"))


def accounts_linkable(user: AnyUser) -> QuerySet[User]:
    """Sign-in accounts the user may link to a representative they keep.

    Only an account that holds no role but "representative" (a handling unit's or an officer's
    account would otherwise see the representative's phone), that is not staff, and that is either
    linked to no one yet (newly created for the representative) or linked to a representative in
    the user's own scope. Never an account elsewhere: whoever asks learns nothing about it.
    """
    from django.contrib.auth import get_user_model

    if not has_capability(user, Capability.ROSTER):
        return get_user_model().objects.none()
    other_roles = [role for role in Role.values if role != Role.REPRESENTATIVE]
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(role_grants__role__in=other_roles)
        .filter(Q(representative__isnull=True) | Q(representative__in=representatives_changeable(user)))
    )


def register_entries_visible(user: AnyUser) -> QuerySet[MobileRegisterEntry]:
    """Mobile register entries: both the origin and the host station see them (dual management)."""
    from representatives.models import MobileRegisterEntry

    if not has_capability(user, Capability.ROSTER):
        return MobileRegisterEntry.objects.none()
    return MobileRegisterEntry.objects.filter(station_in_q(user, "origin_station", "host_station"))


def register_entries_changeable(user: AnyUser) -> QuerySet[MobileRegisterEntry]:
    """Origin and host both manage an entry (双向共管)."""
    return register_entries_visible(user)


def corrections_visible(user: AnyUser) -> QuerySet[RecordCorrection]:
    """Correction requests: staff see those of the representatives they may change (and apply
    them); a representative sees their own."""
    from representatives.models import RecordCorrection

    if has_capability(user, Capability.ROSTER):
        return RecordCorrection.objects.filter(representative__in=representatives_changeable(user))
    if user.is_authenticated and Role.REPRESENTATIVE in roles(user):
        return RecordCorrection.objects.filter(representative__user=user)
    return RecordCorrection.objects.none()


def corrections_resolvable(user: AnyUser) -> QuerySet[RecordCorrection]:
    """Correction requests the user may apply or reject: those of representatives they may change."""
    from representatives.models import RecordCorrection

    return RecordCorrection.objects.filter(representative__in=representatives_changeable(user))


def groups_visible(user: AnyUser) -> QuerySet[RepresentativeGroup]:
    from representatives.models import RepresentativeGroup

    if not has_capability(user, Capability.ROSTER):
        return RepresentativeGroup.objects.none()
    return RepresentativeGroup.objects.filter(station_scope_q(user, prefix="station__"))


def voters_visible(user: AnyUser) -> QuerySet[Voter]:
    """Voters' contact records: those kept by the stations in the user's scope."""
    from voters.models import Voter

    if not has_capability(user, Capability.ROSTER):
        return Voter.objects.none()
    return Voter.objects.filter(station_scope_q(user, prefix="station__"))


def households_visible(user: AnyUser) -> QuerySet[Household]:
    """Households in the area of the stations in the user's scope."""
    from voters.models import Household

    if not has_capability(user, Capability.ROSTER):
        return Household.objects.none()
    return Household.objects.filter(station_scope_q(user, prefix="station__"))


def voters_changeable(user):
    """Voters the user may edit: every role that sees a station's voters keeps them."""
    return voters_visible(user)


def households_changeable(user):
    """Households the user may edit and place on the grid: those of the stations in scope."""
    return households_visible(user)


def voter_stations(user) -> QuerySet[Station]:
    """Stations the user may file a voter or a household under (active ones in their scope)."""
    if not has_capability(user, Capability.ROSTER):
        return Station.objects.none()
    return stations_changeable(user).filter(is_active=True)


def sees_full_voter_phones(user, voter) -> bool:
    """May the user read a voter's full phone number? Those who call the voter: the officers of
    the station that keeps the record (or of a station above it) and the staff of its township.
    County staff and everyone else read 138****1234, on every page and in every export.
    Pass a voter with `station__division` loaded: decided from cached grants, no query."""
    return sees_full_phones(user, voter.station)


def grid_representatives(user):
    """Serving representatives the user may place on the 1+M+N grid: those they keep."""
    from representatives.models import Representative

    return representatives_changeable(user).filter(status=Representative.Status.SERVING)


def grid_townships(user) -> QuerySet[Division]:
    """Townships whose grid the user sees (coverage report, township page)."""
    if not has_capability(user, Capability.ROSTER):
        return Division.objects.none()
    townships = Division.objects.filter(kind__in=Division.TOWNSHIP_LEVEL)
    if is_county_wide(user):
        return townships
    # Township and county staff: the townships of their subtrees; an officer: their station's township.
    ids = {g.station.division.township_id() for g in grants(user) if g.role == Role.STATION_OFFICER and g.station}
    in_subtree = _prefix_q("path", _division_prefixes(user))
    return townships.filter(in_subtree | Q(pk__in=[i for i in ids if i]))


def grid_links_visible(user):
    """County-to-township links whose township representative the user keeps."""
    from voters.models import GridLink

    return GridLink.objects.filter(township_representative__in=representatives_changeable(user))


def household_links_visible(user):
    """Representative-to-household links of the households in the user's scope."""
    from voters.models import HouseholdLink

    return HouseholdLink.objects.filter(household__in=households_visible(user))


def household_visits_visible(user):
    """The household visit log of the households in the user's scope."""
    from voters.models import HouseholdVisit

    return HouseholdVisit.objects.filter(household__in=households_visible(user))


def own_grid_households(user):
    """The households linked to the signed-in representative on the 1+M+N grid: theirs to visit
    and to log visits for (their own record only; no other household, no voter's phone)."""
    from voters.models import Household

    if not user.is_authenticated or Role.REPRESENTATIVE not in roles(user):
        return Household.objects.none()
    return Household.objects.filter(grid_link__representative__user=user)


def sees_full_phones(user: AnyUser, station: Station, *, owner_id: int | None = None) -> bool:
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
        if grant.role == Role.STATION_OFFICER and grant.station and station.path.startswith(grant.station.path):
            return True
        if (
            grant.role == Role.TOWNSHIP_STAFF
            and grant.division
            and station.division.path.startswith(grant.division.path)
        ):
            return True
    return False


def stations_in_scope(user: AnyUser) -> QuerySet[Station]:
    """The stations of the user's grants and everything under them (no capability asked)."""
    return Station.objects.filter(station_scope_q(user))


def in_scope_expression(user: AnyUser, prefix: str) -> Value | ExpressionWrapper:
    """A boolean annotation: does the user's scope cover the station behind `prefix`?"""
    if is_county_wide(user):
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(station_scope_q(user, prefix=prefix), output_field=BooleanField())


def is_representative(user: AnyUser) -> bool:
    """Does the user hold the representative role (their own record, their own register entry)?"""
    return bool(user.is_authenticated and Role.REPRESENTATIVE in roles(user))


def oversees_stations(user: AnyUser) -> bool:
    """County or township staff: people who look across several stations rather than run one."""
    return is_county_wide(user) or (user.is_authenticated and Role.TOWNSHIP_STAFF in roles(user))


def register_entries_on_side(user: AnyUser, side: str) -> Q:
    """Q over MobileRegisterEntry: entries whose `side` ("origin" or "host") station is the user's."""
    return station_scope_q(user, prefix=f"{side}_station__")


def register_entries_verifiable(user: AnyUser) -> QuerySet[MobileRegisterEntry]:
    """Entries whose check-in the user may verify: only the host side (the host's staff, the county)."""
    from representatives.models import MobileRegisterEntry

    if not has_capability(user, Capability.ROSTER):
        return MobileRegisterEntry.objects.none()
    return MobileRegisterEntry.objects.filter(station_scope_q(user, prefix="host_station__"))


def may_change_register_entry(user: AnyUser, entry: MobileRegisterEntry) -> bool:
    """Origin and host staff manage an entry (双向共管); a representative corrects their own."""
    if register_entries_changeable(user).filter(pk=entry.pk).exists():
        return True
    return bool(user.is_authenticated and entry.representative.user_id == user.pk)


def refresh_confirmations_visible(user: AnyUser) -> QuerySet[RefreshConfirmation]:
    """Refresh confirmations: staff those of the entries on their register; a representative their own."""
    from representatives.models import RefreshConfirmation

    if has_capability(user, Capability.ROSTER):
        # The entry's stations on the entry's own columns (`register_entries_visible`'s rule).
        return RefreshConfirmation.objects.filter(
            station_in_q(user, "entry__origin_station", "entry__host_station")
        )
    if is_representative(user) and isinstance(user, User):
        return RefreshConfirmation.objects.filter(entry__representative__user=user)
    return RefreshConfirmation.objects.none()


def groups_changeable(user: AnyUser) -> QuerySet[RepresentativeGroup]:
    """Groups the user may edit and change the members of: those of the stations they may change."""
    from representatives.models import RepresentativeGroup

    if not has_capability(user, Capability.ROSTER):
        return RepresentativeGroup.objects.none()
    return RepresentativeGroup.objects.filter(station__in=stations_changeable(user))


def import_batches_own(user: AnyUser) -> QuerySet[ImportBatch]:
    """Roster uploads the user may preview, decide and confirm: only their own (anyone else's is a 404)."""
    from representatives.models import ImportBatch

    if not has_capability(user, Capability.ROSTER):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(uploaded_by_id=user.pk)


def may_see_grant_history(user: AnyUser) -> bool:
    """Who was given or lost a role, and by whom: county staff (they manage accounts and roles;
    the station page that shows it is already scoped to their county)."""
    return is_county_staff(user)


def may_create_top_level_station(user: AnyUser) -> bool:
    """Only the county may open a station with no parent (the general station), in a division
    of its own subtree (the station's division is checked against `divisions_visible`)."""
    return is_county_staff(user)


class CapabilityRequiredMixin(LoginRequiredMixin):
    """A view that needs a capability: anonymous users go to login, others without it get 403."""

    capability: Capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_capability(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)


# --- Activities and funds -------------------------------------------------------------------


def activities_visible(user):
    """Activities the user may open on the staff side: those of the stations in their scope."""
    from liaison.models import Activity

    if not has_capability(user, Capability.ACTIVITIES):
        return Activity.objects.none()
    return Activity.objects.filter(station_scope_q(user, prefix="station__"))


def activities_changeable(user):
    """Whoever runs a station runs its activities: invitees, attendance, expenses."""
    return activities_visible(user)


def activity_stations(user) -> QuerySet[Station]:
    """Stations the user may hold an activity at (or set a budget for)."""
    if not has_capability(user, Capability.ACTIVITIES):
        return Station.objects.none()
    return stations_changeable(user).filter(is_active=True)


def invitable_representatives(user):
    """Representatives the user may invite: serving ones they can see (a 共治组 spans stations)."""
    from representatives.models import Representative

    if not has_capability(user, Capability.ACTIVITIES):
        return Representative.objects.none()
    return representatives_visible(user).filter(status=Representative.Status.SERVING)


def own_invitations(user):
    """A representative's own invitations (their record linked to the account)."""
    from liaison.models import ActivityInvitation

    if not user.is_authenticated:
        return ActivityInvitation.objects.none()
    return ActivityInvitation.objects.filter(representative__user=user)


def budgets_visible(user):
    from liaison.models import StationBudget

    if not has_capability(user, Capability.ACTIVITIES):
        return StationBudget.objects.none()
    return StationBudget.objects.filter(station_scope_q(user, prefix="station__"))


def expenses_visible(user):
    from liaison.models import Expense

    if not has_capability(user, Capability.ACTIVITIES):
        return Expense.objects.none()
    return Expense.objects.filter(station_scope_q(user, prefix="activity__station__"))


def sees_funds_rolled_up(user) -> bool:
    """Township and county staff see spending summed per township as well as per station."""
    return is_county_wide(user) or Role.TOWNSHIP_STAFF in roles(user)


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


# --- Suggestions ----------------------------------------------------------------------------


def handling_unit_ids(user: AnyUser) -> list[int]:
    """The handling units the user answers for (handling-unit grants)."""
    return [g.handling_unit_id for g in grants(user) if g.role == Role.HANDLING_UNIT and g.handling_unit_id]


def suggestions_visible(user: AnyUser):
    """Staff see the suggestions of their stations; a handling unit those ever assigned to it; a
    representative those they received, lead or co-sign. Anything else is a 404."""
    from suggestions.models import Assignment, Suggestion

    if not user.is_authenticated:
        return Suggestion.objects.none()
    if is_county_wide(user):
        return Suggestion.objects.all()
    q = Q(pk__in=[])
    if has_capability(user, Capability.SUGGESTIONS):
        q |= station_scope_q(user, prefix="station__")
    units = handling_unit_ids(user)
    if units:
        q |= Q(pk__in=Assignment.objects.filter(unit_id__in=units).values("suggestion_id"))
    if is_representative(user):
        own = _own_representative_id(user)
        if own is not None:
            from suggestions.models import CoSigner

            q |= Q(representative_id=own) | Q(
                pk__in=CoSigner.objects.filter(representative_id=own).values("suggestion_id")
            )
    return Suggestion.objects.filter(q)


def suggestions_changeable(user: AnyUser):
    """Accept, decline, merge, settle, assign, record a rating taken by phone: the staff of the
    suggestion's station (officer, township, county)."""
    from suggestions.models import Suggestion

    if not has_capability(user, Capability.SUGGESTIONS):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(station_scope_q(user, prefix="station__"))


def suggestions_reviewable(user: AnyUser):
    """The county review console, approving extensions, closing after a second "unsatisfied",
    supervision (督办): county staff over their county's suggestions."""
    from suggestions.models import Suggestion

    if not has_capability(user, Capability.SUGGESTION_REVIEW):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(station_scope_q(user, prefix="station__"))


def assignments_of_unit(user: AnyUser):
    """The assignments a handling-unit user acts on (answer, extension, return, co-opinion);
    another unit's assignment is a 404."""
    from suggestions.models import Assignment

    units = handling_unit_ids(user)
    if not units:
        return Assignment.objects.none()
    return Assignment.objects.filter(unit_id__in=units)


def suggestion_stations(user: AnyUser) -> QuerySet[Station]:
    """Stations the user may register a suggestion for."""
    if not has_capability(user, Capability.SUGGESTIONS):
        return Station.objects.none()
    return Station.objects.filter(station_scope_q(user), is_active=True)


def sees_suggestion_contact(user: AnyUser, suggestion) -> bool:
    """May the user read the voter's name and full phone given with a suggestion? The staff who
    call the voter back: the officers of its station and its township staff (as for the station's
    people, `sees_full_phones`). Units, representatives and county staff see them masked."""
    return sees_full_phones(user, suggestion.station)


def own_representative_id(user: AnyUser) -> int | None:
    """The roster record of a user who holds the representative role (they file proposals,
    co-sign, settle what they received, rate their proposal's answer); None for anyone else."""
    if not is_representative(user):
        return None
    return _own_representative_id(user)


def may_settle_suggestion(user: AnyUser, suggestion) -> bool:
    """Settle on the spot: the staff of its station, or the representative who received it."""
    if suggestions_changeable(user).filter(pk=suggestion.pk).exists():
        return True
    own = own_representative_id(user)
    return own is not None and suggestion.representative_id == own


def may_rate_as_representative(user: AnyUser, suggestion) -> bool:
    """A proposal's answer is rated by its lead representative."""
    own = own_representative_id(user)
    return own is not None and suggestion.kind == "proposal" and suggestion.representative_id == own


def uses_suggestion_pages(user: AnyUser) -> bool:
    """May the user open a suggestion's page at all? Station staff (their stations' suggestions)
    and representatives (those they received, lead or co-sign); which one is `suggestions_visible`."""
    return has_capability(user, Capability.SUGGESTIONS) or is_representative(user)


# --- Performance records, report-backs, evaluation ------------------------------------------


def performance_records_visible(user):
    """Performance records: staff see those of the representatives they see; a representative
    their own (another's is a 404)."""
    from representatives.models import PerformanceRecord

    if not user.is_authenticated:
        return PerformanceRecord.objects.none()
    return PerformanceRecord.objects.filter(representative__in=representatives_visible(user).values("pk"))


def performance_representatives(user):
    """Representatives whose records, handbook and report-backs the user keeps (add a record by
    hand, plan and record a report-back): the staff of their station, township or county."""
    return representatives_changeable(user)


def may_verify_performance_record(user: AnyUser, record: PerformanceRecord) -> bool:
    """A record added by hand counts once verified by staff over the representative who did not
    add it themselves (four eyes); a record from a source needs no verifying."""
    if record.verified_at is not None or record.source_type_id is not None:
        return False
    if not user.is_authenticated or record.created_by_id == user.pk:
        return False
    return bool(performance_representatives(user).filter(pk=record.representative_id).exists())


def may_edit_points_rules(user) -> bool:
    """The points rules are the instance's: county staff over the whole of it change them."""
    return is_county_wide(user)


def sees_points_rules(user) -> bool:
    return has_capability(user, Capability.ROSTER)


def report_backs_visible(user):
    """Report-backs of the representatives the user sees (a representative: their own)."""
    from representatives.models import ReportBack

    if not user.is_authenticated:
        return ReportBack.objects.none()
    return ReportBack.objects.filter(representative__in=representatives_visible(user).values("pk"))


def report_backs_changeable(user):
    from representatives.models import ReportBack

    return ReportBack.objects.filter(representative__in=performance_representatives(user).values("pk"))


def evaluation_congresses(user) -> QuerySet[Division]:
    """Congresses (county or township divisions) whose evaluation the user keeps: county staff
    their county and its townships, township staff their township."""
    if not has_capability(user, Capability.EVALUATION):
        return Division.objects.none()
    kinds = [Division.Kind.COUNTY, *Division.TOWNSHIP_LEVEL]
    if is_county_wide(user):
        return Division.objects.filter(kind__in=kinds)
    return Division.objects.filter(_prefix_q("path", _division_prefixes(user)), kind__in=kinds)


def evaluations_visible(user):
    from representatives.models import AnnualEvaluation

    return AnnualEvaluation.objects.filter(congress__in=evaluation_congresses(user).values("pk"))


def may_publish_points(user) -> bool:
    """Publishing quarterly points on the public cards is the county's choice."""
    return is_county_staff(user)
