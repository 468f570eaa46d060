"""Representative groups: list, detail with members, create, edit, add and remove members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.view_helpers import ServiceFormViewMixin, message_service_errors
from representatives.forms import GroupForm, GroupMemberForm
from representatives.models import RepresentativeGroup
from representatives.selectors import groups as selectors
from representatives.services import groups as services


class GroupListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/group_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        if kind not in RepresentativeGroup.Kind.values:
            kind = ""
        page_obj = paginate(selectors.group_list(user=self.request.user, kind=kind), 50, self.request.GET.get("page"))
        context.update(
            groups=page_obj.object_list,
            page_obj=page_obj,
            querystring=f"kind={kind}" if kind else "",
            kinds=RepresentativeGroup.Kind.choices,
            kind=kind,
        )
        return context


class GroupDetailView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        group = selectors.group_get(user=user, pk=self.kwargs["pk"])
        memberships = selectors.group_memberships(group=group)
        context.update(
            group=group,
            memberships=memberships,
            may_change=selectors.group_may_change(user=user, group=group),
            member_form=GroupMemberForm(user=user),
            history=selectors.group_history(group=group),
        )
        return context


class GroupFormMixin(access.CapabilityRequiredMixin, ServiceFormViewMixin):
    capability = access.Capability.ROSTER
    form_class = GroupForm
    template_name = "representatives/group_form.html"

    def saved_message(self, obj) -> str:
        return _("Group %(name)s was saved.") % {"name": obj.name}


class GroupCreateView(GroupFormMixin, FormView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New group"), **kwargs)

    def save(self, fields, form):
        return services.group_create(actor=self.request.user, **fields)


class GroupUpdateView(GroupFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.group = selectors.group_get(user=request.user, pk=kwargs["pk"])
            if not selectors.group_may_change(user=request.user, group=self.group):
                return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.group_get(user=self.request.user, pk=self.group.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.group.name}, group=self.group, **kwargs
        )

    def save(self, fields, form):
        return services.group_update(actor=self.request.user, group=self.group, opened=form.opened_values(), **fields)


class GroupMembersView(access.CapabilityRequiredMixin, View):
    """POST: add a member (representative + role) or remove one (remove=<representative id>)."""

    capability = access.Capability.ROSTER

    def post(self, request, pk):
        group = selectors.group_get(user=request.user, pk=pk)
        if not selectors.group_may_change(user=request.user, group=group):
            return self.handle_no_permission()
        remove = parse_id(request.POST.get("remove"))
        if remove:
            services.group_remove_member(actor=request.user, group=group, representative_id=remove)
            messages.success(request, _("The member was removed."))
            return redirect(group)
        form = GroupMemberForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(group)
        try:
            services.group_add_member(
                actor=request.user,
                group=group,
                representative=form.cleaned_data["representative"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("%(name)s joined the group.") % {"name": form.cleaned_data["representative"]})
        return redirect(group)
