"""A handling unit's console: its assignments (due soonest first), one assignment with what its
page shows, its counts for the home page. Every read starts from `access.assignments_of_unit`."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison import access
from suggestions.models import Answer, Assignment, Transition

# "Due soon": within this many days (the watch reminds 7, 3 and 1 days before).
DUE_SOON_DAYS = 7
WHEN_CHOICES = ("overdue", "due_soon", "done")


def unit_assignments(user, *, when: str = "") -> QuerySet[Assignment]:
    """The unit's items. Default: those being handled, due soonest first; `overdue`, `due_soon`
    narrow them; `done` lists finished ones (answered, returned, ended), newest first."""
    today = timezone.localdate()
    qs = access.assignments_of_unit(user).select_related("suggestion__category", "suggestion__station", "unit")
    if when == "done":
        return qs.exclude(status=Assignment.Status.ACTIVE).order_by("-assigned_at", "-pk")
    qs = qs.filter(status=Assignment.Status.ACTIVE)
    if when == "overdue":
        qs = qs.filter(due_on__lt=today)
    elif when == "due_soon":
        qs = qs.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
    return qs.order_by("due_on", "pk")


def unit_counts(user) -> dict[str, int]:
    """How many items the unit is handling, how many are overdue, how many due within a week."""
    today = timezone.localdate()
    active = Q(status=Assignment.Status.ACTIVE)
    return access.assignments_of_unit(user).aggregate(
        active=Count("pk", filter=active),
        overdue=Count("pk", filter=active & Q(due_on__lt=today)),
        due_soon=Count(
            "pk",
            filter=active & Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)),
        ),
    )


def unit_assignment(user, pk: int) -> Assignment:
    """One of the unit's assignments with its suggestion, the other units on it (their opinions),
    its answers and timeline; another unit's is a 404."""
    qs = access.assignments_of_unit(user).select_related(
        "unit", "suggestion__category", "suggestion__station__division", "suggestion__representative"
    )
    assignment = get_object_or_404(qs, pk=pk)
    suggestion = assignment.suggestion
    # Loaded here once for the page (no query from the template).
    assignment.others = list(
        suggestion.assignments.exclude(pk=assignment.pk).select_related("unit").order_by("round", "role", "pk")
    )
    assignment.answer_rows = list(
        Answer.objects.filter(suggestion=suggestion).prefetch_related("attachments").order_by("answered_at", "pk")
    )
    assignment.timeline_rows = list(Transition.objects.filter(suggestion=suggestion).order_by("at", "pk"))
    assignment.extension = assignment.extension_requests.first()
    return assignment
