"""Visit pages: logging a held reception day on a phone (the typing kept as a server draft), the
visit list, removing a visit logged by mistake."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from liaison.pagination import paginate
from voters.forms.reception import HeldForm, VisitForm
from voters.models import DutyAssignment, ReceptionDay
from voters.selectors import reception as selectors
from voters.services import visits as services
from voters.views.reception import ReceptionAccessMixin, errors_text, mask_visits


class ReceptionLogView(ReceptionAccessMixin, TemplateView):
    """Logging a held day on a phone: one visit at a time, the typing kept as a server draft."""

    template_name = "voters/visit_log.html"

    def _day(self):
        return selectors.reception_day_get(user=self.request.user, pk=self.kwargs["pk"], for_log=True)

    def _receivers(self, day):
        return [
            duty.representative
            for duty in selectors.day_duties(day=day)
            if duty.status != DutyAssignment.Status.DECLINED
        ]

    def get(self, request, *args, **kwargs):
        day = self._day()
        draft = services.visit_draft_get(actor=request.user, day=day)
        form = VisitForm(initial={k: v for k, v in draft.items() if k != "items"}, receivers=self._receivers(day))
        items = draft.get("items") or [""]
        held = HeldForm(initial={"visitor_count": day.visitor_count, "summary": day.summary})
        return self.render_to_response(self._context(day, form, items, held))

    def _context(self, day, form, items, held):
        visits = list(selectors.visit_list(user=self.request.user, day=day))
        mask_visits(self.request.user, visits)
        if not any(item.strip() for item in items):
            items = [item for item in items if item.strip()] or [""]
        return self.get_context_data(
            day=day,
            form=form,
            items=items,
            held_form=held,
            visits=visits,
            can_log=day.status != ReceptionDay.Status.CANCELLED and day.date <= timezone.localdate(),
            draft_token=secrets.token_urlsafe(12),
        )

    def post(self, request, *args, **kwargs):
        day = self._day()
        receivers = self._receivers(day)
        if request.POST.get("action") == "held":
            held = HeldForm(request.POST)
            if held.is_valid():
                try:
                    services.reception_day_record_held(
                        actor=request.user,
                        day_id=day.pk,
                        visitor_count=held.cleaned_data["visitor_count"],
                        summary=held.cleaned_data["summary"],
                        finished=True,
                    )
                except ValidationError as exc:
                    _add_errors(held, exc)
                else:
                    messages.success(request, _("The reception day is logged. Thank you."))
                    return redirect("voters:reception_detail", day.pk)
            form = VisitForm(receivers=receivers)
            return self.render_to_response(self._context(day, form, [""], held))
        form = VisitForm(request.POST, receivers=receivers)
        items = request.POST.getlist("items")[: services.MAX_ITEMS_PER_VISIT]
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.visit_log(
                    actor=request.user,
                    day_id=day.pk,
                    phone=data["phone"],
                    name=data["name"],
                    items=items,
                    received_by_id=data["received_by"],
                    outcome=data["outcome"],
                    draft_token=request.POST.get("draft_token", ""),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Visit saved. Next visitor?"))
                return redirect("voters:reception_log", day.pk)
        held = HeldForm(initial={"visitor_count": day.visitor_count, "summary": day.summary})
        return self.render_to_response(self._context(day, form, items or [""], held))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class VisitDraftView(ReceptionAccessMixin, View):
    """The visit form posts here as it is typed (static/js/visit_draft.js)."""

    def post(self, request, pk):
        data = {field: request.POST.get(field, "") for field in services.DRAFT_FIELDS}
        data["items"] = request.POST.getlist("items")
        services.visit_draft_save(
            actor=request.user, day_id=pk, data=data, draft_token=request.POST.get("draft_token", "")
        )
        return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})


class VisitDeleteView(ReceptionAccessMixin, View):
    def post(self, request, pk):
        visit = selectors.visit_list(user=request.user).filter(pk=pk).first()
        if visit is None:
            raise Http404
        try:
            services.visit_delete(actor=request.user, visit_id=pk)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("The visit is removed."))
        return redirect("voters:reception_log", visit.day_id)


class VisitListView(ReceptionAccessMixin, TemplateView):
    template_name = "voters/visit_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = selectors.visit_list(user=self.request.user)
        page_obj = paginate(visits, self.paginate_by, self.request.GET.get("page"))
        mask_visits(self.request.user, page_obj.object_list)
        context.update(page_obj=page_obj, visits=page_obj.object_list)
        return context
