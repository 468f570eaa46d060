from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.activities.services.activities import ACTIVITY_FIELDS
from liaison.activities.services.funds import parse_amount
from liaison.edit_conflicts import VersionedFormMixin
from liaison.models import Activity, FundPurpose
from liaison.widgets import SearchChoiceField, SearchMultipleChoiceField, search_field

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class AmountField(forms.CharField):
    """An amount in yuan read as an exact Decimal (never a float), with a Chinese error."""

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off")

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return value
        try:
            return parse_amount(value, allow_zero=self.allow_zero)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["amount"]) from exc


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class ActivityForm(VersionedFormMixin, forms.ModelForm):
    """Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts)."""

    version_fields = ACTIVITY_FIELDS
    planned_amount = AmountField(label=_("Planned amount (yuan)"), required=False, allow_zero=True)

    class Meta:
        model = Activity
        fields = ["station", "kind", "title", "starts_at", "ends_at", "location", "description", "planned_amount"]
        field_classes = {"station": search_field("stations", scope="activity")}
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Enter the activity's title.")},
            "station": {"required": _("Choose the station.")},
            "kind": {"required": _("Choose the kind of activity.")},
            "starts_at": {"required": _("Enter when it starts."), "invalid": _("Enter a date and time.")},
            "ends_at": {"invalid": _("Enter a date and time.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = access.activity_stations(user)
        if self.instance.pk:
            stations = stations | access.stations_visible(user).filter(pk=self.instance.station_id)
        self.fields["station"].queryset = stations
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.add_version_field(self.instance)

    def clean_planned_amount(self):
        return self.cleaned_data["planned_amount"] or 0


class InviteForm(forms.Form):
    stations = SearchMultipleChoiceField(
        label=_("All serving representatives of these stations (and their points)"),
        queryset=None,
        required=False,
        kind="stations",
        scope="activity",
        params={"points": "0"},
    )
    groups = SearchMultipleChoiceField(
        label=_("All members of these groups"), queryset=None, required=False, kind="groups"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A user's own stations and groups are few (an officer's station and its points).
        self.fields["stations"].queryset = access.activity_stations(user).exclude(kind="point")
        self.fields["groups"].queryset = access.groups_visible(user)
        if not self.fields["groups"].queryset.exists():
            del self.fields["groups"]


class BudgetForm(forms.Form):
    station = SearchChoiceField(
        label=_("Liaison station"),
        queryset=None,
        kind="stations",
        scope="activity",
        error_messages={"required": _("Choose the station.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Enter a year such as 2026."),
            "invalid": _("Enter a year such as 2026."),
            "min_value": _("Enter a year such as 2026."),
            "max_value": _("Enter a year such as 2026."),
        },
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=FundPurpose.choices, initial=FundPurpose.GENERAL)
    amount = AmountField(label=_("Budget (yuan)"), allow_zero=True, error_messages={"required": _("Enter the amount.")})
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = access.activity_stations(user)
        self.fields["year"].initial = timezone.localdate().year


class ExpenseForm(forms.Form):
    amount = AmountField(label=_("Amount (yuan)"), error_messages={"required": _("Enter the amount.")})
    purpose = forms.ChoiceField(label=_("Purpose"), choices=FundPurpose.choices, initial=FundPurpose.GENERAL)
    spent_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        error_messages={"required": _("Enter the date of the expense."), "invalid": _("Enter a date.")},
    )
    note = forms.CharField(label=_("What it paid for"), max_length=200, required=False)
    receipt = forms.FileField(
        label=_("Receipt (PDF, JPG or PNG, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
