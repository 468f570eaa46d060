"""Pages of the half-yearly refresh: campaigns, their progress, confirming an entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from liaison import access
from liaison.edit_conflicts import EditConflict, conflict_form
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.privacy import shown_contact
from liaison.view_helpers import add_service_errors, message_service_errors, querystring_without_page
from representatives.forms import RegisterEntryForm
from representatives.models import MobileRegisterEntry, RefreshConfirmation
from representatives.selectors import mobile_register as register_selectors
from representatives.selectors import refresh as selectors
from representatives.services import refresh as services


class RefreshListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/refresh_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = services.half_year_start(timezone.localdate())
        campaigns = selectors.refresh_campaign_list(user=user)
        context.update(
            campaigns=campaigns,
            may_open=access.has_capability(user, access.Capability.COUNTY_REPORTS),
            current_period=current,
            current_is_open=any(c.period_start == current for c in campaigns),
        )
        return context


class RefreshOpenView(access.CapabilityRequiredMixin, View):
    """POST only: county staff open the refresh of the current half-year (idempotent)."""

    capability = access.Capability.COUNTY_REPORTS

    def post(self, request):
        period = services.half_year_start(timezone.localdate())
        campaign, opened = services.register_refresh_open_period(actor=request.user, period_start=period)
        if not opened:
            messages.info(request, _("The refresh of %(period)s is already open.") % {"period": campaign})
        else:
            messages.success(request, _("The refresh of %(period)s is open.") % {"period": campaign})
        return redirect(campaign)


class RefreshDetailView(access.CapabilityRequiredMixin, TemplateView):
    """Progress per station and county-wide, and who confirmed what and when."""

    capability = access.Capability.ROSTER
    template_name = "representatives/refresh_detail.html"
    paginate_by = 50
    late_named = 20  # late stations named in the warning; "show only the late stations" lists them all

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
        page_obj = paginate(confirmations, self.paginate_by, self.request.GET.get("page"))
        for confirmation in page_obj.object_list:
            full = access.sees_full_phones(
                user, confirmation.station, owner_id=confirmation.entry.representative.user_id
            )
            confirmation.change_rows = change_rows(confirmation.changes, full_phones=full)
        late_only = self.request.GET.get("late") == "1"
        progress = selectors.refresh_progress(user=user, campaign=campaign, late_only=late_only)
        # One row per station: a province has thousands, so they are paged like any list.
        stations_page = paginate(progress["stations"], self.paginate_by, self.request.GET.get("stations_page"))
        stations_query = self.request.GET.copy()
        stations_query.pop("stations_page", None)
        context.update(
            campaign=campaign,
            progress=progress,
            stations_page=stations_page,
            stations_querystring=stations_query.urlencode(),
            late_shown=progress["late_stations"][: self.late_named],
            late_only=self.request.GET.get("late") == "1",
            page_obj=page_obj,
            confirmations=page_obj.object_list,
            querystring=querystring_without_page(self.request.GET),
            station_id=station,
            status=status,
            statuses=RefreshConfirmation.Status.choices,
            may_close=campaign.is_open and access.has_capability(user, access.Capability.COUNTY_REPORTS),
        )
        return context


class RefreshCloseView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.COUNTY_REPORTS

    def post(self, request, pk):
        campaign = selectors.refresh_campaign_get(pk=pk)
        try:
            services.register_refresh_close(actor=request.user, campaign=campaign)
        except ValidationError as exc:
            message_service_errors(request, exc)
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

    capability = access.Capability.ROSTER

    def get_confirmation(self) -> RefreshConfirmation:
        return selectors.refresh_confirmation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = kwargs.get("confirmation") or self.get_confirmation()
        context.update(
            confirmation=confirmation,
            form=kwargs.get("form") or RegisterEntryForm(entry=confirmation.entry),
            back_url=confirmation.campaign.get_absolute_url(),
            phone_shown=register_selectors.register_entry_contacts(self.request.user, confirmation.entry)[0],
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
            phone_shown=register_selectors.register_entry_contacts(self.request.user, pending.entry)[0]
            if pending
            else "",
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
