"""Voters and households: lists, detail, create, edit, export, search-as-you-type endpoints."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.pagination import paginate
from liaison.privacy import shown_phone
from liaison.view_helpers import ServiceFormViewMixin, add_service_errors
from voters import filters
from voters.forms.people import HouseholdForm, VoterForm
from voters.selectors import people as selectors
from voters.services import people as services

EXPORT_LIMIT = 50_000


def duplicate_of(exc: ValidationError):
    """The pk of the existing voter a duplicate-phone refusal names (in the user's scope), or None."""
    for error in getattr(exc, "error_dict", {}).get("phone", []):
        if error.code == services.DUPLICATE_IN_SCOPE:
            return error.params["pk"]
    return None


class VoterListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/voter_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = filters.voter_filter(user=user, params=self.request.GET)
        page_obj = paginate(filterset.qs, self.paginate_by, self.request.GET.get("page"))
        paginator = page_obj.paginator
        for voter in page_obj.object_list:
            voter.phone_shown = shown_phone(voter.phone, full=access.sees_full_voter_phones(user, voter))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page_obj,
            voters=page_obj.object_list,
            count_capped=paginator.capped,
            count_cap=paginator.max_rows,
            querystring=params.urlencode(),
            may_create=access.voter_stations(user).exists(),
        )
        return context


EXPORT_HEADERS = ("序号", "姓名", "手机号码", "联络站", "村（社区）", "住址", "户", "同意联系", "登记时间")


class VoterExportView(access.CapabilityRequiredMixin, View):
    """The filtered voter list as .xlsx; phones as the list shows them (access.sees_full_voter_phones)."""

    capability = access.Capability.ROSTER

    def get(self, request):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        user = request.user
        voters = filters.voter_filter(user=user, params=request.GET).qs[:EXPORT_LIMIT]
        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = "选民"
        sheet.append(EXPORT_HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, voter in enumerate(voters.iterator(chunk_size=2000), start=1):
            sheet.append(
                [
                    number,
                    voter.name,
                    shown_phone(voter.phone, full=access.sees_full_voter_phones(user, voter)),
                    voter.station.name,
                    voter.division.name if voter.division_id else "",
                    voter.address,
                    str(voter.household) if voter.household_id else "",
                    "是" if voter.consents_to_contact else "否",
                    timezone.localtime(voter.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="voters-{timezone.localdate():%Y%m%d}.xlsx"'
        return response


class VoterDetailView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/voter_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        voter = selectors.voter_get(user=user, pk=self.kwargs["pk"])
        full = access.sees_full_voter_phones(user, voter)
        voter.phone_shown = shown_phone(voter.phone, full=full)
        context.update(
            voter=voter,
            full_phone=full,
            may_change=access.voters_changeable(user).filter(pk=voter.pk).exists(),
            history=selectors.voter_history(voter=voter, full_phones=full),
        )
        return context


class VoterFormMixin(access.CapabilityRequiredMixin, ServiceFormViewMixin):
    capability = access.Capability.ROSTER
    form_class = VoterForm
    template_name = "voters/voter_form.html"

    def service_error_response(self, form, exc: ValidationError):
        add_service_errors(form, exc)
        return self.render_to_response(self.get_context_data(form=form, duplicate_pk=duplicate_of(exc)))

    def saved_message(self, obj) -> str:
        return _("The record of %(name)s was saved.") % {"name": obj.name}


class VoterCreateView(VoterFormMixin, FormView):
    def get_initial(self):
        stations = list(access.voter_stations(self.request.user).order_by("path")[:2])
        return {"station": stations[0]} if len(stations) == 1 else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New voter"), **kwargs)

    def save(self, fields, form):
        return services.voter_create(actor=self.request.user, **fields)


class VoterUpdateView(VoterFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.voter = selectors.voter_get(user=request.user, pk=kwargs["pk"], for_change=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.voter_get(user=self.request.user, pk=self.voter.pk, for_change=True)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.voter.name}, voter=self.voter, **kwargs
        )

    def save(self, fields, form):
        return services.voter_update(
            actor=self.request.user, voter=self.voter, opened=form.opened_values(), **fields
        )


# --- Households ------------------------------------------------------------------------------


class HouseholdListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/household_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = filters.household_filter(user=user, params=self.request.GET)
        page_obj = paginate(filterset.qs, self.paginate_by, self.request.GET.get("page"))
        paginator = page_obj.paginator
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page_obj,
            households=page_obj.object_list,
            count_capped=paginator.capped,
            count_cap=paginator.max_rows,
            querystring=params.urlencode(),
            may_create=access.voter_stations(user).exists(),
        )
        return context


class HouseholdDetailView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/household_detail.html"

    def get_context_data(self, **kwargs):
        from voters.selectors.grid import household_visit_list

        context = super().get_context_data(**kwargs)
        user = self.request.user
        household = selectors.household_get(user=user, pk=self.kwargs["pk"])
        members = list(selectors.household_members(user=user, household=household))
        for voter in members:
            voter.phone_shown = shown_phone(voter.phone, full=access.sees_full_voter_phones(user, voter))
        context.update(
            household=household,
            members=members,
            link=getattr(household, "grid_link", None),
            visits=household_visit_list(user=user, household_id=household.pk)[:20],
            may_change=access.households_changeable(user).filter(pk=household.pk).exists(),
        )
        return context


class HouseholdFormMixin(access.CapabilityRequiredMixin, ServiceFormViewMixin):
    capability = access.Capability.ROSTER
    form_class = HouseholdForm
    template_name = "voters/household_form.html"

    def saved_message(self, obj) -> str:
        return _("The household was saved.")


class HouseholdCreateView(HouseholdFormMixin, FormView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New household"), **kwargs)

    def save(self, fields, form):
        return services.household_create(actor=self.request.user, **fields)


class HouseholdUpdateView(HouseholdFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.household = selectors.household_get(user=request.user, pk=kwargs["pk"], for_change=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.household_get(user=self.request.user, pk=self.household.pk, for_change=True)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit household"), household=self.household, **kwargs)

    def save(self, fields, form):
        return services.household_update(
            actor=self.request.user, household=self.household, opened=form.opened_values(), **fields
        )
