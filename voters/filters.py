"""Voter and household list filters (django-filter), over querysets already scoped by access."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.text import normalize_text
from voters.models import Household, Voter

DIGITS_RE = re.compile(r"^\d+$")
LETTERS_RE = re.compile(r"^[A-Za-z]+$")
# Trigram indexes answer a substring of three characters or more; shorter ones search by prefix
# (b-tree text_pattern_ops indexes), which stays fast at a million voters.
TRIGRAM_MIN = 3


def voter_search_q(text: str) -> Q:
    """Chinese name fragment, pinyin initials ("wjg"), or phone digits ("1234")."""
    text = normalize_text(text)[:50]
    if not text:
        return Q()
    if DIGITS_RE.match(text):
        return Q(phone__contains=text) if len(text) >= TRIGRAM_MIN else Q(phone__startswith=text)
    if LETTERS_RE.match(text):
        return Q(name_initials__startswith=text.lower())
    if len(text) >= TRIGRAM_MIN:
        return Q(name__contains=text)
    return Q(name__startswith=text)


def household_search_q(text: str) -> Q:
    text = normalize_text(text)[:50]
    if not text:
        return Q()
    return Q(head_name__contains=text) | Q(address__contains=text)


class VoterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    station = django_filters.ModelChoiceFilter(label=_("Liaison station"), queryset=None, empty_label=_("All"))
    consents_to_contact = django_filters.BooleanFilter(
        label=_("Agrees to be contacted"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Voter
        fields = ["q", "station", "consents_to_contact"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["station"].queryset = access.stations_visible(user).order_by("path")
        self.filters["consents_to_contact"].field.widget.choices = (
            ("", _("All")),
            ("true", _("Yes")),
            ("false", _("No")),
        )

    def filter_search(self, queryset, name, value):
        return queryset.filter(voter_search_q(value))


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=None, empty_label=_("All"))
    unlinked = django_filters.BooleanFilter(
        label=_("Without a representative"), method="filter_unlinked", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Household
        fields = ["q", "township", "unlinked"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["township"].queryset = access.grid_townships(user).order_by("path")
        self.filters["unlinked"].field.widget.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))

    def filter_search(self, queryset, name, value):
        return queryset.filter(household_search_q(value))

    def filter_unlinked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(grid_link__isnull=value)
