"""The action forms of a suggestion's staff page. Each carries the `version` the page was opened
on, so an action over a newer change is refused by the service (and changes nothing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.models import User
from liaison.widgets import SearchChoiceField, SearchMultipleChoiceField
from suggestions.models import HandlingUnit, Suggestion
from suggestions.selectors import staff as selectors

NOTE_MAX = 500


class ActionForm(forms.Form):
    """An action on one suggestion; `version` is the one the page showed."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("This page is out of date: reload it and try again."),
            "invalid": _("This page is out of date: reload it and try again."),
            "min_value": _("This page is out of date: reload it and try again."),
        },
    )

    def __init__(self, *args, user=None, suggestion: Suggestion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.suggestion = suggestion
        if suggestion is not None and not self.is_bound:
            self.initial.setdefault("version", suggestion.version)


class AcceptForm(ActionForm):
    pass


class DeclineForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (the voter sees it)"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettleForm(ActionForm):
    note = forms.CharField(label=_("How it was settled"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(ActionForm):
    note = forms.CharField(label=_("Closing note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ActionForm):
    into = SearchChoiceField(
        queryset=Suggestion.objects.none(),
        kind="suggestions",
        label=_("Merge into"),
        error_messages={"invalid_choice": _("Choose an open suggestion from the search results.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            targets = selectors.merge_targets(user=self.user)
            if self.suggestion is not None:
                targets = targets.exclude(pk=self.suggestion.pk)
                self.fields["into"].widget.extra = f"exclude={self.suggestion.pk}"
            self.fields["into"].queryset = targets


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(queryset=HandlingUnit.objects.none(), label=_("Lead unit"))
    co_units = forms.ModelMultipleChoiceField(
        queryset=HandlingUnit.objects.none(),
        label=_("Co-handlers (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.handling_units()
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        # Above a few dozen units the lead unit is a search field (co-handlers stay a short list
        # only while there are few of them).
        if units.count() > selectors.SELECT_LIMIT:
            self.fields["lead_unit"] = SearchChoiceField(queryset=units, kind="suggestion_units", label=_("Lead unit"))
            self.fields["co_units"] = SearchMultipleChoiceField(
                queryset=units, kind="suggestion_units", label=_("Co-handlers (optional)"), required=False
            )

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_unit")
        co = cleaned.get("co_units") or []
        if lead is not None and lead in co:
            self.add_error("co_units", _("The lead unit cannot also be a co-handler."))
        return cleaned


class PhoneRatingForm(ActionForm):
    value = forms.ChoiceField(label=_("The voter's rating"), choices=Suggestion.Satisfaction.choices)
    comment = forms.CharField(label=_("What the voter said"), max_length=NOTE_MAX, required=False)


class RepresentativeRatingForm(ActionForm):
    value = forms.ChoiceField(
        label=_("Your rating of the answer"), choices=Suggestion.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecideForm(ActionForm):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=(("1", _("Approve")), ("0", _("Refuse"))),
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class SupervisionStartForm(ActionForm):
    supervisor = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Supervisor"))
    next_check_on = forms.DateField(label=_("Next check"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = selectors.supervisors()
        if not self.is_bound and self.user is not None:
            self.initial.setdefault("supervisor", self.user.pk)


class SupervisionEndForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)
