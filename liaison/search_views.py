"""The endpoints of the search-as-you-type choice (liaison.widgets): one per kind of thing.

Each searches one named queryset of `liaison.access` (the `scope` parameter picks it among those
listed here; an unknown name searches nothing), returns at most `selectors.SEARCH_LIMIT` rows as
radio buttons or checkboxes (htmx swaps them under the search box), and needs the page's
capability: without it, 403.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.views import View

from liaison import access, selectors
from liaison.ids import parse_id
from liaison.models import Division, Station
from liaison.widgets import KINDS


def field_name(request) -> str:
    """The form field the results are for (their inputs carry its name)."""
    field = request.GET.get("field", "")
    return field if field.isascii() and field.replace("_", "").isalnum() and len(field) <= 40 else "choice"


def searched_text(request) -> str:
    """What was typed in the field's search box."""
    field = field_name(request)
    return (request.GET.get(f"{field}_q", "") or request.GET.get("q", "")).strip()


def render_results(request, rows, label, *, more: bool = False):
    """The matches as the shared results fragment (radio buttons, or checkboxes with `multiple`):
    what every search endpoint answers, here or in another app."""
    return render(
        request,
        "widgets/search_results.html",
        {
            "rows": [{"pk": row.pk, "label": label(row)} for row in rows],
            "more": more,
            "field": field_name(request),
            "searched": bool(searched_text(request)),
            "input_type": "checkbox" if request.GET.get("multiple") == "1" else "radio",
        },
    )


class SearchView(access.CapabilityRequiredMixin, View):
    kind = ""

    def scope(self, request):
        """The access queryset named by `scope`; None (nothing is searched) for a name the kind
        does not know. Each kind lists its own scopes."""
        return None

    def matches(self, text: str) -> Q | None:
        return selectors.name_q(text)

    order: tuple[str, ...] = ("path",)

    def get(self, request):
        field = field_name(request)
        text = request.GET.get(f"{field}_q", "") or request.GET.get("q", "")
        q = self.matches(text)
        rows, more = [], False
        scope = self.scope(request) if q is not None else None
        if scope is not None:
            kind = KINDS[self.kind]
            found, more = selectors.search_rows(scope, q=q, order=self.order, related=kind.related)
            rows = [{"pk": row.pk, "label": kind.label(row)} for row in found]
        return render(
            request,
            "widgets/search_results.html",
            {
                "rows": rows,
                "more": more,
                "field": field,
                "searched": q is not None,
                "input_type": "checkbox" if request.GET.get("multiple") == "1" else "radio",
            },
        )


class StationSearchView(SearchView):
    kind = "stations"
    capability = access.Capability.STATION_CONSOLE
    SCOPES = {
        "visible": access.stations_visible,
        "changeable": access.stations_changeable,
        "activity": access.activity_stations,
        "voter": access.voter_stations,
        "reception": access.reception_stations,
    }

    def scope(self, request):
        name = request.GET.get("scope") or "visible"
        if name in ("register_origin", "register_host"):
            from representatives.selectors.mobile_register import register_station_choices

            origins, hosts = register_station_choices(user=request.user)
            return origins if name == "register_origin" else hosts
        if name not in self.SCOPES:
            return None
        stations = self.SCOPES[name](request.user)
        if request.GET.get("active") == "1":
            stations = stations.filter(is_active=True)
        if request.GET.get("points") == "0":
            stations = stations.exclude(kind=Station.Kind.POINT)
        return stations


DIVISION_KINDS = {
    "township": Division.TOWNSHIP_LEVEL,
    "grassroots": Division.GRASSROOTS_LEVEL,
}


class DivisionSearchView(SearchView):
    kind = "divisions"
    capability = access.Capability.STATION_CONSOLE
    SCOPES = {
        "visible": access.divisions_visible,
        "grid": access.grid_townships,
        "choosable": access.divisions_choosable,
        "congresses": access.evaluation_congresses,
    }

    def scope(self, request):
        name = request.GET.get("scope") or "visible"
        if name == "community":
            # The villages and communities of a register entry's host station (the entry is one
            # the user may change; another is nothing).
            from representatives.selectors.mobile_register import register_communities

            entry = (
                access.register_entries_changeable(request.user)
                .filter(pk=parse_id(request.GET.get("entry", "")) or 0)
                .select_related("host_station__division")
                .first()
            )
            return register_communities(entry=entry) if entry else None
        if name not in self.SCOPES:
            return None
        divisions = self.SCOPES[name](request.user)
        kinds = request.GET.get("kinds", "")
        if kinds in DIVISION_KINDS:
            divisions = divisions.filter(kind__in=DIVISION_KINDS[kinds])
        elif kinds == "below_county":
            divisions = divisions.exclude(kind=Division.Kind.COUNTY)
        return divisions


class RepresentativeSearchView(SearchView):
    kind = "representatives"
    capability = access.Capability.ROSTER
    order = ("name_initials", "pk")

    def matches(self, text: str) -> Q | None:
        from liaison.text import normalize_text
        from representatives.filters import search_q

        return search_q(text) if normalize_text(text)[:50] else None

    def scope(self, request):
        from representatives.models import Representative

        user, name = request.user, request.GET.get("scope") or "visible"
        serving = Q(status=Representative.Status.SERVING)
        if name == "visible":
            reps = access.representatives_visible(user)
        elif name == "serving":
            reps = access.representatives_visible(user).filter(serving)
        elif name == "grid":
            reps = access.grid_representatives(user)
        elif name == "invitable":
            reps = access.invitable_representatives(user)
        elif name == "duty":
            # Those who may be on duty at one station the user schedules reception days for.
            from voters.services.reception import duty_candidates

            station = access.reception_stations(user).filter(pk=parse_id(request.GET.get("station", "")) or 0).first()
            if station is None:
                return None
            reps = duty_candidates(station=station)
        else:
            return None
        level = request.GET.get("level", "")
        if level in Representative.Level.values:
            reps = reps.filter(level=level)
        township = parse_id(request.GET.get("township", ""))
        if township:
            reps = reps.filter(district_township_id=township)
        return reps


class HouseholdSearchView(SearchView):
    kind = "households"
    capability = access.Capability.ROSTER
    order = ("division__path", "address", "pk")

    def matches(self, text: str) -> Q | None:
        from liaison.text import normalize_text
        from voters.selectors.people import household_search_q

        return household_search_q(text) if normalize_text(text)[:50] else None

    def scope(self, request):
        name = request.GET.get("scope") or "visible"
        if name not in ("visible", "changeable"):
            return None
        households = (access.households_visible if name == "visible" else access.households_changeable)(request.user)
        township = parse_id(request.GET.get("township", ""))
        if township:
            households = households.filter(township_id=township)
        if request.GET.get("unlinked") == "1":
            households = households.filter(grid_link__isnull=True)
        return households


class OfficerSearchView(SearchView):
    """Users who may be named a station's officer."""

    kind = "officers"
    capability = access.Capability.STATION_CONSOLE
    order = ("username", "pk")

    def matches(self, text: str) -> Q | None:
        username, full_name = selectors.name_q(text, "username"), selectors.name_q(text, "full_name")
        return username | full_name if username is not None and full_name is not None else None

    def scope(self, request):
        return access.officer_candidates(request.user) if (request.GET.get("scope") or "visible") == "visible" else None


class GroupSearchView(SearchView):
    kind = "groups"
    capability = access.Capability.ROSTER
    order = ("name", "pk")

    def scope(self, request):
        return access.groups_visible(request.user) if (request.GET.get("scope") or "visible") == "visible" else None


class SpecialtySearchView(SearchView):
    kind = "specialties"
    capability = access.Capability.ROSTER
    order = ("name", "pk")

    def scope(self, request):
        if (request.GET.get("scope") or "visible") != "visible":
            return None
        return access.specialties_choosable(request.user)
