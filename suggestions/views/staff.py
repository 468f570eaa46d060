"""The staff side of suggestions: the list, a suggestion's page with its timeline, and the actions
on it (accept, decline, merge, settle, assign, a rating taken by phone, close, extensions,
supervision). Each action is one service call; a refused one shows the service's message on the
suggestion's page and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from liaison import access
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.privacy import shown_phone
from liaison.search_views import render_results, searched_text
from liaison.view_helpers import add_service_errors, querystring_without_page
from liaison.widgets import name_label, suggestion_label
from suggestions import filters, workflow
from suggestions.forms import staff as forms
from suggestions.forms.intake import CosignResponseForm
from suggestions.models import Rating, Suggestion
from suggestions.selectors import staff as selectors
from suggestions.services import handling, supervision

S = Suggestion.Status


class SuggestionPagesMixin(LoginRequiredMixin):
    """Station staff and representatives; anyone else (a handling unit) gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.uses_suggestion_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SuggestionListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.SUGGESTIONS
    template_name = "suggestions/staff/suggestion_list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = filters.suggestion_filter(user=user, params=self.request.GET)
        page_obj = paginate(filterset.qs, self.paginate_by, self.request.GET.get("page"))
        for suggestion in page_obj.object_list:
            # The list never shows a whole number: the page of the suggestion does, to those who call.
            suggestion.phone_shown = shown_phone(contact_phone(suggestion), full=False)
        context.update(
            filter=filterset,
            page_obj=page_obj,
            suggestions=page_obj.object_list,
            querystring=querystring_without_page(self.request.GET),
            today=timezone.localdate(),
        )
        return context


def contact_phone(suggestion: Suggestion) -> str:
    if suggestion.contact_phone:
        return suggestion.contact_phone
    return suggestion.voter.phone if suggestion.voter_id and suggestion.voter else ""


@dataclass(frozen=True)
class ActionSpec:
    form: type[forms.ActionForm]
    # "change": the station's staff; "review": county staff; "lead": the lead representative.
    who: str
    run: Callable[[Any, Suggestion, dict], Any]
    done: Any  # the success message (lazy)


def _rate_phone(user, s, data):
    return handling.suggestion_rate(
        suggestion_id=s.pk,
        value=data["value"],
        by=Rating.By.PHONE,
        actor=user,
        comment=data["comment"],
        version=data["version"],
    )


def _rate_lead(user, s, data):
    return handling.suggestion_rate(
        suggestion_id=s.pk,
        value=data["value"],
        by=Rating.By.REPRESENTATIVE,
        actor=user,
        comment=data["comment"],
        version=data["version"],
    )


def _supervise_start(user, s, data):
    return supervision.supervision_start(
        actor=user,
        suggestion_id=s.pk,
        supervisor_id=data["supervisor"].pk,
        next_check_on=data["next_check_on"],
        note=data["note"],
    )


def _supervise_end(user, s, data):
    return supervision.supervision_end(actor=user, suggestion_id=s.pk, note=data["note"])


ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(
        forms.AcceptForm,
        "change",
        lambda user, s, d: handling.suggestion_accept(actor=user, suggestion_id=s.pk, version=d["version"]),
        gettext_lazy("Accepted."),
    ),
    "decline": ActionSpec(
        forms.DeclineForm,
        "change",
        lambda user, s, d: handling.suggestion_decline(
            actor=user, suggestion_id=s.pk, reason=d["reason"], version=d["version"]
        ),
        gettext_lazy("Declined; the voter sees the reason."),
    ),
    "merge": ActionSpec(
        forms.MergeForm,
        "change",
        lambda user, s, d: handling.suggestion_merge(
            actor=user, suggestion_id=s.pk, into_id=d["into"].pk, version=d["version"]
        ),
        gettext_lazy("Merged; the voter now follows the surviving suggestion."),
    ),
    "settle": ActionSpec(
        forms.SettleForm,
        "settle",
        lambda user, s, d: handling.suggestion_settle(
            actor=user, suggestion_id=s.pk, note=d["note"], version=d["version"]
        ),
        gettext_lazy("Recorded as settled on the spot."),
    ),
    "assign": ActionSpec(
        forms.AssignForm,
        "change",
        lambda user, s, d: handling.suggestion_assign(
            actor=user,
            suggestion_id=s.pk,
            lead_unit_id=d["lead_unit"].pk,
            co_unit_ids=[unit.pk for unit in d["co_units"]],
            version=d["version"],
        ),
        gettext_lazy("Assigned; the units have been told."),
    ),
    "rate_phone": ActionSpec(forms.PhoneRatingForm, "change", _rate_phone, gettext_lazy("Rating recorded.")),
    "rate_lead": ActionSpec(
        forms.RepresentativeRatingForm, "lead", _rate_lead, gettext_lazy("Thank you: rating recorded.")
    ),
    "close": ActionSpec(
        forms.CloseForm,
        "review",
        lambda user, s, d: handling.suggestion_close(
            actor=user, suggestion_id=s.pk, note=d["note"], version=d["version"]
        ),
        gettext_lazy("Closed."),
    ),
    "extension": ActionSpec(
        forms.ExtensionDecideForm,
        "review",
        lambda user, s, d: handling.extension_decide(
            actor=user, request_id=d["request_id"], approve=d["approve"], note=d["note"]
        ),
        gettext_lazy("Extension request decided."),
    ),
    "supervise_start": ActionSpec(
        forms.SupervisionStartForm, "review", _supervise_start, gettext_lazy("Put under supervision.")
    ),
    "supervise_end": ActionSpec(forms.SupervisionEndForm, "review", _supervise_end, gettext_lazy("Supervision ended.")),
}


def service_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form: its `x_id` / `x_ids` keys are the form's `x` / `xs` fields."""
    if hasattr(exc, "error_dict"):
        renamed = {}
        for key, errors in exc.error_dict.items():
            if key.endswith("_ids"):
                key = key[:-4] + "s"
            elif key.endswith("_id"):
                key = key[:-3]
            renamed[key] = errors
        exc = ValidationError(renamed)
    add_service_errors(form, exc)


def _roles_on(user, suggestion: Suggestion) -> dict:
    return {
        "change": selectors.may_change(user=user, suggestion=suggestion),
        "review": selectors.may_review(user=user, suggestion=suggestion),
        # A proposal's answer is rated by its lead representative.
        "lead": access.may_rate_as_representative(user, suggestion),
        # Settled on the spot: the station's staff, or the representative who received it.
        "settle": access.may_settle_suggestion(user, suggestion),
        "own": access.own_representative_id(user),
    }


def _pending_extensions(suggestion: Suggestion) -> list:
    return [
        request
        for assignment in suggestion.assignments.all()
        for request in assignment.extension_requests.all()
        if request.approved is None
    ]


def _active_supervision(suggestion: Suggestion):
    supervision = getattr(suggestion, "supervision", None)
    return supervision if supervision is not None and supervision.ended_at is None else None


def offered_actions(user, suggestion: Suggestion, roles: dict) -> list[str]:
    """The actions this page offers: possible in the suggestion's state and allowed to the user."""
    allowed = set(workflow.allowed_actions(suggestion.status))
    offered = []
    if roles["change"]:
        offered += [name for name in ("accept", "decline", "merge") if name in allowed]
    if roles["settle"] and "settle" in allowed:
        offered.append("settle")
    if roles["change"] and "assign" in allowed:
        offered.append("assign")
        if "rate" in allowed and suggestion.kind == Suggestion.Kind.OPINION:
            offered.append("rate_phone")
    if roles["lead"] and "rate" in allowed and suggestion.kind == Suggestion.Kind.PROPOSAL:
        offered.append("rate_lead")
    if roles["review"]:
        if "close" in allowed:
            offered.append("close")
        if "extension_decide" in allowed and _pending_extensions(suggestion):
            offered.append("extension")
        if _active_supervision(suggestion):
            offered.append("supervise_end")
        elif "supervise" in allowed:
            offered.append("supervise_start")
    return offered


def detail_context(request, suggestion: Suggestion, *, bound: dict | None = None) -> dict:
    user = request.user
    roles = _roles_on(user, suggestion)
    bound = bound or {}
    offered = offered_actions(user, suggestion, roles)
    action_forms = {name: bound.get(name) or ACTIONS[name].form(user=user, suggestion=suggestion) for name in offered}
    extension_forms = []
    if "extension" in offered:
        for ext in _pending_extensions(suggestion):
            form = bound.get("extension")
            if form is None or str(form.data.get("request_id")) != str(ext.pk):
                form = forms.ExtensionDecideForm(user=user, suggestion=suggestion, initial={"request_id": ext.pk})
            extension_forms.append((ext, form))
    full_contact = access.sees_suggestion_contact(user, suggestion)
    own = roles["own"]
    cosign = None
    if own is not None:
        cosign = next(
            (
                c
                for c in suggestion.cosigners.all()
                if c.representative_id == own and c.confirmed_at is None and c.declined_at is None
            ),
            None,
        )
    voter_phone = contact_phone(suggestion)
    return {
        "suggestion": suggestion,
        "timeline": list(suggestion.timeline.all()),
        "assignments": list(suggestion.assignments.all()),
        "answers": list(suggestion.answers.all()),
        "ratings": list(suggestion.ratings.all()),
        "cosigners": list(suggestion.cosigners.all()),
        "raised_items": list(suggestion.raised_items.all()),
        "merged": list(suggestion.merged.all()),
        "supervision": _active_supervision(suggestion),
        "full_contact": full_contact,
        "contact_name": suggestion.contact_name or (suggestion.voter.name if suggestion.voter else ""),
        "contact_phone_shown": shown_phone(voter_phone, full=full_contact),
        "forms": action_forms,
        "extension_forms": extension_forms,
        "cosign": cosign,
        "cosign_form": CosignResponseForm() if cosign else None,
        "may_change": roles["change"],
        "is_staff_view": access.has_capability(user, access.Capability.SUGGESTIONS),
    }


class SuggestionDetailView(SuggestionPagesMixin, TemplateView):
    template_name = "suggestions/staff/suggestion_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suggestion = selectors.suggestion_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(detail_context(self.request, suggestion))
        return context


class SuggestionActionView(SuggestionPagesMixin, View):
    """POST one action; success -> the suggestion's page with a message; refused -> the same page
    with the service's message and the form as typed (nothing changed)."""

    def post(self, request, pk, action):
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        user = request.user
        suggestion = selectors.suggestion_get(user=user, pk=pk)
        roles = _roles_on(user, suggestion)
        if not roles[spec.who]:
            raise PermissionDenied
        form = spec.form(request.POST, user=user, suggestion=suggestion)
        if form.is_valid():
            try:
                spec.run(user, suggestion, form.cleaned_data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, str(spec.done))
                return redirect("suggestions:detail", pk=suggestion.pk)
        return self.refused(request, form, action, pk)

    def refused(self, request, form, action, pk):
        # Reload: the page shows the state as it is now; the form keeps what was typed.
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        context = detail_context(request, suggestion, bound={action: form})
        # What concerns the whole action (the service's refusal, a stale page) goes on top.
        context["refusals"] = [*form.non_field_errors(), *form.errors.get("version", [])]
        context["open_action"] = action
        return render(request, "suggestions/staff/suggestion_detail.html", context, status=200)


# --- search-as-you-type endpoints (scoped) ----------------------------------------------------


class StationSearchView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.SUGGESTIONS

    def get(self, request):
        rows = selectors.station_search(user=request.user, text=searched_text(request))
        return render_results(request, rows, name_label)


class MergeTargetSearchView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.SUGGESTIONS

    def get(self, request):
        rows = selectors.merge_target_search(
            user=request.user,
            text=searched_text(request),
            exclude_id=parse_id(request.GET.get("exclude", "")),
        )
        return render_results(request, rows, suggestion_label)


class UnitSearchView(access.CapabilityRequiredMixin, View):
    """Units by name: one to choose (the lead) or several to tick (co-handlers)."""

    capability = access.Capability.SUGGESTIONS

    def get(self, request):
        return render_results(request, selectors.unit_search(text=searched_text(request)), name_label)
