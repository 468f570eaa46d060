"""Voter and household reads, always scoped by liaison.access."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from liaison.text import normalize_text
from voters.models import Household, Voter

VOTER_RELATED = ("station__division", "division", "household")
HOUSEHOLD_RELATED = ("station__division", "division", "township", "grid_link__representative")
SEARCH_LIMIT = 10

DIGITS_RE = re.compile(r"^\d+$")
LETTERS_RE = re.compile(r"^[A-Za-z]+$")
# Trigram indexes answer a substring of three characters or more; shorter ones search by prefix
# (b-tree text_pattern_ops indexes), which stays fast at a million voters.
TRIGRAM_MIN = 3


def voter_search_q(text: str) -> Q:
    """Chinese name fragment, pinyin initials ("wjg"), or phone digits ("1234")."""
    text = normalize_text(text)[:50]
    if not text:
        return Q()
    if DIGITS_RE.match(text):
        return Q(phone__contains=text) if len(text) >= TRIGRAM_MIN else Q(phone__startswith=text)
    if LETTERS_RE.match(text):
        return Q(name_initials__startswith=text.lower())
    if len(text) >= TRIGRAM_MIN:
        return Q(name__contains=text)
    return Q(name__startswith=text)


def household_search_q(text: str) -> Q:
    text = normalize_text(text)[:50]
    if not text:
        return Q()
    return Q(head_name__contains=text) | Q(address__contains=text)


def voters_listed(*, user) -> QuerySet[Voter]:
    """The voters the user sees, newest first: ordered by the primary key, so a page of a million
    rows reads an index. The list page's filters narrow it (voters.filters)."""
    return access.voters_visible(user).select_related(*VOTER_RELATED).order_by("-pk")


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


def households_listed(*, user) -> QuerySet[Household]:
    """The households the user sees, by place."""
    households = access.households_visible(user).select_related(*HOUSEHOLD_RELATED)
    return households.order_by("division__path", "address", "pk")


def household_get(*, user, pk: int, for_change: bool = False) -> Household:
    scope = access.households_changeable(user) if for_change else access.households_visible(user)
    return get_object_or_404(scope.select_related(*HOUSEHOLD_RELATED, "created_by"), pk=pk)


def household_members(*, user, household: Household) -> QuerySet[Voter]:
    return access.voters_visible(user).filter(household=household).select_related(*VOTER_RELATED).order_by("name")
