"""Files attached to answers: served only to those who see the suggestion (never from a public
media URL, whose paths could be guessed)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from suggestions.selectors.common import attachments_visible


class AttachmentView(LoginRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(attachments_visible(request.user), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)
