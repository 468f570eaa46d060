"""Intake pages: the station's own registration form, a raised reception item turned into a
suggestion in one step, a representative's proposal with co-signers, the co-signer's answer, and
a representative's own list ("我的建议")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.pagination import paginate
from liaison.search_views import render_results, searched_text
from liaison.view_helpers import message_service_errors, querystring_without_page
from liaison.widgets import name_label, representative_label, voter_label
from suggestions.forms.intake import CosignResponseForm, ProposalForm, RaisedItemConvertForm, SuggestionCreateForm
from suggestions.models import Suggestion
from suggestions.selectors import staff as selectors
from suggestions.services import intake
from suggestions.views.staff import service_errors


class SuggestionCreateView(access.CapabilityRequiredMixin, FormView):
    """The officer registers a voter's opinion (by phone, a letter, a visit outside reception days)."""

    capability = access.Capability.SUGGESTIONS
    template_name = "suggestions/staff/suggestion_form.html"
    form_class = SuggestionCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            suggestion = intake.suggestion_create(
                actor=self.request.user,
                source=Suggestion.Source.OFFICER,
                title=data["title"],
                content=data["content"],
                category_id=data["category"].pk,
                station_id=data["station"].pk,
                representative_id=data["representative"].pk if data["representative"] else None,
                voter_id=data["voter"].pk if data["voter"] else None,
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                publish_consent=data["publish_consent"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Registered. Tracking code: %(code)s") % {"code": suggestion.code})
        return redirect("suggestions:detail", pk=suggestion.pk)


class RaisedItemConvertView(access.CapabilityRequiredMixin, View):
    """One step from the reception day page: the raised item becomes a suggestion, linked both ways."""

    capability = access.Capability.SUGGESTIONS

    def post(self, request, pk):
        item = selectors.raised_item_for_conversion(user=request.user, pk=pk)
        day_url = redirect("voters:reception_detail", pk=item.visit.day_id)
        form = RaisedItemConvertForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return day_url
        try:
            suggestion = intake.suggestion_create_from_raised_item(
                actor=request.user,
                item_id=item.pk,
                category_id=form.cleaned_data["category"].pk,
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
            return day_url
        messages.success(
            request, _("“%(text)s” is now suggestion %(code)s.") % {"text": item.text[:30], "code": suggestion.code}
        )
        return day_url


class RepresentativeMixin(LoginRequiredMixin):
    """Pages of a representative's own: anyone without a roster record of their own gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.rep = selectors.own_representative(user=request.user)
        if self.rep is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MySuggestionsView(RepresentativeMixin, TemplateView):
    """What the representative leads, received or was asked to co-sign; `show=cosign` only the
    invitations waiting for an answer, `show=rate` only the answers waiting for their rating
    (the numbers on their home page link here)."""

    template_name = "suggestions/staff/mine.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "")
        if show == "cosign":
            rows = selectors.proposals_to_cosign(rep=self.rep)
        elif show == "rate":
            rows = selectors.proposals_to_rate(rep=self.rep)
        else:
            show, rows = "", selectors.own_suggestions(rep=self.rep)
        page_obj = paginate(rows, self.paginate_by, self.request.GET.get("page"))
        context.update(
            rep=self.rep,
            show=show,
            invitations=list(selectors.cosign_invitations(rep=self.rep)) if show != "rate" else [],
            page_obj=page_obj,
            suggestions=page_obj.object_list,
            querystring=querystring_without_page(self.request.GET),
        )
        return context


class ProposalCreateView(RepresentativeMixin, FormView):
    template_name = "suggestions/staff/proposal_form.html"
    form_class = ProposalForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            suggestion = intake.proposal_create(
                actor=self.request.user,
                title=data["title"],
                content=data["content"],
                category_id=data["category"].pk,
                cosigner_ids=[rep.pk for rep in data["cosigners"]],
            )
        except ValidationError as exc:
            service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Proposal submitted. Tracking code: %(code)s") % {"code": suggestion.code})
        return redirect("suggestions:detail", pk=suggestion.pk)


class CosignRespondView(RepresentativeMixin, View):
    """The co-signer confirms or declines (from their list or the proposal's page)."""

    def post(self, request, pk):
        suggestion = get_object_or_404(access.suggestions_visible(request.user), pk=pk)
        form = CosignResponseForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            intake.cosigner_respond(
                actor=request.user, suggestion_id=suggestion.pk, confirm=form.cleaned_data["confirm"]
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            if form.cleaned_data["confirm"]:
                messages.success(request, _("You co-signed this proposal."))
            else:
                messages.success(request, _("You declined to co-sign this proposal."))
        target = request.POST.get("next", "")
        if target == "mine":
            return redirect("suggestions:staff_mine")
        return redirect("suggestions:detail", pk=suggestion.pk)


class CosignerSearchView(RepresentativeMixin, View):
    """Serving representatives to ask as co-signers: each result adds itself to the chosen list."""

    def get(self, request):
        rows = selectors.cosigner_search(user=request.user, text=searched_text(request))
        return render_results(request, rows, representative_label)


class VoterSearchView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.SUGGESTIONS

    def get(self, request):
        rows = selectors.voter_search(user=request.user, text=searched_text(request))
        return render_results(request, rows, voter_label)


class RepresentativeSearchView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.SUGGESTIONS

    def get(self, request):
        rows = selectors.receiving_representative_search(user=request.user, text=searched_text(request))
        return render_results(request, rows, name_label)
