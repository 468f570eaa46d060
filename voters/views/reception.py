"""Reception pages: the calendar, scheduling, a day, its duties, my duties, the feed. Logging a day
and the visit pages are in `visits`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from icalendar import Calendar, Event

from liaison import access
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.privacy import shown_phone
from voters.forms.reception import CancelForm, DutyInviteForm, ReceptionStationForm, ScheduleForm
from voters.models import DutyAssignment, ReceptionDay
from voters.selectors import reception as selectors
from voters.services import reception as services


def errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class ReceptionAccessMixin(LoginRequiredMixin):
    """Staff who run reception days and representatives who hold them; others 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.uses_reception(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReceptionStaffMixin(access.CapabilityRequiredMixin):
    capability = access.Capability.RECEPTION


def _parse_month(value: str | None) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _shift_month(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


class ReceptionCalendarView(ReceptionAccessMixin, TemplateView):
    """A month of reception days: one station's or, for county staff, the county's."""

    template_name = "voters/reception_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        month = _parse_month(self.request.GET.get("month"))
        stations = access.reception_stations(user)
        station_id = parse_id(self.request.GET.get("station"))
        station = stations.filter(pk=station_id).first() if station_id else None
        days = list(selectors.calendar_days(user=user, month=month, station_id=station.pk if station else None))
        context.update(
            month=month,
            prev_month=_shift_month(month, -1).strftime("%Y-%m"),
            next_month=_shift_month(month, 1).strftime("%Y-%m"),
            weeks=selectors.month_grid(month=month, days=days),
            days=days,
            station=station,
            station_form=ReceptionStationForm(
                user=user, initial={"station": station}, empty_label=_("All stations in my scope")
            )
            if stations.exists()
            else None,
            today=timezone.localdate(),
            may_schedule=access.has_capability(user, access.Capability.RECEPTION),
        )
        return context


class ReceptionScheduleView(ReceptionStaffMixin, TemplateView):
    """Schedule one day or a series; the station is chosen first (its representatives are then
    the duty candidates: a bounded list)."""

    template_name = "voters/reception_schedule.html"

    def _station(self):
        station_id = parse_id(self.request.GET.get("station"))
        if not station_id:
            return None
        station = access.reception_stations(self.request.user).filter(pk=station_id).first()
        if station is None:
            raise Http404
        return station

    def _form(self, station, data=None):
        candidates = services.duty_candidates(station=station) if station else services.Representative.objects.none()
        return ScheduleForm(data, candidates=candidates, station=station)

    def get(self, request, *args, **kwargs):
        station = self._station()
        return self.render_to_response(self._context(station, self._form(station)))

    def _context(self, station, form):
        return self.get_context_data(
            station=station,
            form=form,
            station_form=ReceptionStationForm(user=self.request.user),
        )

    def post(self, request, *args, **kwargs):
        station = self._station()
        if station is None:
            raise Http404
        form = self._form(station, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            rule = services.SeriesRule(
                frequency=data["frequency"],
                start=data["date"],
                until=data["until"],
                day_of_month=data["day_of_month"],
                months=data["months"] or "all",
            )
            try:
                days = services.reception_day_schedule(
                    actor=request.user,
                    station=station,
                    rule=rule,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    theme=data["theme"],
                    notice_days=data["notice_days"],
                    duty_representatives=data["duty_representatives"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("%(count)s reception days scheduled.") % {"count": len(days)})
                if len(days) == 1:
                    return redirect("voters:reception_detail", days[0].pk)
                return redirect(
                    reverse("voters:reception_calendar")
                    + f"?station={station.pk}&month={days[0].date.strftime('%Y-%m')}"
                )
        return self.render_to_response(self._context(station, form))


class ReceptionDayDetailView(ReceptionAccessMixin, TemplateView):
    template_name = "voters/reception_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = selectors.reception_day_get(user=user, pk=self.kwargs["pk"])
        duties = list(selectors.day_duties(day=day))
        may_change = access.reception_days_changeable(user).filter(pk=day.pk).exists()
        invited = {duty.representative_id for duty in duties}
        invite_form = None
        if may_change and day.status == ReceptionDay.Status.PLANNED:
            candidates = services.duty_candidates(station=day.station).exclude(pk__in=invited)
            invite_form = DutyInviteForm(day=day, candidates=candidates)
        visits = list(selectors.visit_list(user=user, day=day))
        mask_visits(user, visits)
        context.update(
            day=day,
            duties=duties,
            visits=visits,
            may_change=may_change,
            may_log=access.reception_days_loggable(user).filter(pk=day.pk).exists()
            and day.status != ReceptionDay.Status.CANCELLED
            and day.date <= timezone.localdate(),
            invite_form=invite_form,
            cancel_form=CancelForm(),
        )
        return context


def mask_visits(user, visits) -> None:
    for visit in visits:
        phone = visit.voter.phone if visit.voter else ""
        visit.phone_shown = shown_phone(phone, full=access.sees_full_phones(user, visit.day.station))


class DutyInviteView(ReceptionStaffMixin, View):
    def post(self, request, pk):
        day = selectors.reception_day_get(user=request.user, pk=pk, for_change=True)
        rep = (
            services.duty_candidates(station=day.station)
            .filter(pk=parse_id(request.POST.get("representative")))
            .first()
        )
        if rep is None:
            messages.error(request, _("Choose one of the station's serving representatives."))
        else:
            try:
                services.duty_invite(actor=request.user, day=day, representative=rep)
            except ValidationError as exc:
                messages.error(request, errors_text(exc))
            else:
                messages.success(request, _("%(name)s is invited.") % {"name": rep.name})
        return redirect("voters:reception_detail", day.pk)


class ReceptionCancelView(ReceptionStaffMixin, View):
    def post(self, request, pk):
        day = selectors.reception_day_get(user=request.user, pk=pk, for_change=True)
        try:
            services.reception_day_cancel(actor=request.user, day_id=day.pk, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("The reception day is cancelled; the duty representatives are told."))
        return redirect("voters:reception_detail", day.pk)


class ReceptionDayListView(ReceptionAccessMixin, TemplateView):
    """The reception days behind a number on the home page (`?waiting=`: see selectors.WAITING)."""

    template_name = "voters/reception_list.html"
    paginate_by = 25
    TITLES = {
        "unconfirmed": gettext_lazy("Days with unconfirmed duties"),
        "station_to_log": gettext_lazy("Days at my stations not logged yet"),
        "to_log": gettext_lazy("Held, not logged yet"),
        "today": gettext_lazy("Reception days today"),
        "to_answer": gettext_lazy("Duties to confirm"),
        "this_month": gettext_lazy("Duties this month"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = self.request.GET.get("waiting", "")
        if waiting not in selectors.WAITING:
            waiting = "to_log"
        days = selectors.reception_day_list(user=self.request.user, waiting=waiting)
        page_obj = paginate(days, self.paginate_by, self.request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            days=page_obj.object_list,
            title=self.TITLES[waiting],
            waiting=waiting,
            log_links=waiting in ("to_log", "station_to_log"),
            querystring=f"waiting={waiting}",
        )
        return context


class MyReceptionView(ReceptionAccessMixin, TemplateView):
    """A representative's duties to answer, days to log, and their calendar link."""

    template_name = "voters/reception_mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        feed = selectors.active_feed(user=user)
        context.update(
            duties=list(selectors.my_duties(user=user)[:50]),
            to_log=list(selectors.days_to_log(user=user, mine_only=True)[:50]),
            feed=feed,
            feed_url=self.request.build_absolute_uri(reverse("voters:reception_feed", args=[feed.token]))
            if feed
            else "",
            is_representative=services.Representative.objects.filter(user=user).exists(),
            is_staff=access.has_capability(user, access.Capability.RECEPTION),
        )
        if context["is_staff"]:
            context.update(
                unconfirmed_days=list(selectors.days_with_unconfirmed_duties(user=user)[:50]),
                station_to_log=list(selectors.station_days_to_log(user=user)[:50]),
            )
        return context


class DutyRespondView(ReceptionAccessMixin, View):
    def post(self, request, pk):
        confirm = request.POST.get("answer") == "confirm"
        try:
            services.duty_respond(
                actor=request.user, duty_id=pk, confirm=confirm, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(
                request, _("Thank you: your duty is confirmed.") if confirm else _("Your duty is declined.")
            )
        return redirect("voters:reception_mine")


class FeedRenewView(ReceptionAccessMixin, View):
    def post(self, request):
        try:
            services.calendar_feed_renew(actor=request.user)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("A new calendar link is ready; the old one no longer works."))
        return redirect("voters:reception_mine")


class FeedRevokeView(ReceptionAccessMixin, View):
    def post(self, request):
        services.calendar_feed_revoke(actor=request.user)
        messages.success(request, _("The calendar link is revoked."))
        return redirect("voters:reception_mine")


def calendar_feed(request, token: str):
    """The private iCalendar feed (no sign-in: the unguessable token is the key)."""
    feed, duties = selectors.feed_duties(token=token)
    if feed is None:
        raise Http404
    cal = Calendar()
    cal.add("prodid", "-//liaison//reception days//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("My reception duties"))
    tz = timezone.get_current_timezone()
    for duty in duties:
        day = duty.day
        event = Event()
        event.add("uid", f"reception-duty-{duty.pk}@liaison")
        event.add("summary", _("Reception day: %(station)s") % {"station": day.station.name})
        event.add("dtstart", datetime.datetime.combine(day.date, day.starts_at, tzinfo=tz))
        event.add("dtend", datetime.datetime.combine(day.date, day.ends_at, tzinfo=tz))
        event.add("dtstamp", timezone.now())
        if day.station.address:
            event.add("location", day.station.address)
        description = day.theme
        if day.status == ReceptionDay.Status.CANCELLED:
            event.add("status", "CANCELLED")
            description = _("Cancelled: %(reason)s") % {"reason": day.cancel_reason}
        else:
            event.add("status", "CONFIRMED" if duty.status == DutyAssignment.Status.CONFIRMED else "TENTATIVE")
        if description:
            event.add("description", description)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
