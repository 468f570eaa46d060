"""Intake forms: the officer's form, a raised reception item turned into a suggestion, a
representative's proposal with co-signers, a co-signer's answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.models import Station
from liaison.widgets import SearchChoiceField, SearchMultipleChoiceField
from representatives.models import Representative
from suggestions.models import Category
from suggestions.selectors import staff as selectors


class SuggestionCreateForm(forms.Form):
    """The station's own registration of a voter's opinion (source: the station)."""

    station = forms.ModelChoiceField(queryset=Station.objects.none(), label=_("Liaison station"))
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=100)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    voter = SearchChoiceField(
        queryset=None,
        kind="suggestion_voters",
        label=_("Voter (optional)"),
        required=False,
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    publish_consent = forms.BooleanField(label=_("The voter agrees that the answer may be published"), required=False)
    representative = SearchChoiceField(
        queryset=None,
        kind="suggestion_representatives",
        label=_("Receiving representative (optional)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = selectors.list_stations(user=user)
        self.fields["station"].queryset = stations
        if stations.count() > selectors.SELECT_LIMIT:
            self.fields["station"] = SearchChoiceField(
                queryset=stations, kind="suggestion_stations", label=_("Liaison station")
            )
        elif not self.is_bound and len(stations) == 1:
            self.initial.setdefault("station", stations[0].pk)
        self.fields["category"].queryset = selectors.categories_active()
        self.fields["voter"].queryset = selectors.voter_choices(user=user)
        self.fields["representative"].queryset = selectors.receiving_representatives(user=user)


class RaisedItemConvertForm(forms.Form):
    """One step: a raised item becomes a suggestion."""

    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    title = forms.CharField(label=_("Title (optional)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories_active()


class ProposalForm(forms.Form):
    """A representative's own proposal (代表建议), with the representatives asked to co-sign."""

    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=100)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    cosigners = SearchMultipleChoiceField(
        queryset=Representative.objects.none(),
        kind="suggestion_cosigners",
        label=_("Co-signers (optional)"),
        required=False,
        help_text=_("Tap a name to ask them to co-sign; they confirm on their own page."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories_active()
        self.fields["cosigners"].queryset = selectors.cosigner_candidates(lead=selectors.own_representative(user=user))


class CosignResponseForm(forms.Form):
    confirm = forms.TypedChoiceField(
        choices=(("1", _("Co-sign")), ("0", _("Decline"))), coerce=lambda value: value == "1"
    )
