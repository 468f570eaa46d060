"""Pages of the mobile register and its joint meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.edit_conflicts import EditConflict, EditConflictViewMixin
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors, message_service_errors, querystring_without_page, xlsx_response
from representatives.forms import JointMeetingForm, RegisterEntryForm, RegisterFilterForm
from representatives.selectors import mobile_register as selectors
from representatives.services import exports
from representatives.services import mobile_register as services

# --- The register ----------------------------------------------------------------------------


class RegisterFilterMixin:
    def filter_form(self) -> RegisterFilterForm:
        return RegisterFilterForm(self.request.GET or None, user=self.request.user)

    def querystring(self) -> str:
        return querystring_without_page(self.request.GET)


class RegisterListView(access.CapabilityRequiredMixin, RegisterFilterMixin, TemplateView):
    """The register as the user's stations keep it: both origin and host list an entry."""

    capability = access.Capability.ROSTER
    template_name = "representatives/register_list.html"
    paginate_by = 50
    pairs_per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = self.filter_form()
        filters = form.selector_kwargs()
        entries = selectors.register_entry_list(user=user, **filters)
        page_obj = paginate(entries, self.paginate_by, self.request.GET.get("page"))
        for entry in page_obj.object_list:
            # The roster's phone and the other contact, as this user may read them (the name is kept
            # for the template: masked unless access.sees_full_phones).
            entry.contact_masked = "；".join(filter(None, selectors.register_entry_contacts(user, entry)))
        year = timezone.localdate().year
        pairs_page = paginate(
            selectors.joint_meeting_pairs(user=user), self.pairs_per_page, self.request.GET.get("pairs_page")
        )
        pairs = selectors.joint_meeting_pairs_held(list(pairs_page.object_list), year=year)
        pairs_query = self.request.GET.copy()
        pairs_query.pop("pairs_page", None)
        # One export of the filtered list; when the list is narrowed to one station, also that
        # station's whole register (as origin and as host), as one link, not one per station.
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        export_station = chosen.get("origin") or chosen.get("host")
        if export_station and not access.stations_in_scope(user).filter(pk=export_station.pk).exists():
            export_station = None  # the other county's station of a crossing entry: not ours to export
        context.update(
            form=form,
            page_obj=page_obj,
            entries=page_obj.object_list,
            querystring=self.querystring(),
            pairs=pairs,
            pairs_page=pairs_page,
            pairs_querystring=pairs_query.urlencode(),
            year=year,
            export_station=export_station,
            # County-wide users hold every entry on both sides: the column would say nothing.
            show_side=not access.is_county_wide(user),
        )
        return context


class RegisterPrintView(RegisterListView):
    """Every matching entry on one page, laid out for paper (the browser's print dialog)."""

    template_name = "representatives/register_print.html"
    print_per_page = 200

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        form = self.filter_form()
        # Printed a page at a time like the list (a province's whole register is tens of thousands).
        page_obj = paginate(
            selectors.register_entry_list(user=self.request.user, **form.selector_kwargs()),
            self.print_per_page,
            self.request.GET.get("page"),
        )
        entries = page_obj.object_list
        for entry in entries:
            entry.phone_shown, entry.contact_shown = selectors.register_entry_contacts(self.request.user, entry)
        context.update(
            form=form,
            entries=entries,
            page_obj=page_obj,
            querystring=self.querystring(),
            printed_at=timezone.localtime(),
        )
        return context


class RegisterExportView(access.CapabilityRequiredMixin, RegisterFilterMixin, View):
    """The register of one station (as origin and as host) as .xlsx; without a station, the
    current filtered list."""

    capability = access.Capability.ROSTER

    def get(self, request):
        user = request.user
        kwargs = self.filter_form().selector_kwargs()
        station = None
        station_id = request.GET.get("station", "")
        if station_id:
            if not parse_id(station_id):
                return redirect("representatives:register")
            station = access.stations_in_scope(user).filter(pk=parse_id(station_id)).only("pk", "name").first()
            if station is None:
                return redirect("representatives:register")
            kwargs["station"] = station.pk
        entries = selectors.register_entry_list(user=user, **kwargs)
        content = exports.register_workbook(user=user, entries=entries, station=station)
        name = f"流动代表登记册-{station.name if station else '全部'}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(content, name)


class RegisterEntryMixin(access.CapabilityRequiredMixin):
    capability = access.Capability.ROSTER

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
        entry.phone_shown, entry.contact_shown = selectors.register_entry_contacts(user, entry)
        full_phones = access.sees_full_phones(user, entry.origin_station, owner_id=entry.representative.user_id)
        context.update(
            entry=entry,
            history=selectors.register_entry_history(entry=entry, full_phones=full_phones),
            confirmations=selectors.register_entry_confirmations(entry=entry),
            may_verify=entry.is_active
            and entry.verified_at is None
            and access.register_entries_verifiable(user).filter(pk=entry.pk).exists(),
            user_is_origin=access.stations_in_scope(user).filter(pk=entry.origin_station_id).exists(),
            user_is_host=access.stations_in_scope(user).filter(pk=entry.host_station_id).exists(),
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
            message_service_errors(request, exc)
        else:
            messages.success(request, _("The check-in of %(name)s is verified.") % {"name": self.entry})
        return redirect("representatives:register_detail", pk=pk)


# --- Joint meetings --------------------------------------------------------------------------


class JointMeetingRecordView(access.CapabilityRequiredMixin, FormView):
    """Record a joint meeting of an origin and a host station (?origin=&host=)."""

    capability = access.Capability.ROSTER
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
