from django import forms
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.edit_conflicts import VersionedFormMixin
from liaison.models import Station
from liaison.services import STATION_FIELDS
from liaison.widgets import search_field


class StationForm(VersionedFormMixin, forms.ModelForm):
    """Station fields; choices limited to what the user may use. Rules live in the service.

    Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts).
    """

    version_fields = STATION_FIELDS

    class Meta:
        model = Station
        fields = [
            "name",
            "kind",
            "in_county_town",
            "parent",
            "division",
            "address",
            "opening_hours",
            "phone",
            "officer",
            "slug",
        ]
        field_classes = {
            "parent": search_field("stations", scope="changeable", params={"active": "1", "points": "0"}),
            "division": search_field("divisions"),
            "officer": search_field("officers"),
        }
        error_messages = {
            "name": {"required": _("Enter the station's name.")},
            "slug": {
                "required": _("Enter a public address."),
                "invalid": _("Use only letters, digits, hyphens and underscores in the public address."),
                "unique": _("This public address is already used by another station."),
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parent_qs = access.stations_changeable(user).filter(is_active=True).exclude(kind=Station.Kind.POINT)
        if self.instance.pk:
            # The current parent stays selectable even if it lies outside the user's scope.
            parent_qs = parent_qs | Station.objects.filter(pk=self.instance.parent_id)
        self.fields["parent"].queryset = parent_qs
        self.fields["division"].queryset = access.divisions_visible(user)
        self.fields["officer"].queryset = access.officer_candidates(user, current=self.instance.officer_id)
        self.fields["name"].strip = True
        if self.instance.pk:
            self.add_version_field(self.instance)

    def clean_slug(self):
        return self.cleaned_data["slug"].lower()
