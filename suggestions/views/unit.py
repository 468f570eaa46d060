"""The handling unit's console (what a unit's account signs in to): its items due soonest first,
one item, and the unit's steps on it (answer, extension, return, co-handler's opinion)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors, querystring_without_page
from suggestions.forms.unit import AnswerForm, OpinionForm, ReasonForm
from suggestions.models import Assignment, Suggestion
from suggestions.selectors import unit as selectors
from suggestions.selectors.common import suggestion_contact
from suggestions.services import handling


class UnitConsoleMixin(access.CapabilityRequiredMixin):
    capability = access.Capability.UNIT_CONSOLE


def unit_steps(assignment: Assignment) -> dict[str, bool]:
    """Which of the unit's steps the item's page offers now (the services decide again)."""
    suggestion = assignment.suggestion
    active = assignment.status == Assignment.Status.ACTIVE and suggestion.status == Suggestion.Status.ASSIGNED
    lead = active and assignment.role == Assignment.Role.LEAD
    return {
        "answer": lead,
        "return": lead
        and assignment.round == 1
        and assignment.return_by is not None
        and timezone.localdate() <= assignment.return_by,
        "extension": lead
        and suggestion.kind == Suggestion.Kind.PROPOSAL
        and getattr(assignment, "extension", None) is None,
        "opinion": active and assignment.role == Assignment.Role.CO,
    }


class UnitListView(UnitConsoleMixin, TemplateView):
    template_name = "suggestions/unit/assignment_list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        when = self.request.GET.get("when", "")
        when = when if when in selectors.WHEN_CHOICES else ""
        page_obj = paginate(selectors.unit_assignments(user, when=when), self.paginate_by, self.request.GET.get("page"))
        context.update(
            when=when,
            whens=[
                ("", _("Being handled")),
                ("overdue", _("Overdue")),
                ("due_soon", _("Due within 7 days")),
                ("done", _("Finished")),
            ],
            page_obj=page_obj,
            assignments=page_obj.object_list,
            counts=selectors.unit_counts(user),
            today=timezone.localdate(),
            querystring=querystring_without_page(self.request.GET),
        )
        return context


class UnitDetailView(UnitConsoleMixin, TemplateView):
    template_name = "suggestions/unit/assignment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = selectors.unit_assignment(self.request.user, self.kwargs["pk"])
        context.update(
            assignment=assignment,
            suggestion=assignment.suggestion,
            contact=suggestion_contact(self.request.user, assignment.suggestion),
            steps=unit_steps(assignment),
            today=timezone.localdate(),
        )
        return context


class UnitStepView(UnitConsoleMixin, FormView):
    """One of the unit's steps on an item: a form, one service call, back to the item."""

    template_name = "suggestions/unit/step_form.html"
    step = ""
    title = gettext_lazy("Step")
    submit_label = gettext_lazy("Send")
    done_message = gettext_lazy("Done.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access.require_capability(request.user, self.capability)
        self.assignment = selectors.unit_assignment(request.user, kwargs["pk"])
        if not unit_steps(self.assignment)[self.step]:
            messages.error(request, _("This step is not possible on this item now."))
            return redirect(self.detail_url())
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self) -> str:
        return reverse("suggestions:unit_detail", args=[self.assignment.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            assignment=self.assignment,
            suggestion=self.assignment.suggestion,
            title=self.title,
            submit_label=self.submit_label,
            multipart=self.step == "answer",
        )
        return context

    def call(self, data: dict) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, str(self.done_message))
        return redirect(self.detail_url())


class UnitAnswerView(UnitStepView):
    form_class = AnswerForm
    step = "answer"
    title = gettext_lazy("Answer")
    submit_label = gettext_lazy("Send the answer")
    done_message = gettext_lazy("The answer was sent.")

    def call(self, data):
        handling.suggestion_answer(
            actor=self.request.user,
            assignment_id=self.assignment.pk,
            text=data["text"],
            result=data["result"],
            public_answer=data["public_answer"],
            files=data["attachments"],
        )


class UnitExtensionView(UnitStepView):
    form_class = ReasonForm
    step = "extension"
    title = gettext_lazy("Ask for an extension")
    submit_label = gettext_lazy("Ask for an extension")
    done_message = gettext_lazy("The extension was requested; county staff will decide.")

    def call(self, data):
        handling.extension_request(actor=self.request.user, assignment_id=self.assignment.pk, reason=data["reason"])


class UnitReturnView(UnitStepView):
    form_class = ReasonForm
    step = "return"
    title = gettext_lazy("Return as misrouted")
    submit_label = gettext_lazy("Return it")
    done_message = gettext_lazy("The item was returned to the station for reassignment.")

    def call(self, data):
        handling.assignment_return(actor=self.request.user, assignment_id=self.assignment.pk, reason=data["reason"])


class UnitOpinionView(UnitStepView):
    form_class = OpinionForm
    step = "opinion"
    title = gettext_lazy("Opinion to the lead unit")
    submit_label = gettext_lazy("Send the opinion")
    done_message = gettext_lazy("Your opinion was sent to the lead unit.")

    def call(self, data):
        handling.assignment_co_opinion(actor=self.request.user, assignment_id=self.assignment.pk, text=data["text"])
