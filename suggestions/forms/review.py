"""The county review console's filters (django-filter) and its period form."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.models import Division, Station
from suggestions.models import Assignment, Category, HandlingUnit, Suggestion

# Beyond this many choices a <select> becomes a name search (no unbounded dropdowns).
MAX_CHOICES = 50


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """(start, end) if valid, else the last twelve months."""
        if self.is_bound and self.is_valid() and (self.cleaned_data["start"] or self.cleaned_data["end"]):
            return self.cleaned_data["start"], self.cleaned_data["end"]
        today = timezone.localdate()
        return today - datetime.timedelta(days=365), today


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Suggestion.Status.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Suggestion.Kind.choices, empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All")
    )
    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=None, empty_label=_("All"))
    station = django_filters.ModelChoiceFilter(label=_("Liaison station"), queryset=None, empty_label=_("All"))
    station_name = django_filters.CharFilter(label=_("Liaison station"), method="filter_station_name")
    unit = django_filters.ModelChoiceFilter(
        label=_("Handling unit"), queryset=None, empty_label=_("All"), method="filter_unit"
    )
    unit_name = django_filters.CharFilter(label=_("Handling unit"), method="filter_unit_name")
    overdue = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[("overdue", _("Overdue")), ("due_soon", _("Due within 7 days"))],
        empty_label=_("All"),
        method="filter_overdue",
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"),
        field_name="submitted_at",
        lookup_expr="date__range",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Suggestion
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = Station.objects.filter(access.station_scope_q(user)).order_by("path")
        units = HandlingUnit.objects.filter(is_active=True).order_by("name")
        townships = Division.objects.filter(pk__in=access.suggestions_reviewable(user).values("township_id")).order_by(
            "path"
        )
        self.filters["township"].queryset = townships
        # A select when there are few; a name search when there are many.
        if stations.count() > MAX_CHOICES:
            del self.filters["station"]
        else:
            del self.filters["station_name"]
            self.filters["station"].queryset = stations
        if units.count() > MAX_CHOICES:
            del self.filters["unit"]
        else:
            del self.filters["unit_name"]
            self.filters["unit"].queryset = units

    @staticmethod
    def _lead_of(q: Q):
        return Assignment.objects.filter(q, role=Assignment.Role.LEAD).values("suggestion_id")

    def filter_unit(self, queryset, name, value):
        return queryset.filter(pk__in=self._lead_of(Q(unit=value))) if value else queryset

    def filter_unit_name(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(pk__in=self._lead_of(Q(unit__name__contains=value))) if value else queryset

    def filter_station_name(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(station__name__contains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(status=Suggestion.Status.ASSIGNED, due_on__lt=today)
        if value == "due_soon":
            return queryset.filter(
                status=Suggestion.Status.ASSIGNED, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7)
            )
        return queryset
