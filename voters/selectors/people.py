"""Voter and household reads, always scoped by liaison.access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from voters.filters import HouseholdFilter, VoterFilter, household_search_q, voter_search_q
from voters.models import Household, Voter

VOTER_RELATED = ("station__division", "division", "household")
HOUSEHOLD_RELATED = ("station__division", "division", "township", "grid_link__representative")
SEARCH_LIMIT = 10


def voter_filter(*, user, params) -> VoterFilter:
    # Newest first: ordered by the primary key, so a page of a million rows reads an index.
    queryset = access.voters_visible(user).select_related(*VOTER_RELATED).order_by("-pk")
    return VoterFilter(params or None, queryset=queryset, user=user)


def voter_list(*, user, params) -> QuerySet[Voter]:
    return voter_filter(user=user, params=params).qs


def voter_get(*, user, pk: int, for_change: bool = False) -> Voter:
    scope = access.voters_changeable(user) if for_change else access.voters_visible(user)
    return get_object_or_404(scope.select_related(*VOTER_RELATED, "consent_recorded_by", "created_by"), pk=pk)


def voter_history(*, voter: Voter, full_phones: bool, limit: int = 30) -> list[dict]:
    return history_rows(voter.history, limit=limit, masked=() if full_phones else ("phone",))


def voter_search(*, user, text: str) -> list[Voter]:
    """A few voters for a search-as-you-type field."""
    if not text.strip():
        return []
    return list(
        access.voters_visible(user)
        .filter(voter_search_q(text))
        .select_related(*VOTER_RELATED)
        .order_by("-pk")[:SEARCH_LIMIT]
    )


def household_filter(*, user, params) -> HouseholdFilter:
    queryset = (
        access.households_visible(user).select_related(*HOUSEHOLD_RELATED).order_by("division__path", "address", "pk")
    )
    return HouseholdFilter(params or None, queryset=queryset, user=user)


def household_get(*, user, pk: int, for_change: bool = False) -> Household:
    scope = access.households_changeable(user) if for_change else access.households_visible(user)
    return get_object_or_404(scope.select_related(*HOUSEHOLD_RELATED, "created_by"), pk=pk)


def household_members(*, user, household: Household) -> QuerySet[Voter]:
    return access.voters_visible(user).filter(household=household).select_related(*VOTER_RELATED).order_by("name")


def household_search(*, user, text: str, township_id: int | None = None, unlinked: bool = False) -> list[Household]:
    """A few households for a search-as-you-type field (optionally of one township, or not yet
    linked to a representative)."""
    if not text.strip():
        return []
    qs = access.households_visible(user).filter(household_search_q(text))
    if township_id:
        qs = qs.filter(township_id=township_id)
    if unlinked:
        qs = qs.filter(grid_link__isnull=True)
    return list(qs.select_related("division").order_by("division__path", "address", "pk")[:SEARCH_LIMIT])
