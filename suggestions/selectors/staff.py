"""Reads for the staff side of suggestions (list, detail, pickers) and for intake: always from
the scopes of liaison.access, with what each page needs loaded in a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison import access
from liaison.models import Station
from liaison.text import normalize_text
from representatives.filters import search_q as representative_search_q
from representatives.models import Representative
from suggestions import workflow
from suggestions.models import (
    Answer,
    Assignment,
    Category,
    CoSigner,
    HandlingUnit,
    Suggestion,
    Transition,
)

LIST_RELATED = ("station", "category", "representative", "voter")
SEARCH_LIMIT = 10
# "Due soon": a handling deadline within this many days.
DUE_SOON_DAYS = 7
# Above this many choices a picker is a search-as-you-type field rather than a <select>.
SELECT_LIMIT = 50


def code_or_title_q(text: str) -> Q:
    """A tracking code (any case, spaces ignored) or a fragment of the title."""
    text = normalize_text(text)[:100]
    if not text:
        return Q()
    code = text.replace(" ", "").upper()
    return Q(code=code) | Q(title__contains=text)


def overdue_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status=Suggestion.Status.ASSIGNED, due_on__lt=today)


def due_soon_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        status=Suggestion.Status.ASSIGNED,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )


def suggestions_listed(*, user) -> QuerySet[Suggestion]:
    """The suggestions the user's stations keep, newest first (the staff list's filters narrow it)."""
    return access.suggestions_changeable(user).select_related(*LIST_RELATED).order_by("-submitted_at", "-pk")


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "pk")


def list_stations(*, user) -> QuerySet[Station]:
    """The stations a staff user may filter the list by (or register a suggestion for)."""
    return access.suggestion_stations(user).order_by("path")


def station_search(*, user, text: str) -> list[Station]:
    text = normalize_text(text)[:50]
    if not text:
        return []
    return list(list_stations(user=user).filter(name__contains=text)[:SEARCH_LIMIT])


def suggestion_get(*, user, pk: int) -> Suggestion:
    """A suggestion the user may see, with everything its page shows; another station's is a 404."""
    scope = access.suggestions_visible(user).select_related(
        "station__division",
        "township",
        "category",
        "representative",
        "voter",
        "merged_into",
        "created_by",
        "supervision__supervisor",
    )
    return get_object_or_404(
        scope.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit")
                .prefetch_related("extension_requests__requested_by", "extension_requests__decided_by")
                .order_by("round", "role", "pk"),
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("assignment__unit", "answered_by").prefetch_related(
                    "attachments"
                ),
            ),
            "ratings__recorded_by",
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("representative").order_by("pk")),
            Prefetch("timeline", queryset=Transition.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("raised_items", queryset=_raised_items()),
            Prefetch("merged", queryset=Suggestion.objects.only("pk", "code", "title", "merged_into_id")),
        ),
        pk=pk,
    )


def _raised_items():
    from voters.models import RaisedItem

    return RaisedItem.objects.select_related("visit__day__station").order_by("pk")


def may_change(*, user, suggestion: Suggestion) -> bool:
    return access.suggestions_changeable(user).filter(pk=suggestion.pk).exists()


def may_review(*, user, suggestion: Suggestion) -> bool:
    return access.suggestions_reviewable(user).filter(pk=suggestion.pk).exists()


def merge_target_search(*, user, text: str, exclude_id: int | None = None) -> list[Suggestion]:
    """Open suggestions the user may act on, by code or title, to merge a duplicate into."""
    if not normalize_text(text):
        return []
    qs = access.suggestions_changeable(user).filter(code_or_title_q(text), status__in=workflow.OPEN_STATES)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-submitted_at", "-pk")[:SEARCH_LIMIT])


def merge_targets(*, user) -> QuerySet[Suggestion]:
    """The scope a merge target is chosen from (the service checks again)."""
    return access.suggestions_changeable(user).filter(status__in=workflow.OPEN_STATES)


def handling_units() -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(is_active=True).order_by("name")


def unit_search(*, text: str) -> list[HandlingUnit]:
    text = normalize_text(text)[:50]
    if not text:
        return []
    return list(handling_units().filter(name__contains=text)[:SEARCH_LIMIT])


def serving_representatives() -> QuerySet[Representative]:
    """Representatives now serving."""
    return Representative.objects.filter(status=Representative.Status.SERVING)


def cosigner_candidates(*, lead: Representative | None) -> QuerySet[Representative]:
    """Who may co-sign the lead's proposal: the other serving representatives of the same congress
    (a proposal goes to one congress; the service holds the same rule)."""
    if lead is None:
        return Representative.objects.none()
    return serving_representatives().filter(congress_id=lead.congress_id).exclude(pk=lead.pk)


def cosigner_search(*, user, text: str) -> list[Representative]:
    if not normalize_text(text):
        return []
    qs = cosigner_candidates(lead=own_representative(user=user)).filter(representative_search_q(text))
    return list(qs.select_related("home_station").order_by("name_initials", "pk")[:SEARCH_LIMIT])


def own_representative(*, user) -> Representative | None:
    """The signed-in representative's own roster record."""
    if not access.is_representative(user):
        return None
    return Representative.objects.filter(user=user).first()


def own_suggestions(*, rep: Representative) -> QuerySet[Suggestion]:
    """What a representative leads or received, and what they were asked to co-sign."""
    return (
        Suggestion.objects.filter(Q(representative=rep) | Q(cosigners__representative=rep))
        .distinct()
        .select_related("category", "station")
        .order_by("-submitted_at", "-pk")
    )


def cosign_invitations(*, rep: Representative) -> QuerySet[CoSigner]:
    """Proposals the representative was asked to co-sign and has not answered."""
    return (
        CoSigner.objects.filter(representative=rep, confirmed_at__isnull=True, declined_at__isnull=True)
        .select_related("suggestion__representative", "suggestion__category")
        .order_by("-created_at", "-pk")
    )


def proposals_to_rate(*, rep: Representative) -> QuerySet[Suggestion]:
    """The representative's own proposals answered and waiting for their rating."""
    return (
        Suggestion.objects.filter(representative=rep, kind=Suggestion.Kind.PROPOSAL, status=Suggestion.Status.ANSWERED)
        .select_related("category", "station")
        .order_by("-submitted_at", "-pk")
    )


def proposals_to_cosign(*, rep: Representative) -> QuerySet[Suggestion]:
    """Proposals waiting for the representative's answer to an invitation to co-sign."""
    pending = cosign_invitations(rep=rep).values("suggestion_id")
    return (
        Suggestion.objects.filter(pk__in=pending).select_related("category", "station").order_by("-submitted_at", "-pk")
    )


def raised_item_for_conversion(*, user, pk: int):
    """A raised item on a reception day of a station the user may register suggestions for."""
    from voters.models import RaisedItem

    stations = access.suggestion_stations(user).values("pk")
    return get_object_or_404(
        RaisedItem.objects.select_related("visit__day__station", "visit__voter", "visit__received_by").filter(
            visit__day__station__in=stations
        ),
        pk=pk,
    )


def voter_choices(*, user):
    return access.voters_visible(user)


def supervisors():
    """Who may supervise a suggestion (督办): county staff accounts."""
    from liaison.models import RoleGrant, User

    return (
        User.objects.filter(is_active=True, role_grants__role=RoleGrant.Role.COUNTY_STAFF)
        .distinct()
        .order_by("full_name", "username")
    )


def voter_search(*, user, text: str) -> list:
    from voters.selectors.people import voter_search_q

    if not normalize_text(text):
        return []
    return list(voter_choices(user=user).filter(voter_search_q(text)).order_by("-pk")[:SEARCH_LIMIT])


def receiving_representatives(*, user) -> QuerySet[Representative]:
    """Who may be named as having received a voter's opinion: serving representatives the user keeps."""
    return access.representatives_visible(user).filter(status=Representative.Status.SERVING)


def receiving_representative_search(*, user, text: str) -> list[Representative]:
    if not normalize_text(text):
        return []
    qs = receiving_representatives(user=user).filter(representative_search_q(text))
    return list(qs.order_by("name_initials", "pk")[:SEARCH_LIMIT])
