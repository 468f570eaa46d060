"""Roster filters (django-filter): the choices offered are limited to the user's scope."""

import re

import django_filters
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import Func, Q, TextField, Value
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.models import Division
from liaison.widgets import SearchChoiceFilter
from representatives.models import Representative, Specialty
from representatives.selectors.roster import terms_in_use

DIGITS_RE = re.compile(r"^\d+$")
LETTERS_RE = re.compile(r"^[A-Za-z]+$")


class NameGrams(Func):
    """`representative_name_grams(name)`: every one- and two-character piece of the name, a SQL
    function of PostgreSQL with a GIN index (migration 0012)."""

    function = "representative_name_grams"
    output_field = ArrayField(TextField())


def search_q(text: str) -> Q:
    """Chinese name fragment, pinyin initials ("wjg"), or a phone fragment ("1234")."""
    from liaison.text import normalize_text

    text = normalize_text(text)
    if not text:
        return Q()
    if DIGITS_RE.match(text):
        return Q(phone__contains=text)
    if LETTERS_RE.match(text):
        return Q(name_initials__startswith=text.lower()) | Q(name__icontains=text)
    if len(text) <= 2 and connection.vendor == "postgresql":
        # The same rows as `name LIKE '%张三%'`, which no index serves below three characters
        # (trigrams): "张三" is one of the name's pieces exactly when the name contains it.
        return Q(DataContains(NameGrams("name"), Value([text], output_field=ArrayField(TextField()))))
    return Q(name__contains=text)


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


ORDERING = (
    ("name_initials", "name"),
    ("birth_year", "birth_year"),
    ("level", "level"),
    ("term", "term"),
    ("home_station__path", "station"),
    ("district_township__path", "township"),
)
ORDERING_LABELS = {
    "name_initials": _("Full name"),
    "birth_year": _("Birth year"),
    "level": _("Level"),
    "term": _("Term"),
    "home_station__path": _("Liaison station"),
    "district_township__path": _("Township"),
}


class RepresentativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Representative.Level.choices, empty_label=_("All"))
    term = django_filters.ChoiceFilter(label=_("Term"), choices=[], empty_label=_("All"))
    home_station = SearchChoiceFilter(
        label=_("Liaison station"), queryset=None, empty_label=_("All"), kind="stations", params={"active": "1"}
    )
    district_township = SearchChoiceFilter(
        label=_("Township"), queryset=None, empty_label=_("All"), kind="divisions", params={"kinds": "township"}
    )
    is_mobile = django_filters.BooleanFilter(label=_("Mobile"), widget=YesNoAllWidget())
    lives_in_county_town = django_filters.BooleanFilter(label=_("Lives in the county town"), widget=YesNoAllWidget())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Representative.Status.choices, empty_label=_("All"))
    specialty = SearchChoiceFilter(
        label=_("Specialty"),
        field_name="specialties",
        queryset=Specialty.objects.order_by("name"),
        empty_label=_("All"),
        kind="specialties",
    )
    o = django_filters.OrderingFilter(
        fields=ORDERING,
        field_labels={
            **ORDERING_LABELS,
            # django-filter's own "%s (descending)" has no zh_Hans translation: ours, lazily.
            **{
                f"-{param}": format_lazy(_("{label} (descending)"), label=ORDERING_LABELS[field])
                for field, param in ORDERING
            },
        },
        label=_("Sort by"),
        empty_label=_("Default"),
    )

    class Meta:
        model = Representative
        fields = ["q", "level", "term", "home_station", "district_township", "is_mobile", "status", "specialty"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        stations = access.stations_visible(user) if access.has_capability(user, access.Capability.ROSTER) else None
        if stations is not None:
            self.filters["home_station"].queryset = stations.filter(is_active=True)
        else:
            self.filters["home_station"].queryset = access.stations_visible(user)
        self.filters["district_township"].queryset = access.divisions_visible(user).filter(
            kind__in=Division.TOWNSHIP_LEVEL
        )
        terms = reversed(terms_in_use(user=user))
        self.filters["term"].extra["choices"] = [(term, term) for term in terms]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value))


def representative_filter(*, user, params) -> RepresentativeFilter:
    """The roster page's filters, bound to the query string, over the user's representatives
    (`selectors.roster.representative_list`); `.qs` is the filtered list, `.form` the filters."""
    from representatives.selectors.roster import representative_list

    return RepresentativeFilter(params or None, queryset=representative_list(user=user), user=user)
