"""The staff list's filters (django-filter), over the suggestions the user's stations keep."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.widgets import SearchChoiceWidget
from suggestions.models import Category, Suggestion
from suggestions.selectors import staff as selectors

YES_NO_ALL = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class SuggestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tracking code or title"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Suggestion.Status.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Suggestion.Kind.choices, empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=None, empty_label=_("All"))
    station = django_filters.ModelChoiceFilter(label=_("Liaison station"), queryset=None, empty_label=_("All"))
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    due_soon = django_filters.BooleanFilter(
        label=_("Due within 7 days"), method="filter_due_soon", widget=django_filters.widgets.BooleanWidget()
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"),
        field_name="submitted_at__date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Suggestion
        fields = ["q", "status", "kind", "category", "station", "overdue", "due_soon", "submitted"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["category"].queryset = Category.objects.order_by("position", "pk")
        stations = selectors.list_stations(user=user)
        station_field = self.filters["station"]
        station_field.queryset = stations
        # A county has hundreds of stations and points: then the filter is a search field.
        self.station_is_search = stations.count() > selectors.SELECT_LIMIT
        if self.station_is_search:
            widget = SearchChoiceWidget("suggestion_stations")
            widget.queryset = stations
            widget.empty_label = _("All")
            station_field.extra["widget"] = widget
        for name in ("overdue", "due_soon"):
            self.filters[name].field.widget.choices = YES_NO_ALL

    def filter_search(self, queryset, name, value):
        return queryset.filter(selectors.code_or_title_q(value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.overdue_q()) if value else queryset.exclude(selectors.overdue_q())

    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.due_soon_q()) if value else queryset.exclude(selectors.due_soon_q())


def suggestion_filter(*, user, params) -> SuggestionFilter:
    """The staff list's filters bound to the request's query."""
    return SuggestionFilter(params or None, queryset=selectors.suggestions_listed(user=user), user=user)
