"""Forms of the reception pages: few fields, each a clear Chinese message when wrong."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.widgets import SearchChoiceField, SearchMultipleChoiceField
from voters.models import Visit
from voters.models.reception import DEFAULT_NOTICE_DAYS
from voters.services.reception import Frequency


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class ScheduleForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Repeat"),
        choices=[
            (Frequency.ONCE, _("Once")),
            (Frequency.WEEKLY, _("Every week")),
            (Frequency.MONTHLY, _("Every month on a day")),
        ],
        initial=Frequency.ONCE,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Date (the first date of a series)"), widget=DateInput)
    until = forms.DateField(label=_("Last date of the series"), required=False, widget=DateInput)
    day_of_month = forms.IntegerField(label=_("Day of the month"), required=False, min_value=1, max_value=31)
    months = forms.ChoiceField(
        label=_("Months"),
        choices=[("all", _("Every month")), ("odd", _("Odd months")), ("even", _("Even months"))],
        initial="all",
        required=False,
    )
    starts_at = forms.TimeField(label=_("Starts at"), initial=datetime.time(9, 0), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends at"), initial=datetime.time(11, 0), widget=TimeInput)
    theme = forms.CharField(label=_("Theme"), max_length=100, required=False)
    notice_days = forms.IntegerField(
        label=_("Publish the notice this many days ahead"), initial=DEFAULT_NOTICE_DAYS, min_value=0, max_value=60
    )
    duty_representatives = SearchMultipleChoiceField(
        label=_("Duty representatives"), queryset=None, required=False, kind="representatives", scope="duty"
    )

    def __init__(self, *args, candidates, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_representatives"].queryset = candidates
        if station is not None:
            self.fields["duty_representatives"].widget.params["station"] = station.pk


class ReceptionStationForm(forms.Form):
    """The station of a reception page (calendar filter, scheduling, inviting): searched, never listed."""

    station = SearchChoiceField(label=_("Station"), queryset=None, kind="stations", scope="reception")

    def __init__(self, *args, user, empty_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["station"]
        field.queryset = access.reception_stations(user)
        if empty_label:
            field.required = False
            field.widget.empty_label = empty_label


class DutyInviteForm(forms.Form):
    representative = SearchChoiceField(label=_("Representative"), queryset=None, kind="representatives", scope="duty")

    def __init__(self, *args, day, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = candidates
        self.fields["representative"].widget.params["station"] = day.station_id


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class HeldForm(forms.Form):
    visitor_count = forms.IntegerField(label=_("How many visitors came"), min_value=0, max_value=10000)
    summary = forms.CharField(label=_("Summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    phone = forms.CharField(
        label=_("Visitor's mobile (empty: anonymous)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Visitor's name (for a new visitor)"), required=False, max_length=50)
    received_by = forms.TypedChoiceField(
        label=_("Received by"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Visit.Outcome.choices, initial=Visit.Outcome.FOLLOW_UP, widget=forms.RadioSelect
    )

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_by"].choices = [("", "—")] + [(rep.pk, rep.name) for rep in receivers]
