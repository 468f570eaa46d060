"""Activities, attendance, check-in and funds: thin views over services and selectors."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.activities import selectors
from liaison.activities.forms import ActivityForm, BudgetForm, ExpenseForm, InviteForm
from liaison.activities.services import activities as activity_services
from liaison.activities.services import funds as fund_services
from liaison.ids import parse_id, parse_ids
from liaison.models import Activity, FundPurpose
from liaison.pagination import paginate
from liaison.view_helpers import ServiceFormViewMixin

ACTIVITIES = access.Capability.ACTIVITIES


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _year(request) -> int:
    value = parse_id(request.GET.get("year"))
    return value if value and 2000 <= value <= 2100 else timezone.localdate().year


class ActivityListView(access.CapabilityRequiredMixin, TemplateView):
    capability = ACTIVITIES
    template_name = "liaison/activity_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        kind = get.get("kind", "")
        kind = kind if kind in Activity.Kind.values else ""
        when = get.get("when", "")
        when = when if when in ("coming", "unrecorded") else ""
        year = parse_id(get.get("year"))
        year = year if year and 2000 <= year <= 2100 else None
        activities = selectors.activity_list(user=self.request.user, kind=kind, year=year, when=when)
        page = paginate(activities, self.paginate_by, get.get("page"))
        query = {k: v for k, v in {"kind": kind, "when": when, "year": year or ""}.items() if v}
        context.update(
            page_obj=page,
            activities=page.object_list,
            kind=kind,
            kinds=Activity.Kind.choices,
            when=when,
            year=year,
            querystring="&".join(f"{k}={v}" for k, v in query.items()),
            may_create=access.activity_stations(self.request.user).exists(),
        )
        return context


class ActivityFormMixin(access.CapabilityRequiredMixin, ServiceFormViewMixin):
    capability = ACTIVITIES
    form_class = ActivityForm
    template_name = "liaison/activity_form.html"

    def saved_message(self, obj) -> str:
        return _("Activity %(title)s was saved.") % {"title": obj.title}


class ActivityCreateView(ActivityFormMixin, FormView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New activity"), **kwargs)

    def save(self, fields, form):
        return activity_services.activity_create(actor=self.request.user, **fields)


class ActivityUpdateView(ActivityFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, ACTIVITIES):
            self.activity = selectors.activity_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.activity_get(user=self.request.user, pk=self.activity.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(title)s") % {"title": self.activity.title}, activity=self.activity, **kwargs
        )

    def save(self, fields, form):
        return activity_services.activity_update(
            actor=self.request.user, activity=self.activity, opened=form.opened_values(), **fields
        )


class ActivityDetailView(access.CapabilityRequiredMixin, TemplateView):
    """The activity, its invitees with attendance (recorded here), its expenses and history."""

    capability = ACTIVITIES
    template_name = "liaison/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        activity = selectors.activity_get(user=user, pk=self.kwargs["pk"])
        invitations = list(selectors.activity_invitations(activity=activity))
        expenses = list(selectors.activity_expenses(activity=activity))
        query = self.request.GET.get("q", "").strip()[:30]
        context.update(
            activity=activity,
            invitations=invitations,
            attended_count=sum(1 for i in invitations if i.attended_at),
            expenses=expenses,
            spent=sum((e.amount for e in expenses), Decimal("0.00")),
            may_change=access.activities_changeable(user).filter(pk=activity.pk).exists(),
            started=activity.starts_at <= timezone.now(),
            invite_form=InviteForm(user=user),
            expense_form=ExpenseForm(),
            query=query,
            results=selectors.representative_search(user=user, text=query, exclude_activity=activity),
            history=selectors.activity_history(activity=activity),
            expense_history=selectors.expense_history(activity=activity),
            check_in_url=self.request.build_absolute_uri(reverse("activities:check_in", args=[activity.pk])),
        )
        return context


class ActivityChangeMixin(access.CapabilityRequiredMixin, View):
    """POST-only actions on an activity the user may change (another station's: 404)."""

    capability = ACTIVITIES

    def post(self, request, pk):
        activity = get_object_or_404(access.activities_changeable(request.user), pk=pk)
        try:
            self.act(request, activity)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        return redirect(self.next_url(activity))

    def next_url(self, activity):
        return activity.get_absolute_url()


class ActivityInviteView(ActivityChangeMixin):
    def act(self, request, activity):
        form = InviteForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose stations, groups or representatives to invite."))
            return
        count = activity_services.activity_invite(
            actor=request.user,
            activity=activity,
            stations=form.cleaned_data["stations"],
            groups=form.cleaned_data.get("groups", ()),
            representative_ids=parse_ids(request.POST.getlist("representatives")),
        )
        if count:
            messages.success(request, _("%(count)s representatives were invited.") % {"count": count})
        else:
            messages.info(request, _("Nobody new to invite: they are invited already or none was chosen."))


class ActivityUninviteView(ActivityChangeMixin):
    def act(self, request, activity):
        rep_id = parse_id(request.POST.get("representative"))
        if rep_id:
            activity_services.activity_uninvite(actor=request.user, activity=activity, representative_id=rep_id)
            messages.success(request, _("The invitation was withdrawn."))


class ActivityAnnounceView(ActivityChangeMixin):
    def act(self, request, activity):
        sent = activity_services.activity_announce(actor=request.user, activity=activity)
        messages.success(request, _("The activity was announced; %(count)s invitees were told.") % {"count": sent})


class ActivityCancelView(ActivityChangeMixin):
    def act(self, request, activity):
        activity_services.activity_cancel(actor=request.user, activity=activity)
        messages.success(request, _("The activity was cancelled."))


class AttendanceRecordView(ActivityChangeMixin):
    def act(self, request, activity):
        result = activity_services.activity_attendance_record(
            actor=request.user, activity=activity, attended_ids=parse_ids(request.POST.getlist("attended"))
        )
        messages.success(
            request,
            _("Attendance saved: %(added)s marked present, %(removed)s marked absent.") % result,
        )

    def next_url(self, activity):
        return activity.get_absolute_url() + "#attendance"


class ExpenseCreateView(ActivityChangeMixin):
    def post(self, request, pk):
        activity = get_object_or_404(access.activities_changeable(request.user), pk=pk)
        form = ExpenseForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                fund_services.expense_record(actor=request.user, activity=activity, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("The expense was recorded."))
                return redirect(activity.get_absolute_url() + "#funds")
        messages.error(request, _("The expense was not recorded: please correct the errors below."))
        context = ActivityDetailView(request=request, kwargs={"pk": pk}).get_context_data(pk=pk)
        context["expense_form"] = form
        return render(request, "liaison/activity_detail.html", context, status=400)


class ExpenseDeleteView(access.CapabilityRequiredMixin, View):
    capability = ACTIVITIES

    def post(self, request, pk):
        expense = get_object_or_404(access.expenses_visible(request.user).select_related("activity"), pk=pk)
        fund_services.expense_delete(actor=request.user, expense=expense)
        messages.success(request, _("The expense was deleted (it stays in the history)."))
        return redirect(expense.activity.get_absolute_url() + "#funds")


class ReceiptView(access.CapabilityRequiredMixin, View):
    """A receipt is served only to those who see the expense (never from a public media URL)."""

    capability = ACTIVITIES

    def get(self, request, pk):
        expense = get_object_or_404(access.expenses_visible(request.user), pk=pk)
        if not expense.receipt:
            raise Http404
        try:
            handle = expense.receipt.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, filename=expense.receipt.name.rsplit("/", 1)[-1])


class RepresentativeSearchView(access.CapabilityRequiredMixin, View):
    """htmx: the invitee search results (at most ten, within the user's scope)."""

    capability = ACTIVITIES

    def get(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk)
        query = request.GET.get("q", "").strip()[:30]
        results = selectors.representative_search(user=request.user, text=query, exclude_activity=activity)
        return render(
            request, "liaison/activity_search_results.html", {"activity": activity, "results": results, "query": query}
        )


class CheckInView(LoginRequiredMixin, TemplateView):
    """The page the activity's QR code points at: the signed-in representative checks in."""

    template_name = "liaison/activity_check_in.html"

    def get_activity(self):
        return get_object_or_404(Activity.objects.select_related("station"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = kwargs.get("activity") or self.get_activity()
        invitation = access.own_invitations(self.request.user).filter(activity=activity).first()
        context.update(activity=activity, invitation=invitation)
        return context

    def post(self, request, pk):
        activity = self.get_activity()
        try:
            _invitation, now = activity_services.activity_check_in(user=request.user, activity=activity)
        except ValidationError as exc:
            context = self.get_context_data(activity=activity)
            context["error"] = " ".join(exc.messages)
            return self.render_to_response(context)
        if now:
            messages.success(request, _("You are checked in. Thank you for coming."))
        else:
            messages.success(request, _("Your attendance is already recorded."))
        return redirect("activities:check_in", pk=activity.pk)


class MyActivitiesView(LoginRequiredMixin, TemplateView):
    """A representative's invitations: coming ones to check in to, past ones with attendance."""

    template_name = "liaison/activity_mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "")
        show = show if show in ("check_in", "coming") else ""
        invitations = selectors.my_invitations(user=self.request.user, show=show)
        page = paginate(invitations, 25, self.request.GET.get("page"))
        context.update(
            show=show,
            page_obj=page,
            invitations=page.object_list,
            querystring=f"show={show}" if show else "",
            closed_before=timezone.now() - selectors.CHECK_IN_CLOSES,
        )
        return context


# --- Funds ------------------------------------------------------------------------------------


class BudgetReportView(access.CapabilityRequiredMixin, TemplateView):
    capability = ACTIVITIES
    template_name = "liaison/budget_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        report = selectors.budget_report(user=self.request.user, year=year)
        this_year = timezone.localdate().year
        context.update(
            year=year,
            years=range(this_year + 1, this_year - 5, -1),
            report=report,
            purposes=FundPurpose.choices,
            may_set=access.activity_stations(self.request.user).exists(),
            history=selectors.budget_history(user=self.request.user, year=year),
        )
        return context


class BudgetSetView(access.CapabilityRequiredMixin, FormView):
    capability = ACTIVITIES
    form_class = BudgetForm
    template_name = "liaison/budget_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        station_id = parse_id(self.request.GET.get("station"))
        if station_id:
            initial["station"] = access.activity_stations(self.request.user).filter(pk=station_id).first()
        return initial

    def form_valid(self, form):
        try:
            budget = fund_services.budget_set(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Budget saved: %(station)s, %(year)s, %(purpose)s, %(amount)s yuan.")
            % {
                "station": budget.station.name,
                "year": budget.year,
                "purpose": budget.get_purpose_display(),
                "amount": budget.amount,
            },
        )
        return redirect(f"{reverse('activities:budget_report')}?year={budget.year}")
