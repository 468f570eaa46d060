"""Reads every suggestion page shares: one suggestion with what its page shows, its timeline, and
who is told about a handling unit's items."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.models import RoleGrant, User
from suggestions.models import Answer, AnswerAttachment, Assignment, Suggestion, Transition


def suggestion_detail(user, pk: int) -> Suggestion:
    """The suggestion with everything its page shows, or 404 outside the user's scope."""
    qs = (
        access.suggestions_visible(user)
        .select_related("station__division", "category", "representative", "merged_into", "township")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("round", "role", "pk")),
            Prefetch(
                "answers", queryset=Answer.objects.select_related("assignment__unit").prefetch_related("attachments")
            ),
            "ratings",
            Prefetch("timeline", queryset=Transition.objects.select_related("actor").order_by("at", "pk")),
            "cosigners__representative",
        )
    )
    return get_object_or_404(qs, pk=pk)


def timeline_rows(suggestion: Suggestion, *, public: bool) -> list[Transition]:
    """The timeline steps in order; on a public page only the public ones."""
    rows = list(suggestion.timeline.all())
    return [row for row in rows if row.public] if public else rows


def unit_users(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active users answering for each handling unit (by unit id)."""
    found: dict[int, list[User]] = {}
    grants = (
        RoleGrant.objects.filter(
            role=RoleGrant.Role.HANDLING_UNIT, handling_unit_id__in=list(unit_ids), user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    for grant in grants:
        if grant.handling_unit_id is None:
            continue
        users = found.setdefault(grant.handling_unit_id, [])
        if grant.user not in users:
            users.append(grant.user)
    return found


def station_staff(station_ids: Iterable[int]) -> dict[int, list[User]]:
    """The station officers of each station (`liaison.selectors.station_officers`)."""
    from liaison.selectors import station_officers

    return station_officers(station_ids)


def suggestion_contact(user, suggestion: Suggestion) -> dict[str, str]:
    """The voter's name and phone as this reader may see them (`access.sees_suggestion_contact`):
    in full for the station's staff who call back, masked (张*, 138****5678) for everyone else."""
    from liaison.privacy import shown_phone

    full = access.sees_suggestion_contact(user, suggestion)
    name = suggestion.contact_name
    if not full and name:
        name = name[0] + "*" * max(len(name) - 1, 1)
    return {"name": name, "phone": shown_phone(suggestion.contact_phone, full=full), "full": "1" if full else ""}


def suggestion_survivor(suggestion: Suggestion) -> Suggestion:
    """The suggestion a merged one lives on in (following merges of merges); itself otherwise.
    The tracking page of a merged code shows this one."""
    seen = {suggestion.pk}
    while suggestion.merged_into_id and suggestion.merged_into_id not in seen:
        seen.add(suggestion.merged_into_id)
        suggestion = Suggestion.objects.select_related("merged_into").get(pk=suggestion.merged_into_id)
    return suggestion


def attachments_visible(user):
    """The answers' files of the suggestions the user may see (another's is a 404)."""
    return AnswerAttachment.objects.filter(answer__suggestion__in=access.suggestions_visible(user).values("pk"))
