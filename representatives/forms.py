from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access
from liaison.edit_conflicts import VersionedFormMixin
from liaison.models import Division
from liaison.widgets import SearchChoiceField, search_field
from representatives.models import (
    GroupMembership,
    MobileRegisterEntry,
    PerformanceKind,
    Representative,
    RepresentativeGroup,
)
from representatives.selectors.mobile_register import register_communities, register_station_choices
from representatives.services.groups import GROUP_FIELDS
from representatives.services.mobile_register import REGISTER_FIELDS
from representatives.services.mobile_register import VERSIONED_FIELDS as REGISTER_VERSIONED_FIELDS
from representatives.services.roster import VERSIONED_FIELDS as ROSTER_VERSIONED_FIELDS


class RepresentativeForm(VersionedFormMixin, forms.ModelForm):
    """The roster fields; the congress follows from the level and the district's township.

    Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts).
    """

    version_fields = ROSTER_VERSIONED_FIELDS
    version_form_fields = {"specialties": "specialties_text"}

    specialties_text = forms.CharField(
        label=_("Specialties"),
        required=False,
        help_text=_("Separate with 、 or commas, for example 法律、农业."),
    )

    class Meta:
        model = Representative
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_year",
            "phone",
            "level",
            "term",
            "electoral_district",
            "district_township",
            "home_station",
            "residence_division",
            "residence_address",
            "occupation",
        ]
        field_classes = {
            "home_station": search_field("stations", scope="changeable", params={"active": "1"}),
            "district_township": search_field("divisions", scope="choosable", params={"kinds": "township"}),
            "residence_division": search_field("divisions", scope="choosable", params={"kinds": "below_county"}),
        }
        error_messages = {
            "name": {"required": _("Enter the representative's name.")},
            "gender": {"required": _("Choose the gender.")},
            "level": {"required": _("Choose the level.")},
            "term": {"required": _("Enter the term, for example 第十八届.")},
            "electoral_district": {"required": _("Enter the electoral district.")},
            "district_township": {"required": _("Choose the township of the electoral district.")},
            "home_station": {"required": _("Choose the liaison station.")},
            "residence_division": {"required": _("Choose where the representative lives.")},
            "birth_year": {"invalid": _("Enter the birth year as four digits.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = access.stations_changeable(user).filter(is_active=True)
        if self.instance.pk:
            stations = stations | access.stations_visible(user).filter(pk=self.instance.home_station_id)
        self.fields["home_station"].queryset = stations.order_by("path")
        divisions = access.divisions_choosable(user)
        self.fields["district_township"].queryset = divisions.filter(kind__in=Division.TOWNSHIP_LEVEL)
        self.fields["residence_division"].queryset = divisions.exclude(kind=Division.Kind.COUNTY)
        self.fields["phone"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if self.instance.pk:
            self.fields["specialties_text"].initial = "、".join(s.name for s in self.instance.specialties.all())
            self.add_version_field(self.instance)

    def _get_validation_exclusions(self):
        # A taken phone number is the service's to report: in plain Chinese, and without naming a
        # representative outside the user's scope (the model's constraint would say neither).
        return {*super()._get_validation_exclusions(), "phone"}

    def clean_specialties_text(self):
        from representatives.services.roster import validate_specialties
        from representatives.text import split_specialties

        names = split_specialties(self.cleaned_data["specialties_text"])
        try:
            validate_specialties(names)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["specialties"]) from exc
        return names


class EndServiceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the service ended"),
        choices=[(Representative.Status.RESIGNED, _("Resigned")), (Representative.Status.TERMINATED, _("Terminated"))],
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LinkUserForm(forms.Form):
    username = forms.CharField(
        label=_("User name of the sign-in account"),
        max_length=150,
        error_messages={"required": _("Enter the user name of the account.")},
    )


class CorrectionForm(forms.Form):
    """A representative proposes new values for their own record (shown with the current ones)."""

    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=20)
    residence_address = forms.CharField(label=_("Residential address"), required=False, max_length=200)
    occupation = forms.CharField(label=_("Employer and position"), required=False, max_length=200)
    specialties_text = forms.CharField(
        label=_("Specialties"),
        required=False,
        max_length=200,
        help_text=_("Separate with 、 or commas, for example 法律、农业."),
    )
    message = forms.CharField(
        label=_("Anything else to correct"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    @staticmethod
    def initial_for(representative) -> dict:
        from representatives.selectors.corrections import correction_current_values

        values = correction_current_values(representative)
        values["specialties_text"] = "、".join(values.pop("specialties"))
        return values

    def proposed(self) -> dict:
        """The values sent (a field left out of the request is no proposal; one emptied is)."""
        names = {"phone": "phone", "residence_address": "residence_address", "occupation": "occupation"}
        names["specialties"] = "specialties_text"
        return {name: self.cleaned_data[field] for name, field in names.items() if field in self.data}


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")], required=False)
    fields = forms.MultipleChoiceField(choices=[], required=False)
    reason = forms.CharField(
        label=_("Reason (needed for values not applied)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, correction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(name, name) for name in correction.proposed]


class GroupForm(VersionedFormMixin, forms.ModelForm):
    """Editing, it opens with the stored values and carries them as its version (liaison.edit_conflicts)."""

    version_fields = GROUP_FIELDS

    class Meta:
        model = RepresentativeGroup
        fields = ["name", "kind", "station", "specialty", "description"]
        field_classes = {
            "station": search_field("stations", scope="changeable", params={"active": "1"}),
            "specialty": search_field("specialties"),
        }
        error_messages = {"name": {"required": _("Enter the group's name.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = access.stations_changeable(user).filter(is_active=True)
        if self.instance.pk:
            # The group's own station stays selectable (saving unchanged works), even if deactivated.
            stations = stations | access.stations_changeable(user).filter(pk=self.instance.station_id)
            self.add_version_field(self.instance)
        self.fields["station"].queryset = stations.order_by("path")


class GroupMemberForm(forms.Form):
    """Choose a serving representative by name; the list holds those the user can see."""

    representative = SearchChoiceField(
        kind="representatives",
        scope="serving",
        label=_("Representative"),
        queryset=Representative.objects.none(),
        error_messages={"required": _("Choose a representative."), "invalid_choice": _("Choose a representative.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices, initial=GroupMembership.Role.MEMBER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = access.representatives_visible(user).filter(
            status=Representative.Status.SERVING
        )


# --- The mobile register ---------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    """Filters of the register list; a bad value is ignored rather than an error page."""

    q = forms.CharField(label=_("Representative"), required=False, max_length=50)
    origin = SearchChoiceField(
        kind="stations", scope="register_origin", label=_("Origin station"), required=False, empty_label=_("All")
    )
    host = SearchChoiceField(
        kind="stations", scope="register_host", label=_("Host station"), required=False, empty_label=_("All")
    )
    verified = forms.ChoiceField(
        label=_("Check-in verified"),
        required=False,
        choices=[("", _("All")), ("yes", _("Verified")), ("no", _("Not verified"))],
    )
    side = forms.ChoiceField(
        label=_("Our station is"),
        required=False,
        choices=[("", _("All")), ("origin", _("Origin")), ("host", _("Host"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        origins, hosts = register_station_choices(user=user)
        self.fields["origin"].queryset = origins
        self.fields["host"].queryset = hosts

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        verified = {"yes": True, "no": False}.get(data["verified"])
        return {
            "search": data["q"].strip(),
            "origin_station": data["origin"].pk if data["origin"] else None,
            "host_station": data["host"].pk if data["host"] else None,
            "verified": verified,
            "side": data["side"],
        }


class RegisterEntryForm(VersionedFormMixin, forms.Form):
    """The editable fields of an entry; the community is a village or community of the host's area.

    It opens with the entry's stored values and carries them as its version (liaison.edit_conflicts).
    The mobile phone is not here: it is kept on the roster record only (docs/architecture.md).
    """

    version_fields = REGISTER_VERSIONED_FIELDS

    community = SearchChoiceField(
        kind="divisions", scope="community", label=_("Community checked in to"), required=False
    )
    checked_in_on = forms.DateField(
        label=_("Checked in on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact = forms.CharField(
        label=_("Other contact"),
        required=False,
        max_length=100,
        help_text=_(
            "The mobile phone is kept on the roster record. Note here any other way to reach them where they live now."
        ),
    )
    specialties_note = forms.CharField(label=_("Specialties"), required=False, max_length=200)
    role_played = forms.CharField(label=_("Role played"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entry: MobileRegisterEntry, **kwargs):
        # The stored values, whatever `initial` the caller passes (FormView passes an empty one).
        stored = {name: getattr(entry, name) for name in REGISTER_FIELDS}
        stored["community"] = entry.community_id
        kwargs["initial"] = {**stored, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = register_communities(entry=entry)
        self.fields["community"].widget.params["entry"] = entry.pk
        self.add_version_field(entry)

    def entry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REGISTER_FIELDS}


class JointMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("Meeting notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


# --- Performance records, points rules, report-backs ------------------------------------------


class PerformanceRecordForm(forms.Form):
    """A duty added by hand; the representative is given by the page (its id in the URL)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PerformanceKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What was done"), max_length=200)
    points = forms.CharField(
        label=_("Points"), required=False, help_text=_("Only for other duties; the other kinds follow the rules.")
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPG or PNG, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class PointsRuleSetForm(forms.Form):
    """One points and one yearly cap field per kind of duty (checked by the service)."""

    valid_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = rules or {}
        for kind, label in PerformanceKind.choices:
            points, cap = rules.get(kind, (None, None))
            self.fields[f"points_{kind}"] = forms.CharField(label=label, initial=points, max_length=10)
            self.fields[f"cap_{kind}"] = forms.CharField(
                label=_("Yearly cap"), initial=cap, required=False, max_length=10
            )

    def rules(self) -> dict:
        data = self.cleaned_data
        return {kind: (data.get(f"points_{kind}"), data.get(f"cap_{kind}")) for kind in PerformanceKind.values}

    def rows(self):
        return [(label, self[f"points_{kind}"], self[f"cap_{kind}"]) for kind, label in PerformanceKind.choices]


class ReportBackHeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendees = forms.IntegerField(label=_("Voters present"), min_value=0)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, initial=0)
    partly = forms.IntegerField(label=_("Partly satisfied"), min_value=0, initial=0)
    unsatisfied = forms.IntegerField(label=_("Unsatisfied"), min_value=0, initial=0)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationComputeForm(forms.Form):
    """Compute (or recompute) a congress's evaluation draft for a year."""

    congress = SearchChoiceField(
        label=_("Congress"), kind="divisions", scope="congresses", placeholder=_("Search a county or township")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = access.evaluation_congresses(user)
