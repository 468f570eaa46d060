"""Roster import (template, upload, preview, confirm, progress) and export to Excel."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from liaison import access
from liaison.pagination import paginate
from liaison.view_helpers import message_service_errors, xlsx_response
from representatives.filters import representative_filter
from representatives.selectors import imports as selectors
from representatives.services import exports
from representatives.services import imports as services
from representatives.services.import_format import MAX_UPLOAD_BYTES, Action

PREVIEW_PAGE_SIZE = 100


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportTemplateView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.ROSTER

    def get(self, request):
        return xlsx_response(exports.template_workbook(actor=request.user), "代表名册导入模板.xlsx")


class ImportStartView(access.CapabilityRequiredMixin, FormView):
    """Upload a file; it is checked and shown as a preview before anything is written."""

    capability = access.Capability.ROSTER
    form_class = ImportUploadForm
    template_name = "representatives/import_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batches"] = selectors.import_batches(user=self.request.user)[:10]
        context["max_mb"] = MAX_UPLOAD_BYTES // (1024 * 1024)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("The file is too large: at most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
            batch = services.import_receive(actor=self.request.user, name=upload.name, data=upload.read())
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        return redirect(batch)


class ImportDetailView(access.CapabilityRequiredMixin, TemplateView):
    """The preview of an uploaded file, then its progress, then its result."""

    capability = access.Capability.ROSTER
    template_name = "representatives/import_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = selectors.import_batch_get(user=self.request.user, pk=self.kwargs["pk"])
        show = self.request.GET.get("show", "")
        if show not in Action.ALL:
            show = ""
        rows = [row for row in batch.report if row["action"] == show] if show else batch.report
        page_obj = paginate(rows, PREVIEW_PAGE_SIZE, self.request.GET.get("page"))
        counts = {action: batch.counts.get(action, 0) for action in Action.ALL}
        context.update(
            batch=batch,
            counts=counts,
            to_write=counts[Action.NEW] + counts[Action.UPDATE],
            can_retry=services.import_can_retry(batch),
            show=show,
            page_obj=page_obj,
            querystring=f"show={show}" if show else "",
            progress=services.get_progress(batch.pk),
        )
        return context


class ImportProgressView(access.CapabilityRequiredMixin, TemplateView):
    """Polled by htmx while the import runs; when it ends, the whole page reloads with the result."""

    capability = access.Capability.ROSTER
    template_name = "representatives/import_progress.html"

    def get(self, request, *args, **kwargs):
        batch = selectors.import_batch_get(user=request.user, pk=kwargs["pk"], with_report=False)
        if batch.status not in (batch.Status.QUEUED, batch.Status.CHECKING) and request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return self.render_to_response({"batch": batch, "progress": services.get_progress(batch.pk)})


class ImportConfirmView(access.CapabilityRequiredMixin, View):
    """POST only: the uploader imports a previewed file without errors (all rows or none)."""

    capability = access.Capability.ROSTER

    def post(self, request, pk):
        batch = selectors.import_batch_get(user=request.user, pk=pk, with_report=False)
        try:
            services.import_confirm(actor=request.user, batch=batch)
        except ValidationError as exc:
            message_service_errors(request, exc)
        return redirect(batch)


class ImportResolveView(access.CapabilityRequiredMixin, View):
    """POST only: the uploader says whether a conflict row is a namesake on the roster or someone new."""

    capability = access.Capability.ROSTER

    def post(self, request, pk):
        batch = selectors.import_batch_get(user=request.user, pk=pk, with_report=False)
        try:
            row = int(request.POST.get("row", ""))
            representative = request.POST.get("representative") or None
            representative = int(representative) if representative is not None else None
        except ValueError:
            messages.error(request, _("This row has nothing to decide: reload the preview."))
            return redirect(batch)
        try:
            services.import_resolve(
                actor=request.user,
                batch=batch,
                row=row,
                choice=request.POST.get("choice", ""),
                representative_id=representative,
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
        return redirect(batch)


class RepresentativeExportView(access.CapabilityRequiredMixin, View):
    """The roster list as filtered (same GET parameters), in the import template's format."""

    capability = access.Capability.ROSTER

    def get(self, request):
        representatives = representative_filter(user=request.user, params=request.GET).qs
        content = exports.roster_workbook(actor=request.user, representatives=representatives)
        return xlsx_response(content, f"代表名册-{timezone.localdate():%Y%m%d}.xlsx")
