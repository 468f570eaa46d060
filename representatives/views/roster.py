"""The roster: list, detail, create, edit, end service, and a representative's own record."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.edit_conflicts import EditConflict, EditConflictViewMixin
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors, message_service_errors, without_page
from representatives.filters import representative_filter
from representatives.forms import (
    CorrectionDecisionForm,
    CorrectionForm,
    EndServiceForm,
    LinkUserForm,
    RepresentativeForm,
)
from representatives.models import RecordCorrection
from representatives.selectors import corrections as correction_selectors
from representatives.selectors import roster as selectors
from representatives.services import corrections as correction_services
from representatives.services import roster as services

# Columns the roster can be sorted by (the `o` parameter of RepresentativeFilter).
SORTABLE = ("name", "birth_year", "level", "term", "station", "township")


class RepresentativeListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/representative_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = representative_filter(user=user, params=self.request.GET)
        # Invalid filter values are left out of .qs (and the page says so), never an error page.
        page_obj = paginate(filterset.qs, self.paginate_by, self.request.GET.get("page"))
        for rep in page_obj.object_list:
            rep.phone_shown = selectors.representative_phone_shown(user, rep)
        params = without_page(self.request.GET)
        current = params.get("o", "")
        sort_links = {}
        for key in SORTABLE:
            sort_params = params.copy()
            sort_params["o"] = f"-{key}" if current == key else key
            sort_links[key] = {
                "url": f"?{sort_params.urlencode()}",
                "arrow": "▲" if current == key else "▼" if current == f"-{key}" else "",
            }
        context.update(
            sort_links=sort_links,
            filter=filterset,
            page_obj=page_obj,
            representatives=page_obj.object_list,
            querystring=params.urlencode(),
            may_create=access.stations_changeable(user).exists(),
        )
        return context


class RepresentativeDetailView(LoginRequiredMixin, TemplateView):
    """Staff see the representatives of their stations; a representative sees their own."""

    template_name = "representatives/representative_detail.html"

    def get_representative(self):
        return selectors.representative_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rep = self.get_representative()
        may_change = access.representatives_changeable(user).filter(pk=rep.pk).exists()
        corrections = list(selectors.representative_corrections(representative=rep))
        for correction in corrections:
            correction.summary = correction_selectors.correction_summary(correction)
        rep.phone_shown = selectors.representative_phone_shown(user, rep)
        context.update(
            rep=rep,
            may_change=may_change,
            is_own=rep.user_id == user.pk,
            has_public_card=access.has_public_card(rep),
            history=selectors.representative_history(
                representative=rep, full_phones=selectors.representative_full_phones(user, rep)
            ),
            corrections=corrections,
            register_entry=selectors.representative_register_entry(representative=rep),
            correction_form=kwargs.get("correction_form") or CorrectionForm(initial=CorrectionForm.initial_for(rep)),
            end_form=EndServiceForm(),
            link_form=LinkUserForm(),
        )
        return context


class MyRecordView(RepresentativeDetailView):
    def get_representative(self):
        return selectors.representative_of_user(user=self.request.user)


class RepresentativeFormMixin(access.CapabilityRequiredMixin, EditConflictViewMixin):
    capability = access.Capability.ROSTER
    form_class = RepresentativeForm
    template_name = "representatives/representative_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def fields_from(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return fields, form.cleaned_data["specialties_text"]

    def form_valid(self, form):
        try:
            rep = self.save(form)
        except EditConflict as exc:
            return self.conflict_response(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": rep.name})
        return redirect(rep)


class RepresentativeCreateView(RepresentativeFormMixin, FormView):
    success_message = gettext_lazy("Representative %(name)s was added to the roster.")

    def get_initial(self):
        return {"ethnicity": "汉族"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New representative"), **kwargs)

    def save(self, form):
        fields, specialties = self.fields_from(form)
        return services.representative_create(actor=self.request.user, specialties=specialties, **fields)


class RepresentativeUpdateView(RepresentativeFormMixin, FormView):
    success_message = gettext_lazy("The record of %(name)s was saved.")

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.rep = selectors.representative_get(user=request.user, pk=kwargs["pk"], for_change=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form validates its own copy, so a refused save leaves self.rep untouched.
        kwargs["instance"] = selectors.representative_get(user=self.request.user, pk=self.rep.pk, for_change=True)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.rep.name}, rep=self.rep, **kwargs)

    def save(self, form):
        fields, specialties = self.fields_from(form)
        return services.representative_update(
            actor=self.request.user,
            representative=self.rep,
            specialties=specialties,
            opened=form.opened_values(),
            **fields,
        )


class RepresentativeEndServiceView(access.CapabilityRequiredMixin, View):
    """POST: record a resignation or termination (the record stays, with date and reason)."""

    capability = access.Capability.ROSTER

    def post(self, request, pk):
        rep = selectors.representative_get(user=request.user, pk=pk, for_change=True)
        form = EndServiceForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(rep)
        try:
            services.representative_end_service(
                actor=request.user,
                representative=rep,
                status=form.cleaned_data["status"],
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("The service of %(name)s has been ended.") % {"name": rep.name})
        return redirect(rep)


class RepresentativeLinkUserView(access.CapabilityRequiredMixin, View):
    """POST: link a sign-in account (by user name) to the representative."""

    capability = access.Capability.ROSTER

    def post(self, request, pk):
        rep = selectors.representative_get(user=request.user, pk=pk, for_change=True)
        form = LinkUserForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["username"])
            services.representative_link_username(
                actor=request.user, representative=rep, username=form.cleaned_data["username"]
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("%(name)s can now sign in and see their own record.") % {"name": rep.name})
        return redirect(rep)


class CorrectionRequestView(RepresentativeDetailView):
    """POST: a representative proposes new values for their own record (or describes the error).

    A refused request shows the record again with the form as typed and the errors on it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        rep = selectors.representative_get(user=request.user, pk=pk)
        if rep.user_id != request.user.pk:
            raise Http404
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(correction_form=form))
        try:
            correction_services.correction_request(
                actor=request.user,
                representative=rep,
                message=form.cleaned_data["message"],
                proposed=form.proposed(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(correction_form=form))
        messages.success(request, _("Your request was sent to your station officer."))
        return redirect(rep)


class CorrectionListView(LoginRequiredMixin, TemplateView):
    """Correction requests: staff those of their representatives, a representative their own."""

    template_name = "representatives/correction_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in correction_selectors.CORRECTION_STATUSES:
            status = ""
        corrections = correction_selectors.correction_list(user=self.request.user, status=status)
        page_obj = paginate(corrections, self.paginate_by, self.request.GET.get("page"))
        for correction in page_obj.object_list:
            correction.summary = correction_selectors.correction_summary(correction)
        context.update(
            status=status,
            page_obj=page_obj,
            corrections=page_obj.object_list,
            querystring=f"status={status}" if status else "",
        )
        return context


class CorrectionDetailView(LoginRequiredMixin, TemplateView):
    """One request: the proposed values next to the record's; staff apply all or some, or reject."""

    template_name = "representatives/correction_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        correction = kwargs.get("correction") or correction_selectors.correction_get(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        may_decide = (
            correction.resolved_at is None
            and access.corrections_resolvable(self.request.user).filter(pk=correction.pk).exists()
        )
        context.update(
            correction=correction,
            rep=correction.representative,
            rows=correction_selectors.correction_field_rows(correction=correction),
            may_decide=may_decide,
            form=kwargs.get("form") or CorrectionDecisionForm(correction=correction),
            selected_fields=self.request.POST.getlist("fields") if kwargs.get("form") else list(correction.proposed),
        )
        return context

    def post(self, request, pk):
        correction = get_object_or_404(access.corrections_resolvable(request.user), pk=pk)
        correction = correction_selectors.correction_get(user=request.user, pk=correction.pk)
        data = request.POST.copy()
        if "reason" not in data and "note" in data:  # the earlier "mark as done" form
            data["reason"] = data["note"]
        form = CorrectionDecisionForm(data, correction=correction)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors)
            correction_services.correction_decide(
                actor=request.user,
                correction=correction,
                decision=form.cleaned_data["decision"] or correction_services.CorrectionDecision.ACCEPT,
                fields=form.cleaned_data["fields"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            correction.refresh_from_db()
            return self.render_to_response(self.get_context_data(correction=correction, form=form))
        correction.refresh_from_db(fields=["outcome"])
        if correction.outcome == RecordCorrection.Outcome.REJECTED:
            messages.success(request, _("The request was rejected; the representative has been told why."))
        else:
            messages.success(request, _("The correction was applied; the representative has been told."))
        return redirect(correction.representative)
