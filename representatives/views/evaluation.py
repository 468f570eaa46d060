"""The annual evaluation (list, compute, detail, nominate, publish) and report-backs (a station's
plan for a year, recording one as held, undoing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors, message_service_errors, querystring_without_page
from representatives.forms import EvaluationComputeForm, ReportBackHeldForm
from representatives.models import EvaluationEntry, PerformanceKind
from representatives.selectors import report_backs as report_back_selectors
from representatives.services import evaluation as evaluation_services
from representatives.services import report_backs as report_back_services
from representatives.views.performance import PAGE_SIZE, year_from


class EvaluationListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.EVALUATION
    template_name = "representatives/evaluation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        evaluations = access.evaluations_visible(user).select_related("congress").order_by("-year", "congress__path")
        page_obj = paginate(evaluations, PAGE_SIZE, self.request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            evaluations=page_obj.object_list,
        )
        context.setdefault("form", EvaluationComputeForm(user=user, initial={"year": timezone.localdate().year - 1}))
        return context

    def post(self, request):
        form = EvaluationComputeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                evaluation_services.annual_evaluation_compute(
                    actor=request.user, year=form.cleaned_data["year"], congress_ids=[form.cleaned_data["congress"].pk]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The evaluation was computed. A published one is not changed."))
                return redirect("representatives:evaluation_list")
        return self.render_to_response(self.get_context_data(form=form))


class EvaluationDetailView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.EVALUATION
    template_name = "representatives/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = get_object_or_404(
            access.evaluations_visible(self.request.user).select_related("congress", "published_by"),
            pk=self.kwargs["pk"],
        )
        entries = EvaluationEntry.objects.filter(evaluation=evaluation).select_related("representative__home_station")
        if self.request.GET.get("outstanding") == "1":
            entries = entries.filter(outstanding=True)
        page_obj = paginate(
            entries.order_by("rank", "representative__name", "pk"), PAGE_SIZE, self.request.GET.get("page")
        )
        for entry in page_obj.object_list:
            entry.count_list = [(label, entry.counts.get(kind, 0)) for kind, label in PerformanceKind.choices]
        context.update(
            evaluation=evaluation,
            page_obj=page_obj,
            entries=page_obj.object_list,
            proposals=evaluation.outstanding_proposals.select_related("representative"),
            kinds=PerformanceKind.choices,
            querystring=querystring_without_page(self.request.GET),
        )
        return context


class EvaluationNominateView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.EVALUATION

    def post(self, request, pk):
        entry = get_object_or_404(
            EvaluationEntry.objects.filter(evaluation__in=access.evaluations_visible(request.user)), pk=pk
        )
        try:
            evaluation_services.evaluation_nominate(
                actor=request.user, entry=entry, outstanding=request.POST.get("outstanding") == "1"
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        return redirect(reverse("representatives:evaluation_detail", args=[entry.evaluation_id]))


class EvaluationPublishView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.EVALUATION

    def post(self, request, pk):
        evaluation = get_object_or_404(access.evaluations_visible(request.user), pk=pk)
        try:
            evaluation_services.evaluation_publish(actor=request.user, evaluation=evaluation)
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("The evaluation was published and is now frozen."))
        return redirect(reverse("representatives:evaluation_detail", args=[pk]))


# --- Report-backs ----------------------------------------------------------------------------


class ReportBackPlanView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/report_back_plan.html"

    def station(self):
        stations = access.stations_visible(self.request.user)
        pk = parse_id(self.request.GET.get("station", "") or self.request.POST.get("station", ""))
        if pk is not None:
            return get_object_or_404(stations, pk=pk)
        return stations.order_by("path").first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        station = self.station()
        year = year_from(self.request)
        plan = (
            report_back_selectors.station_plan(user=self.request.user, station=station, year=year) if station else None
        )
        context.update(
            station=station,
            year=year,
            plan=plan,
            not_yet=plan.not_yet.select_related("home_station")[:200] if plan else [],
        )
        return context

    def post(self, request):
        station = self.station()
        year = year_from(request)
        if station is None:
            return redirect("representatives:report_back_plan")
        rep_id = parse_id(request.POST.get("representative", ""))
        if rep_id is not None:  # one representative planned by hand
            rep = get_object_or_404(access.performance_representatives(request.user), pk=rep_id)
            try:
                report_back_services.report_back_plan(actor=request.user, representative=rep, year=year)
            except ValidationError as exc:
                message_service_errors(request, exc)
            else:
                messages.success(request, _("%(count)s report-backs were planned.") % {"count": 1})
        else:
            planned = report_back_services.report_back_plan_share(actor=request.user, station=station, year=year)
            messages.success(request, _("%(count)s report-backs were planned.") % {"count": planned})
        return redirect(reverse("representatives:report_back_plan") + f"?station={station.pk}&year={year}")


class ReportBackHeldView(access.CapabilityRequiredMixin, FormView):
    capability = access.Capability.ROSTER
    template_name = "representatives/report_back_form.html"
    form_class = ReportBackHeldForm

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.report_back = get_object_or_404(
                access.report_backs_changeable(request.user).select_related("representative"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        rb = self.report_back
        if rb.held_on is None:
            return {"place": rb.place}
        return {
            "held_on": rb.held_on,
            "place": rb.place,
            "attendees": rb.attendees,
            "satisfied": rb.rated_satisfied,
            "partly": rb.rated_partly,
            "unsatisfied": rb.rated_unsatisfied,
            "summary": rb.summary,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(report_back=self.report_back, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report_back_services.report_back_record_held(actor=self.request.user, report_back=self.report_back, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The report-back was recorded."))
        station = self.report_back.representative.home_station_id
        return redirect(reverse("representatives:report_back_plan") + f"?station={station}&year={data['held_on'].year}")


class ReportBackUndoView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.ROSTER

    def post(self, request, pk):
        rb = get_object_or_404(access.report_backs_changeable(request.user).select_related("representative"), pk=pk)
        station, year = rb.representative.home_station_id, rb.year
        report_back_services.report_back_undo(actor=request.user, report_back=rb)
        messages.success(request, _("The report-back was undone."))
        return redirect(reverse("representatives:report_back_plan") + f"?station={station}&year={year}")
