"""Reads the suggestion pages and services share: who is told about a handling unit's items, the
staff of a station, a suggestion's contact, its attachments and the survivor of a merge."""

from __future__ import annotations

from collections.abc import Iterable

from liaison import access
from liaison.models import RoleGrant, User
from suggestions.models import AnswerAttachment, Suggestion


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
