"""The roster: list, detail, create, edit, end service, and a representative's own record."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from representatives.forms import CorrectionForm, EndServiceForm, LinkUserForm, RepresentativeForm
from representatives.models import RecordCorrection
from representatives.selectors import roster as selectors
from representatives.services import roster as services

# Columns the roster can be sorted by (the `o` parameter of RepresentativeFilter).
SORTABLE = ("name", "birth_year", "level", "term", "station", "township")


def shows_full_phones(user) -> bool:
    """Officers and township staff call representatives; others see masked numbers in lists."""
    roles = access.roles(user)
    return bool(roles & {access.Role.STATION_OFFICER, access.Role.TOWNSHIP_STAFF})


class RepresentativeListView(access.CapabilityRequiredMixin, TemplateView):
    capability = "roster"
    template_name = "representatives/representative_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = selectors.representative_filter(user=user, params=self.request.GET)
        # Invalid filter values are left out of .qs (and the page says so), never an error page.
        paginator = Paginator(filterset.qs, self.paginate_by)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
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
            full_phones=shows_full_phones(user),
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
        context.update(
            rep=rep,
            may_change=may_change,
            is_own=rep.user_id == user.pk,
            history=selectors.representative_history(representative=rep),
            corrections=selectors.representative_corrections(representative=rep),
            register_entry=selectors.representative_register_entry(representative=rep),
            correction_form=CorrectionForm(),
            end_form=EndServiceForm(),
            link_form=LinkUserForm(),
        )
        return context


class MyRecordView(RepresentativeDetailView):
    def get_representative(self):
        return selectors.representative_of_user(user=self.request.user)


class RepresentativeFormMixin(access.CapabilityRequiredMixin):
    capability = "roster"
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
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": rep.name})
        return redirect(rep)


class RepresentativeCreateView(RepresentativeFormMixin, FormView):
    success_message = _("Representative %(name)s was added to the roster.")

    def get_initial(self):
        return {"ethnicity": "汉族"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New representative"), **kwargs)

    def save(self, form):
        fields, specialties = self.fields_from(form)
        return services.representative_create(actor=self.request.user, specialties=specialties, **fields)


class RepresentativeUpdateView(RepresentativeFormMixin, FormView):
    success_message = _("The record of %(name)s was saved.")

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
            actor=self.request.user, representative=self.rep, specialties=specialties, **fields
        )


class RepresentativeEndServiceView(access.CapabilityRequiredMixin, View):
    """POST: record a resignation or termination (the record stays, with date and reason)."""

    capability = "roster"

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
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The service of %(name)s has been ended.") % {"name": rep.name})
        return redirect(rep)


class RepresentativeLinkUserView(access.CapabilityRequiredMixin, View):
    """POST: link a sign-in account (by user name) to the representative."""

    capability = "roster"

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
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(name)s can now sign in and see their own record.") % {"name": rep.name})
        return redirect(rep)


class CorrectionRequestView(LoginRequiredMixin, View):
    """POST: a representative asks their station to correct their own record."""

    def post(self, request, pk):
        rep = selectors.representative_get(user=request.user, pk=pk)
        if rep.user_id != request.user.pk:
            raise Http404
        form = CorrectionForm(request.POST)
        if form.is_valid():
            services.correction_request(actor=request.user, representative=rep, message=form.cleaned_data["message"])
            messages.success(request, _("Your request was sent to your station officer."))
        else:
            for error in form.errors.get("message", []):
                messages.error(request, error)
        return redirect(rep)


class CorrectionResolveView(access.CapabilityRequiredMixin, View):
    capability = "roster"

    def post(self, request, pk):
        correction = get_object_or_404(
            RecordCorrection.objects.filter(representative__in=access.representatives_changeable(request.user)),
            pk=pk,
        )
        try:
            services.correction_resolve(actor=request.user, correction=correction, note=request.POST.get("note", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(correction.representative)
        messages.success(request, _("The correction request was marked as done."))
        return redirect(correction.representative)
