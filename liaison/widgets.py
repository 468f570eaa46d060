"""The one search-as-you-type choice of the project: never a <select> of every row.

A field shows a search box (htmx asks an endpoint of `liaison.search_views` for at most
`SEARCH_LIMIT` matches, as radio buttons or checkboxes) above the chosen value(s), which are rendered
server-side in one query. Without JavaScript the chosen value is kept, and a name typed exactly
into the box is chosen when the form is sent. The field's queryset is the access scope: an id
outside it is a form error ("Select a valid choice"), never a 500 and never a leak.

Use it in a form::

    station = SearchChoiceField(kind="stations", scope="changeable", label=_("Liaison station"))
    # in __init__: self.fields["station"].queryset = access.stations_changeable(user)

and in a filter (`SearchChoiceFilter(kind="stations", empty_label=_("All"), ...)`). `kind` names the
endpoint (stations, divisions, representatives, households), `scope` the access queryset it
searches (see `liaison.search_views`), `params` more query parameters (e.g. {"kinds": "township"}).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.ids import parse_id


def _loaded(obj, name: str):
    """A related object already loaded with `obj` (select_related), else None: a label never queries."""
    return obj._state.fields_cache.get(name)


def station_label(station) -> str:
    division = _loaded(station, "division")
    return f"{station.name}（{division.name}）" if division else station.name


def division_label(division) -> str:
    parent = _loaded(division, "parent")
    return f"{division.name}（{parent.name}）" if parent else division.name


def representative_label(rep) -> str:
    home = _loaded(rep, "home_station")
    level = rep.get_level_display()
    return f"{rep.name}（{level}，{home.name}）" if home else f"{rep.name}（{level}）"


def household_label(household) -> str:
    division = _loaded(household, "division")
    return f"{household.head_name}（{division.name if division else ''}{household.address}）"


def officer_label(user) -> str:
    return f"{user.full_name}（{user.username}）" if user.full_name else user.username


def group_label(group) -> str:
    station = _loaded(group, "station")
    return f"{group.name}（{station.name}）" if station else group.name


def name_label(obj) -> str:
    return obj.name


def voter_label(voter) -> str:
    """A voter told apart from namesakes by the last four digits of the phone, never the number."""
    return f"{voter.name}（{voter.phone[-4:]}）" if voter.phone else voter.name


def suggestion_label(suggestion) -> str:
    return f"{suggestion.code} {suggestion.title}（{suggestion.get_status_display()}）"


@dataclass(frozen=True)
class Kind:
    url_name: str
    label: Any
    text_field: str  # a name typed exactly (no JavaScript) chooses the row
    related: tuple[str, ...]
    placeholder: Any


KINDS = {
    "stations": Kind("liaison:search_stations", station_label, "name", ("division",), _("Station name")),
    "divisions": Kind("liaison:search_divisions", division_label, "name", ("parent",), _("Name of the place")),
    "representatives": Kind(
        "liaison:search_representatives",
        representative_label,
        "name",
        ("home_station",),
        _("Name, pinyin initials or phone digits"),
    ),
    "households": Kind(
        "liaison:search_households", household_label, "head_name", ("division",), _("Head of household or address")
    ),
    "officers": Kind("liaison:search_officers", officer_label, "username", (), _("Name or user name")),
    "groups": Kind("liaison:search_groups", group_label, "name", ("station",), _("Group name")),
    "specialties": Kind("liaison:search_specialties", name_label, "name", (), _("Specialty")),
    # The suggestions app's own scopes (its endpoints answer with `search_views.render_results`).
    "suggestion_stations": Kind("suggestions:staff_station_search", name_label, "name", (), _("Station name")),
    "suggestion_voters": Kind(
        "suggestions:staff_voter_search", voter_label, "name", (), _("Name, pinyin initials or phone digits")
    ),
    "suggestion_representatives": Kind(
        "suggestions:staff_representative_search", name_label, "name", (), _("Name or pinyin initials")
    ),
    "suggestion_units": Kind("suggestions:staff_unit_search", name_label, "name", (), _("Unit name")),
    "suggestion_cosigners": Kind(
        "suggestions:staff_cosigner_search",
        representative_label,
        "name",
        ("home_station",),
        _("Name or pinyin initials"),
    ),
    "suggestions": Kind("suggestions:staff_merge_search", suggestion_label, "code", (), _("Tracking code or title")),
}


class SearchChoiceWidget(forms.Widget):
    template_name = "widgets/search_choice.html"
    allow_multiple_selected = False

    def __init__(self, kind: str, *, scope: str = "", params: dict | None = None, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.kind = KINDS[kind]
        self.kind_name = kind
        self.scope = scope
        self.params = dict(params or {})
        self.placeholder = placeholder or self.kind.placeholder
        self.queryset = None
        self.label_from_instance = self.kind.label
        self.empty_label: Any = None

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        return obj

    def _pks(self, value) -> list[int]:
        values = value if isinstance(value, (list, tuple)) else [value]
        pks = []
        for item in values:
            if item in (None, ""):
                continue
            pk = item.pk if hasattr(item, "pk") else parse_id(str(item))
            if pk:
                pks.append(pk)
        return pks

    def chosen(self, value) -> list:
        """The chosen rows, in one query (only those inside the field's queryset)."""
        pks = self._pks(value)
        if not pks or self.queryset is None:
            return []
        rows = {row.pk: row for row in self.queryset.filter(pk__in=pks).select_related(*self.kind.related)}
        return [{"pk": pk, "label": self.label_from_instance(rows[pk])} for pk in dict.fromkeys(pks) if pk in rows]

    def url(self, name: str) -> str:
        query = {"field": name, **({"scope": self.scope} if self.scope else {}), **self.params}
        if self.allow_multiple_selected:
            query["multiple"] = "1"
        return f"{reverse(self.kind.url_name)}?{urlencode(query)}"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(value)
        context["widget"].update(
            url=self.url(name),
            placeholder=self.placeholder,
            chosen=chosen,
            multiple=self.allow_multiple_selected,
            empty_label=self.empty_label,
            input_type="checkbox" if self.allow_multiple_selected else "radio",
        )
        return context

    def _typed(self, data, name):
        """No JavaScript: a name typed exactly into the box chooses the one row of that name."""
        text = (data.get(f"{name}_q") or "").strip()
        if not text or self.queryset is None:
            return None
        rows = list(self.queryset.filter(**{self.kind.text_field: text}).values_list("pk", flat=True)[:2])
        return rows[0] if len(rows) == 1 else None

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value in (None, ""):
            typed = self._typed(data, name)
            return str(typed) if typed else value
        return value

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def use_required_attribute(self, initial):
        return False


class SearchMultipleChoiceWidget(SearchChoiceWidget):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        values = [v for v in (values or []) if v not in ("", None)]
        typed = self._typed(data, name)
        if typed and str(typed) not in values:
            values.append(str(typed))
        return values


class _SearchFieldMixin:
    """The widget shares the field's queryset (the access scope), whenever the form sets it."""

    def _get_queryset(self):
        return self._queryset

    def _set_queryset(self, queryset):
        forms.ModelChoiceField._set_queryset(self, queryset)
        if hasattr(self, "widget"):
            self.widget.queryset = self._queryset


class SearchChoiceField(_SearchFieldMixin, forms.ModelChoiceField):
    """A ModelChoiceField shown as a SearchChoiceWidget; its queryset is the access scope."""

    def __init__(self, queryset=None, *, kind: str, scope: str = "", params=None, placeholder=None, **kwargs):
        kwargs.pop("widget", None)
        widget = SearchChoiceWidget(kind, scope=scope, params=params, placeholder=placeholder)
        if kwargs.get("empty_label", "---------") == "---------":
            kwargs["empty_label"] = _("Not chosen")
        super().__init__(queryset, widget=widget, **kwargs)
        self.widget.queryset = self.queryset
        self.widget.empty_label = None if self.required else self.empty_label

    def label_from_instance(self, obj):
        return self.widget.label_from_instance(obj)

    queryset = property(_SearchFieldMixin._get_queryset, _SearchFieldMixin._set_queryset)


class SearchMultipleChoiceField(_SearchFieldMixin, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField shown as checkboxes under a search box."""

    def __init__(self, queryset=None, *, kind: str, scope: str = "", params=None, placeholder=None, **kwargs):
        kwargs.pop("widget", None)
        widget = SearchMultipleChoiceWidget(kind, scope=scope, params=params, placeholder=placeholder)
        super().__init__(queryset, widget=widget, **kwargs)
        self.widget.queryset = self.queryset

    def label_from_instance(self, obj):
        return self.widget.label_from_instance(obj)

    queryset = property(_SearchFieldMixin._get_queryset, _SearchFieldMixin._set_queryset)


def search_field(kind: str, *, scope: str = "", params=None, multiple: bool = False):
    """For a ModelForm's Meta.field_classes: the model field's label and messages stay."""
    field_class = SearchMultipleChoiceField if multiple else SearchChoiceField
    return partial(field_class, kind=kind, scope=scope, params=params)


class SearchChoiceFilter(django_filters.ModelChoiceFilter):
    """A django-filter filter whose form field is a SearchChoiceField (its queryset: the scope)."""

    field_class = SearchChoiceField


class SearchMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SearchMultipleChoiceField
