from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.widgets import SearchChoiceField
from representatives.models import Representative


class GridLinkForm(forms.Form):
    """Link a township representative to the county representative of the page."""

    township_representative = SearchChoiceField(
        queryset=Representative.objects.none(),
        kind="representatives",
        scope="grid",
        label=_("Township representative"),
        error_messages={"required": _("Search and choose a township representative.")},
    )

    def __init__(self, *args, user, county_representative, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["township_representative"]
        field.queryset = access.grid_representatives(user).filter(level=Representative.Level.TOWNSHIP)
        field.widget.params.update(level="township", township=county_representative.district_township_id)


class HouseholdLinkForm(forms.Form):
    household = SearchChoiceField(
        queryset=None,
        kind="households",
        label=_("Household"),
        error_messages={"required": _("Search and choose a household.")},
    )

    def __init__(self, *args, user, representative, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        field.queryset = access.households_changeable(user)
        field.widget.scope = "changeable"
        field.widget.params.update(township=representative.district_township_id, unlinked="1")


class HouseholdVisitForm(forms.Form):
    household = SearchChoiceField(
        queryset=None,
        kind="households",
        label=_("Household"),
        error_messages={"required": _("Search and choose a household.")},
    )
    representative = SearchChoiceField(
        queryset=None,
        kind="representatives",
        scope="grid",
        label=_("Representative"),
        error_messages={"required": _("Search and choose a representative.")},
    )
    visited_on = forms.DateField(
        label=_("Date of visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date of the visit."), "invalid": _("Enter a valid date.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = access.households_visible(user)
        self.fields["representative"].queryset = access.grid_representatives(user)
        self.fields["visited_on"].initial = timezone.localdate


class OwnHouseholdVisitForm(forms.Form):
    """A representative logs a visit to one of their own households (few fields, big targets)."""

    household = forms.ModelChoiceField(
        queryset=None,
        label=_("Household"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the household you visited.")},
    )
    visited_on = forms.DateField(
        label=_("Date of visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date of the visit."), "invalid": _("Enter a valid date.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A representative's own households: 10-20 of them, so a short list of choices.
        self.fields["household"].queryset = access.own_grid_households(user).select_related("division")
        self.fields["household"].label_from_instance = lambda h: f"{h.head_name}（{h.division.name}{h.address}）"
        self.fields["visited_on"].initial = timezone.localdate
