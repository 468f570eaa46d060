"""The 1+M+N grid: the coverage report, a township's grid, one representative's links (the
assignment pages), the household visit log, and the representative search endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors
from representatives.models import Representative
from voters.forms.grid import GridLinkForm, HouseholdLinkForm, HouseholdVisitForm, OwnHouseholdVisitForm
from voters.selectors import grid as selectors
from voters.services import grid as services


class GridCoverageView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/grid_coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rows=selectors.grid_coverage(user=self.request.user),
            households_range=selectors.grid_range("households_per_township"),
            township_range=selectors.grid_range("township_per_county"),
        )
        return context


class GridTownshipView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/grid_township.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        township = selectors.grid_township_get(user=user, pk=self.kwargs["pk"])
        context.update(
            township=township,
            households_range=selectors.grid_range("households_per_township"),
            township_range=selectors.grid_range("township_per_county"),
            **selectors.grid_township_tree(user=user, township=township),
        )
        return context


class GridRepresentativeView(access.CapabilityRequiredMixin, TemplateView):
    """The assignment page of one representative: a county representative's township
    representatives, or a township representative's households; add (search) and remove."""

    capability = access.Capability.ROSTER
    template_name = "voters/grid_representative.html"

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.rep = selectors.grid_representative_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_county(self) -> bool:
        return self.rep.level == Representative.Level.COUNTY

    def make_form(self, data=None):
        if self.is_county:
            return GridLinkForm(data, user=self.request.user, county_representative=self.rep)
        return HouseholdLinkForm(data, user=self.request.user, representative=self.rep)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rep = self.rep
        if self.is_county:
            links = list(selectors.grid_links_of(user=user, county_representative=rep))
            expected = selectors.grid_range("township_per_county")
        else:
            links = list(selectors.household_links_of(user=user, representative=rep))
            expected = selectors.grid_range("households_per_township")
        context.update(
            rep=rep,
            is_county=self.is_county,
            links=links,
            expected=expected,
            out_of_range=not expected[0] <= len(links) <= expected[1],
            county_link=None if self.is_county else selectors.county_link_of(representative=rep),
            visits=[] if self.is_county else selectors.household_visit_list(user=user, representative_id=rep.pk)[:20],
            form=kwargs.get("form") or self.make_form(),
        )
        return context

    def post(self, request, pk):
        remove = parse_id(request.POST.get("remove", ""))
        if remove:
            return self.remove(remove)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                if self.is_county:
                    warning = services.grid_link_add(
                        actor=request.user,
                        county_representative=self.rep,
                        township_representative=form.cleaned_data["township_representative"],
                    )
                else:
                    warning = services.household_link_add(
                        actor=request.user, representative=self.rep, household=form.cleaned_data["household"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The link was added."))
                if warning:
                    messages.warning(request, warning)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))

    def remove(self, link_pk: int):
        user = self.request.user
        if self.is_county:
            link = get_object_or_404(access.grid_links_visible(user), pk=link_pk, county_representative=self.rep)
            services.grid_link_remove(actor=user, link=link)
        else:
            link = get_object_or_404(access.household_links_visible(user), pk=link_pk, representative=self.rep)
            services.household_link_remove(actor=user, link=link)
        messages.success(self.request, _("The link was removed."))
        return redirect(self.request.path)


class HouseholdVisitListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "voters/grid_visit_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = selectors.household_visit_list(
            user=self.request.user,
            representative_id=parse_id(self.request.GET.get("representative", "")),
            household_id=parse_id(self.request.GET.get("household", "")),
        )
        page_obj = paginate(visits, self.paginate_by, self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(page_obj=page_obj, visits=page_obj.object_list, querystring=params.urlencode())
        return context


class HouseholdVisitCreateView(access.CapabilityRequiredMixin, FormView):
    capability = access.Capability.ROSTER
    template_name = "voters/grid_visit_form.html"
    form_class = HouseholdVisitForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = {}
        for name in ("household", "representative"):
            pk = parse_id(self.request.GET.get(name, ""))
            if pk:
                initial[name] = pk
        return initial

    def form_valid(self, form):
        try:
            services.household_visit_log(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The visit was logged."))
        return redirect(reverse("voters:grid_visit_list"))


class OwnGridView(LoginRequiredMixin, TemplateView):
    """A representative's own part of the grid: the households linked to them (and a form to log
    a visit), or the township representatives they link. Staff without a representative record: 404."""

    template_name = "voters/grid_mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_representative(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = selectors.own_grid(user=self.request.user)
        if grid["rep"] is None:
            raise Http404
        context.update(grid)
        context["form"] = kwargs.get("form") or OwnHouseholdVisitForm(user=self.request.user)
        return context

    def post(self, request):
        form = OwnHouseholdVisitForm(request.POST, user=request.user)
        grid = selectors.own_grid(user=request.user)
        if grid["rep"] is None:
            raise Http404
        if form.is_valid():
            try:
                services.household_visit_log(actor=request.user, representative=grid["rep"], **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The visit was logged."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))
