"""Voter and household list filters (django-filter), over querysets already scoped by access."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.widgets import SearchChoiceFilter
from voters.models import Household, Voter
from voters.selectors.people import household_search_q, households_listed, voter_search_q, voters_listed


class VoterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    station = SearchChoiceFilter(label=_("Liaison station"), queryset=None, empty_label=_("All"), kind="stations")
    consents_to_contact = django_filters.BooleanFilter(
        label=_("Agrees to be contacted"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Voter
        fields = ["q", "station", "consents_to_contact"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["station"].queryset = access.stations_visible(user)
        self.filters["consents_to_contact"].field.widget.choices = (
            ("", _("All")),
            ("true", _("Yes")),
            ("false", _("No")),
        )

    def filter_search(self, queryset, name, value):
        return queryset.filter(voter_search_q(value))


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    township = SearchChoiceFilter(
        label=_("Township"), queryset=None, empty_label=_("All"), kind="divisions", scope="grid"
    )
    unlinked = django_filters.BooleanFilter(
        label=_("Without a representative"), method="filter_unlinked", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Household
        fields = ["q", "township", "unlinked"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["township"].queryset = access.grid_townships(user)
        self.filters["unlinked"].field.widget.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))

    def filter_search(self, queryset, name, value):
        return queryset.filter(household_search_q(value))

    def filter_unlinked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(grid_link__isnull=value)


def voter_filter(*, user, params) -> VoterFilter:
    """The voter list's filters, bound to the request's query over the voters the user sees."""
    return VoterFilter(params or None, queryset=voters_listed(user=user), user=user)


def household_filter(*, user, params) -> HouseholdFilter:
    """The household list's filters, bound to the request's query over the households the user sees."""
    return HouseholdFilter(params or None, queryset=households_listed(user=user), user=user)
