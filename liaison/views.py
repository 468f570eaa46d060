"""Console pages of the station network, the dashboard and the inbox."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access, dashboards, selectors, services
from liaison.edit_conflicts import EditConflict, EditConflictViewMixin
from liaison.forms import StationForm
from liaison.ids import parse_id, parse_ids
from liaison.models import Division, Station
from liaison.pagination import paginate
from liaison.text import normalize_text
from liaison.view_helpers import add_service_errors, message_service_errors, querystring_without_page


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "liaison/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counted once for the inbox panel and the navigation's badge.
        unread = selectors.notification_unread_count(user=self.request.user)
        context["panels"] = dashboards.panels_for(self.request.user, unread=unread)
        context["unread_count"] = unread
        return context


TREE_PAGE_SIZE = 100
TOWNSHIP_CHOICES = 150


class StationTreeView(access.CapabilityRequiredMixin, TemplateView):
    """The station network. Unfiltered: the top of the user's tree, each node opened on demand
    (StationChildrenView, htmx), so a province's 10,000 stations are never rendered at once.
    Filtered or searched by name: a flat, paged list of the matches, each with its path."""

    capability = access.Capability.STATION_CONSOLE
    template_name = "liaison/station_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        include_inactive = self.request.GET.get("inactive") == "1"
        township_id = parse_id(self.request.GET.get("township")) or 0
        user = self.request.user
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in Station.Kind.values else ""
        in_county_town = {"1": True, "0": False}.get(self.request.GET.get("county_town", ""))
        without_officer = self.request.GET.get("no_officer") == "1"
        name = normalize_text(self.request.GET.get("q", ""))[:50]
        flat = bool(kind or township_id or in_county_town is not None or without_officer or name)
        page = self.request.GET.get("page")
        townships = list(
            access.divisions_visible(user)
            .filter(kind__in=Division.TOWNSHIP_LEVEL)
            .order_by("path")
            .values("pk", "name")[: TOWNSHIP_CHOICES + 1]
        )
        if flat:
            page_obj = paginate(
                selectors.station_tree(
                    user=user,
                    include_inactive=include_inactive,
                    township_id=township_id,
                    kind=kind,
                    in_county_town=in_county_town,
                    without_officer=without_officer,
                    name=name,
                ),
                TREE_PAGE_SIZE,
                page,
            )
            station_count = page_obj.paginator.count
            path_names = selectors.station_path_names(page_obj.object_list)
            for station in page_obj.object_list:
                station.path_names = path_names.get(station.pk, [])
        else:
            page_obj = paginate(
                selectors.station_tree_level(user=user, include_inactive=include_inactive), TREE_PAGE_SIZE, page
            )
            station_count = selectors.station_total(user=user, include_inactive=include_inactive)
        context.update(
            flat=flat,
            page_obj=page_obj,
            stations=page_obj.object_list,
            station_count=station_count,
            querystring=querystring_without_page(self.request.GET),
            name=name,
            kind=kind,
            kinds=Station.Kind.choices,
            in_county_town=in_county_town,
            without_officer=without_officer,
            include_inactive=include_inactive,
            township_id=township_id,
            # A province has 1,200 townships: past TOWNSHIP_CHOICES the filter is not offered as a
            # dropdown (one query either way; a township link from elsewhere still filters).
            townships=townships if len(townships) <= TOWNSHIP_CHOICES else None,
            may_create=access.stations_changeable(user).exists(),
        )
        return context


class StationChildrenView(access.CapabilityRequiredMixin, TemplateView):
    """The stations under one node of the tree (htmx): the node's row, opened, then its children
    (a page of them, with a row that fetches the next page)."""

    capability = access.Capability.STATION_CONSOLE
    template_name = "liaison/station_tree_children.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        include_inactive = self.request.GET.get("inactive") == "1"
        parent = selectors.station_tree_node(user=user, pk=self.kwargs["pk"], include_inactive=include_inactive)
        page_obj = paginate(
            selectors.station_tree_level(user=user, parent=parent, include_inactive=include_inactive),
            TREE_PAGE_SIZE,
            self.request.GET.get("page"),
        )
        context.update(
            parent=parent,
            page_obj=page_obj,
            stations=page_obj.object_list,
            include_inactive=include_inactive,
            first_page=page_obj.number == 1,
        )
        return context


class StationDetailView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.STATION_CONSOLE
    template_name = "liaison/station_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        station = selectors.station_get(user=user, pk=self.kwargs["pk"])
        children = paginate(selectors.station_children(station=station), TREE_PAGE_SIZE, self.request.GET.get("page"))
        context.update(
            station=station,
            children=children.object_list,
            page_obj=children,
            history=selectors.station_history(station=station),
            grant_history=selectors.station_grant_history(user=user, station=station),
            may_change=access.stations_changeable(user).filter(pk=station.pk).exists(),
        )
        return context


class StationFormMixin(access.CapabilityRequiredMixin, EditConflictViewMixin):
    capability = access.Capability.STATION_CONSOLE
    form_class = StationForm
    template_name = "liaison/station_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            station = self.save(form)
        except EditConflict as exc:
            return self.conflict_response(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": station.name})
        return redirect(station)

    def cleaned_station_fields(self, form):
        return {name: form.cleaned_data[name] for name in form.Meta.fields}


class StationCreateView(StationFormMixin, FormView):
    success_message = gettext_lazy("Station %(name)s was created.")

    def get_initial(self):
        initial = super().get_initial()
        parent_id = parse_id(self.request.GET.get("parent"))
        if parent_id:
            parent = access.stations_changeable(self.request.user).filter(pk=parent_id).first()
            if parent is not None:
                initial.update(
                    parent=parent,
                    division=parent.division,
                    kind=Station.Kind.POINT if parent.kind != Station.Kind.GENERAL else Station.Kind.STATION,
                )
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Station()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("New station")
        return context

    def save(self, form):
        return services.station_create(actor=self.request.user, **self.cleaned_station_fields(form))


class StationUpdateView(StationFormMixin, FormView):
    success_message = gettext_lazy("Station %(name)s was saved.")

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):  # else the mixin answers 302/403
            self.station = selectors.station_get(user=request.user, pk=kwargs["pk"], for_change=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form validates a copy, so a failed save leaves self.station as it was.
        kwargs["instance"] = selectors.station_get(user=self.request.user, pk=self.station.pk, for_change=True)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Edit %(name)s") % {"name": self.station.name}, station=self.station)
        return context

    def save(self, form):
        return services.station_update(
            actor=self.request.user,
            station=self.station,
            opened=form.opened_values(),
            **self.cleaned_station_fields(form),
        )


class StationActivationView(access.CapabilityRequiredMixin, View):
    """POST only: deactivate (never delete) or reactivate a station."""

    capability = access.Capability.STATION_CONSOLE
    activate = False

    def post(self, request, pk):
        station = selectors.station_get(user=request.user, pk=pk, for_change=True)
        service = services.station_reactivate if self.activate else services.station_deactivate
        try:
            service(actor=request.user, station=station)
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            if self.activate:
                messages.success(request, _("Station %(name)s is active again.") % {"name": station.name})
            else:
                messages.success(request, _("Station %(name)s was deactivated.") % {"name": station.name})
        return redirect(station)


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "liaison/inbox.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unread_only = self.request.GET.get("unread") == "1"
        context["page_obj"] = paginate(
            selectors.notification_list(user=self.request.user, unread_only=unread_only),
            self.paginate_by,
            self.request.GET.get("page"),
        )
        context["unread_only"] = unread_only
        context["querystring"] = "unread=1" if unread_only else ""
        return context

    def post(self, request):
        ids = parse_ids(request.POST.getlist("notification"))
        services.notification_mark_read(user=request.user, notification_ids=ids or None)
        return redirect(reverse("liaison:inbox"))


class NotificationPreferenceForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("Also by email"), required=False)
    sms = forms.BooleanField(label=gettext_lazy("Also by SMS"), required=False)


class NotificationPreferenceView(LoginRequiredMixin, FormView):
    """The user's channels besides the inbox (in-app is always on)."""

    template_name = "liaison/notification_preferences.html"
    form_class = NotificationPreferenceForm

    def get_initial(self):
        channels = services.preferred_channels(self.request.user)
        return {"email": "email" in channels, "sms": "sms" in channels}

    def form_valid(self, form):
        try:
            services.notification_preference_update(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("liaison:notification_preferences")
