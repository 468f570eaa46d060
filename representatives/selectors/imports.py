"""Roster import reads: a user sees and confirms only the files they uploaded themselves."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from representatives.models import ImportBatch


def import_batches(*, user) -> QuerySet[ImportBatch]:
    """The user's own uploads, newest first (without the staged cells)."""
    if not access.has_capability(user, access.Capability.ROSTER):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(uploaded_by=user).defer("rows", "report", "upload").order_by("-created_at")


def import_batch_get(*, user, pk: int, with_report: bool = True) -> ImportBatch:
    """One of the user's uploads; anyone else's is a 404."""
    queryset = access.import_batches_own(user).defer("rows", "upload")
    if not with_report:
        queryset = queryset.defer("rows", "report", "upload")
    return get_object_or_404(queryset, pk=pk)
