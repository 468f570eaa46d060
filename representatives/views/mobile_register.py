"""Pages of the mobile register, joint meetings, the half-yearly refresh and the mobility report."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.edit_conflicts import EditConflict, EditConflictViewMixin, VersionedFormMixin, conflict_form
from liaison.ids import parse_id
from liaison.models import Division, Station
from liaison.privacy import shown_contact, shown_phone
from representatives.models import MobileRegisterEntry, RefreshCampaign, RefreshConfirmation
from representatives.selectors import mobile_register as selectors
from representatives.services import mobile_register as services
from representatives.services.exports import text_cell

# --- Forms -----------------------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    """Filters of the register list; a bad value is ignored rather than an error page."""

    q = forms.CharField(label=gettext_lazy("Representative"), required=False, max_length=50)
    origin = forms.ModelChoiceField(
        label=gettext_lazy("Origin station"), queryset=Station.objects.none(), required=False
    )
    host = forms.ModelChoiceField(label=gettext_lazy("Host station"), queryset=Station.objects.none(), required=False)
    verified = forms.ChoiceField(
        label=gettext_lazy("Check-in verified"),
        required=False,
        choices=[("", gettext_lazy("All")), ("yes", gettext_lazy("Verified")), ("no", gettext_lazy("Not verified"))],
    )
    side = forms.ChoiceField(
        label=gettext_lazy("Our station is"),
        required=False,
        choices=[("", gettext_lazy("All")), ("origin", gettext_lazy("Origin")), ("host", gettext_lazy("Host"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        origins, hosts = selectors.register_station_choices(user=user)
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

    version_fields = services.VERSIONED_FIELDS

    community = forms.ModelChoiceField(
        label=gettext_lazy("Community checked in to"), queryset=Division.objects.none(), required=False
    )
    checked_in_on = forms.DateField(
        label=gettext_lazy("Checked in on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact = forms.CharField(
        label=gettext_lazy("Other contact"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "The mobile phone is kept on the roster record. Note here any other way to reach them where they live now."
        ),
    )
    specialties_note = forms.CharField(label=gettext_lazy("Specialties"), required=False, max_length=200)
    role_played = forms.CharField(
        label=gettext_lazy("Role played"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, entry: MobileRegisterEntry, **kwargs):
        # The stored values, whatever `initial` the caller passes (FormView passes an empty one).
        stored = {name: getattr(entry, name) for name in services.REGISTER_FIELDS}
        stored["community"] = entry.community_id
        kwargs["initial"] = {**stored, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        host_division = entry.host_station.division
        communities = Division.objects.filter(kind__in=Division.GRASSROOTS_LEVEL)
        if host_division.kind != Division.Kind.COUNTY:
            communities = communities.filter(path__startswith=host_division.path)
        self.fields["community"].queryset = communities.order_by("path")
        self.add_version_field(entry)

    def entry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.REGISTER_FIELDS}


class JointMeetingForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(
        label=gettext_lazy("Meeting notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- The register ----------------------------------------------------------------------------


class RegisterFilterMixin:
    def filter_form(self) -> RegisterFilterForm:
        return RegisterFilterForm(self.request.GET or None, user=self.request.user)

    def querystring(self) -> str:
        params = {key: value for key, value in self.request.GET.items() if key != "page" and value}
        return urlencode(params)


class RegisterListView(access.CapabilityRequiredMixin, RegisterFilterMixin, TemplateView):
    """The register as the user's stations keep it: both origin and host list an entry."""

    capability = "roster"
    template_name = "representatives/register_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = self.filter_form()
        entries = selectors.register_entry_list(user=user, **form.selector_kwargs())
        page_obj = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        for entry in page_obj.object_list:
            # The roster's phone and the other contact, as this user may read them (the name is kept
            # for the template: masked unless access.sees_full_phones).
            entry.contact_masked = "；".join(filter(None, entry_contacts(user, entry)))
        year = timezone.localdate().year
        context.update(
            form=form,
            page_obj=page_obj,
            entries=page_obj.object_list,
            querystring=self.querystring(),
            pairs=selectors.joint_meeting_pairs(user=user, year=year),
            year=year,
            export_stations=selectors.register_export_stations(user=user),
            # County-wide users hold every entry on both sides: the column would say nothing.
            show_side=not access.is_county_wide(user),
        )
        return context


def entry_contacts(user, entry: MobileRegisterEntry) -> tuple[str, str]:
    """(mobile phone from the roster, other contact) as this user may read them.

    The phone belongs to the representative, kept by their home station (the entry's origin):
    access.sees_full_phones decides, on every page and in every export of the register.
    """
    full = access.sees_full_phones(user, entry.origin_station, owner_id=entry.representative.user_id)
    return shown_phone(entry.representative.phone, full=full), shown_contact(entry.contact, full=full)


class RegisterPrintView(RegisterListView):
    """Every matching entry on one page, laid out for paper (the browser's print dialog)."""

    template_name = "representatives/register_print.html"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        form = self.filter_form()
        entries = list(selectors.register_entry_list(user=self.request.user, **form.selector_kwargs()))
        for entry in entries:
            entry.phone_shown, entry.contact_shown = entry_contacts(self.request.user, entry)
        context.update(form=form, entries=entries, printed_at=timezone.localtime())
        return context


EXPORT_HEADERS = (
    "序号",
    "姓名",
    "代表层级",
    "届次",
    "流出地联络站",
    "流入地联络站",
    "报到社区",
    "报到日期",
    "核实人",
    "核实时间",
    "手机号码",
    "其他联系方式",
    "专长",
    "发挥作用情况",
    "本站角色",
)


class RegisterExportView(access.CapabilityRequiredMixin, RegisterFilterMixin, View):
    """The register of one station (as origin and as host) as .xlsx; without a station, the
    current filtered list."""

    capability = "roster"

    def get(self, request):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        user = request.user
        kwargs = self.filter_form().selector_kwargs()
        station = None
        station_id = request.GET.get("station", "")
        if station_id:
            if not parse_id(station_id):
                return redirect("representatives:register")
            station = (
                Station.objects.filter(access.station_scope_q(user), pk=parse_id(station_id)).only("pk", "name").first()
            )
            if station is None:
                return redirect("representatives:register")
            kwargs["station"] = station.pk
        entries = selectors.register_entry_list(user=user, **kwargs)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "流动代表登记册"
        sheet.append(EXPORT_HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, entry in enumerate(entries, start=1):
            if station is not None:
                side = [
                    label
                    for label, held in (("流出地", entry.origin_station_id), ("流入地", entry.host_station_id))
                    if held == station.pk
                ]
            else:
                side = [
                    label for label, held in (("流出地", entry.user_is_origin), ("流入地", entry.user_is_host)) if held
                ]
            row = [
                number,
                entry.representative.name,
                entry.representative.get_level_display(),
                entry.representative.term,
                entry.origin_station.name,
                entry.host_station.name,
                entry.community.name if entry.community else "",
                entry.checked_in_on,
                str(entry.verified_by) if entry.verified_by else "",
                timezone.localtime(entry.verified_at).strftime("%Y-%m-%d %H:%M") if entry.verified_at else "",
                *entry_contacts(user, entry),
                entry.specialties_note,
                entry.role_played,
                "、".join(side),
            ]
            # Typed text stays text: no formulas, no characters Excel refuses.
            sheet.append([text_cell(sheet, value) for value in row])
        for column, width in zip(
            "ABCDEFGHIJKLMNO", (6, 10, 14, 10, 18, 18, 14, 12, 10, 17, 14, 16, 20, 30, 10), strict=True
        ):
            sheet.column_dimensions[column].width = width
        buffer = io.BytesIO()
        workbook.save(buffer)
        name = f"流动代表登记册-{station.name if station else '全部'}-{timezone.localdate():%Y%m%d}.xlsx"
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class RegisterEntryMixin(access.CapabilityRequiredMixin):
    capability = "roster"

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):  # else the mixin answers 302/403
            self.entry = selectors.register_entry_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class RegisterDetailView(RegisterEntryMixin, TemplateView):
    template_name = "representatives/register_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entry = self.entry
        entry.phone_shown, entry.contact_shown = entry_contacts(user, entry)
        full_phones = access.sees_full_phones(user, entry.origin_station, owner_id=entry.representative.user_id)
        context.update(
            entry=entry,
            history=selectors.register_entry_history(entry=entry, full_phones=full_phones),
            confirmations=selectors.register_entry_confirmations(entry=entry),
            may_verify=entry.is_active and entry.verified_at is None and services.may_verify_entry(user, entry),
            user_is_origin=Station.objects.filter(access.station_scope_q(user), pk=entry.origin_station_id).exists(),
            user_is_host=Station.objects.filter(access.station_scope_q(user), pk=entry.host_station_id).exists(),
        )
        return context


class RegisterUpdateView(RegisterEntryMixin, EditConflictViewMixin, FormView):
    template_name = "representatives/register_form.html"
    form_class = RegisterEntryForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["entry"] = self.entry
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = self.entry
        return context

    def form_valid(self, form):
        try:
            services.register_entry_update(
                actor=self.request.user, entry=self.entry, opened=form.opened_values(), **form.entry_fields()
            )
        except EditConflict as exc:
            self.entry = selectors.register_entry_get(user=self.request.user, pk=self.entry.pk)
            return self.conflict_response(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The register entry of %(name)s was saved.") % {"name": self.entry})
        return redirect("representatives:register_detail", pk=self.entry.pk)


class RegisterVerifyView(RegisterEntryMixin, View):
    """POST only: the host station confirms the check-in."""

    def post(self, request, pk):
        try:
            services.register_entry_verify(actor=request.user, entry=self.entry)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The check-in of %(name)s is verified.") % {"name": self.entry})
        return redirect("representatives:register_detail", pk=pk)


# --- Joint meetings --------------------------------------------------------------------------


class JointMeetingRecordView(access.CapabilityRequiredMixin, FormView):
    """Record a joint meeting of an origin and a host station (?origin=&host=)."""

    capability = "roster"
    template_name = "representatives/joint_meeting_form.html"
    form_class = JointMeetingForm

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            origin = parse_id(request.GET.get("origin"))
            host = parse_id(request.GET.get("host"))
            if not (origin and host):
                return redirect("representatives:register")
            self.origin, self.host = selectors.joint_meeting_pair_get(
                user=request.user, origin_station=origin, host_station=host
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            origin=self.origin,
            host=self.host,
            meetings=selectors.joint_meeting_list(
                user=self.request.user, origin_station=self.origin.pk, host_station=self.host.pk
            ),
        )
        return context

    def form_valid(self, form):
        try:
            services.joint_meeting_record(
                actor=self.request.user,
                origin_station=self.origin,
                host_station=self.host,
                held_on=form.cleaned_data["held_on"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The joint meeting was recorded."))
        return redirect(reverse("representatives:register") + "#joint-meetings")


# --- The mobility report ---------------------------------------------------------------------


class MobilityReportView(access.CapabilityRequiredMixin, TemplateView):
    capability = "roster"
    template_name = "representatives/mobility_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        terms = selectors.mobility_report_terms(user=user)
        term = self.request.GET.get("term", "")
        if term not in terms:
            term = ""
        context.update(report=selectors.mobility_report(user=user, term=term), terms=terms, term=term)
        return context


# --- The half-yearly refresh -----------------------------------------------------------------


class RefreshListView(access.CapabilityRequiredMixin, TemplateView):
    capability = "roster"
    template_name = "representatives/refresh_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = services.half_year_start(timezone.localdate())
        campaigns = selectors.refresh_campaign_list(user=user)
        context.update(
            campaigns=campaigns,
            may_open=access.has_capability(user, "county_reports"),
            current_period=current,
            current_is_open=any(c.period_start == current for c in campaigns),
        )
        return context


class RefreshOpenView(access.CapabilityRequiredMixin, View):
    """POST only: county staff open the refresh of the current half-year (idempotent)."""

    capability = "county_reports"

    def post(self, request):
        period = services.half_year_start(timezone.localdate())
        existed = RefreshCampaign.objects.filter(period_start=period).exists()
        campaign = services.register_refresh_open(actor=request.user, period_start=period)
        if existed:
            messages.info(request, _("The refresh of %(period)s is already open.") % {"period": campaign})
        else:
            messages.success(request, _("The refresh of %(period)s is open.") % {"period": campaign})
        return redirect(campaign)


class RefreshDetailView(access.CapabilityRequiredMixin, TemplateView):
    """Progress per station and county-wide, and who confirmed what and when."""

    capability = "roster"
    template_name = "representatives/refresh_detail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = selectors.refresh_campaign_get(pk=self.kwargs["pk"])
        station = self.request.GET.get("station", "")
        station = parse_id(station)
        status = self.request.GET.get("status", "")
        confirmations = selectors.refresh_confirmation_list(
            user=user, campaign=campaign, station=station, status=status
        )
        page_obj = Paginator(confirmations, self.paginate_by).get_page(self.request.GET.get("page"))
        for confirmation in page_obj.object_list:
            full = access.sees_full_phones(
                user, confirmation.station, owner_id=confirmation.entry.representative.user_id
            )
            confirmation.change_rows = change_rows(confirmation.changes, full_phones=full)
        params = {key: value for key, value in self.request.GET.items() if key != "page" and value}
        context.update(
            campaign=campaign,
            progress=selectors.refresh_progress(
                user=user, campaign=campaign, late_only=self.request.GET.get("late") == "1"
            ),
            late_only=self.request.GET.get("late") == "1",
            page_obj=page_obj,
            confirmations=page_obj.object_list,
            querystring=urlencode(params),
            station_id=station,
            status=status,
            statuses=RefreshConfirmation.Status.choices,
            may_close=campaign.is_open and access.has_capability(user, "county_reports"),
        )
        return context


class RefreshCloseView(access.CapabilityRequiredMixin, View):
    capability = "county_reports"

    def post(self, request, pk):
        campaign = selectors.refresh_campaign_get(pk=pk)
        try:
            services.register_refresh_close(actor=request.user, campaign=campaign)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The refresh of %(period)s was closed.") % {"period": campaign})
        return redirect(campaign)


def change_rows(changes: dict, *, full_phones: bool = False) -> list[tuple[str, str, str]]:
    """A confirmation's JSON diff as (field label, from, to) for display; a phone number in a
    contact is masked unless the reader sees full phones (access.sees_full_phones)."""
    rows = []
    for name, change in (changes or {}).items():
        try:
            label = MobileRegisterEntry._meta.get_field(name).verbose_name
        except FieldDoesNotExist:  # a field renamed since: show its key
            label = name
        old, new = change.get("from", ""), change.get("to", "")
        if name == "contact":
            old, new = (shown_contact(v, full=full_phones) for v in (old, new))
        rows.append((str(label), old, new))
    return rows


class ConfirmationFormMixin:
    """Confirm unchanged (button "confirm") or correct the fields and save (button "correct")."""

    template_name = "representatives/refresh_confirm.html"

    def handle_submit(self, confirmation: RefreshConfirmation, success_url: str):
        request = self.request
        form = RegisterEntryForm(request.POST, entry=confirmation.entry)
        if request.POST.get("action") == "confirm":
            corrections = None
        elif form.is_valid():
            corrections = form.entry_fields()
        else:
            return self.render_to_response(self.get_context_data(form=form, confirmation=confirmation))
        form.is_valid()  # also for "confirm": the version the page was opened with
        try:
            services.register_refresh_confirm(
                actor=request.user,
                confirmation=confirmation,
                corrections=corrections,
                opened=form.cleaned_data.get("version"),
            )
        except EditConflict as exc:
            confirmation.entry.refresh_from_db()
            form = conflict_form(RegisterEntryForm, post=request.POST, exc=exc, entry=confirmation.entry)
            return self.render_to_response(self.get_context_data(form=form, confirmation=confirmation))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, confirmation=confirmation))
        confirmation.refresh_from_db(fields=["status"])
        if confirmation.status == RefreshConfirmation.Status.CORRECTED:
            messages.success(request, _("The corrections were saved."))
        else:
            messages.success(request, _("The entry was confirmed unchanged."))
        return redirect(success_url)


class RefreshConfirmView(access.CapabilityRequiredMixin, ConfirmationFormMixin, TemplateView):
    """Staff confirm or correct one entry of a campaign."""

    capability = "roster"

    def get_confirmation(self) -> RefreshConfirmation:
        return selectors.refresh_confirmation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = kwargs.get("confirmation") or self.get_confirmation()
        context.update(
            confirmation=confirmation,
            form=kwargs.get("form") or RegisterEntryForm(entry=confirmation.entry),
            back_url=confirmation.campaign.get_absolute_url(),
            phone_shown=entry_contacts(self.request.user, confirmation.entry)[0],
        )
        return context

    def post(self, request, pk):
        confirmation = self.get_confirmation()
        return self.handle_submit(confirmation, confirmation.campaign.get_absolute_url())


class RefreshMineView(LoginRequiredMixin, ConfirmationFormMixin, TemplateView):
    """A representative's own entry: confirm or correct it in the open campaign."""

    template_name = "representatives/refresh_mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmations = list(selectors.refresh_confirmations_mine(user=self.request.user))
        pending = kwargs.get("confirmation") or next(
            (c for c in confirmations if c.status == RefreshConfirmation.Status.PENDING and c.campaign.is_open),
            None,
        )
        context.update(
            confirmations=[c for c in confirmations if c.status != RefreshConfirmation.Status.PENDING],
            confirmation=pending,
            form=kwargs.get("form") or (RegisterEntryForm(entry=pending.entry) if pending else None),
            entry=pending.entry if pending else (confirmations[0].entry if confirmations else None),
            phone_shown=entry_contacts(self.request.user, pending.entry)[0] if pending else "",
        )
        return context

    def post(self, request):
        pending = (
            selectors.refresh_confirmations_mine(user=request.user)
            .filter(status=RefreshConfirmation.Status.PENDING, campaign__closed_at__isnull=True)
            .first()
        )
        if pending is None:
            messages.info(request, _("Nothing is waiting for your confirmation."))
            return redirect("representatives:refresh_mine")
        return self.handle_submit(pending, reverse("representatives:refresh_mine"))
