from django import forms
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.edit_conflicts import VersionedFormMixin
from liaison.models import Division
from liaison.widgets import SearchChoiceField, search_field
from voters.models import Household, Voter
from voters.services.people import HOUSEHOLD_FIELDS, VOTER_FIELDS


def _grassroots(user):
    return access.divisions_visible(user).filter(kind__in=Division.GRASSROOTS_LEVEL)


PLACE_FIELDS = {
    "station": search_field("stations", scope="voter"),
    "division": search_field("divisions", params={"kinds": "grassroots"}),
}


class VoterForm(VersionedFormMixin, forms.ModelForm):
    """Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts)."""

    version_fields = VOTER_FIELDS
    household = SearchChoiceField(
        queryset=Household.objects.none(),
        kind="households",
        required=False,
        label=_("Household"),
    )

    class Meta:
        model = Voter
        fields = ["name", "phone", "station", "division", "address", "household", "consents_to_contact", "note"]
        field_classes = PLACE_FIELDS
        error_messages = {
            "name": {"required": _("Enter the voter's name.")},
            "station": {"required": _("Choose the liaison station.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = access.voter_stations(user)
        self.fields["division"].queryset = _grassroots(user)
        self.fields["household"].queryset = access.households_visible(user)
        self.fields["phone"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["consents_to_contact"].help_text = _(
            "Ask the voter. Who recorded the answer, and when, is kept with the record."
        )
        if self.instance.pk:
            self.add_version_field(self.instance)

    def _get_validation_exclusions(self):
        # The service checks the phone for duplicates (and says whose it is, or that it is
        # elsewhere); the model's constraint would only say "invalid".
        return {*super()._get_validation_exclusions(), "phone"}


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    """Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts)."""

    version_fields = HOUSEHOLD_FIELDS
    class Meta:
        model = Household
        fields = ["head_name", "address", "station", "division", "member_count", "note"]
        field_classes = PLACE_FIELDS
        error_messages = {
            "head_name": {"required": _("Enter the name of the head of household.")},
            "address": {"required": _("Enter the address.")},
            "station": {"required": _("Choose the liaison station.")},
            "division": {"required": _("Choose a village or a community.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = access.voter_stations(user)
        self.fields["division"].queryset = _grassroots(user)
        if self.instance.pk:
            self.add_version_field(self.instance)
