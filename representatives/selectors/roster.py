"""Roster reads: the filtered list, one representative, their history."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from representatives.filters import RepresentativeFilter
from representatives.models import GroupMembership, MobileRegisterEntry, RecordCorrection, Representative

LIST_RELATED = ("home_station__division", "district_township", "residence_division", "congress")


def representative_filter(*, user, params) -> RepresentativeFilter:
    """The bound filter over the user's representatives; `.qs` is the list, ready to render."""
    queryset = (
        access.representatives_visible(user)
        .select_related(*LIST_RELATED)
        .prefetch_related("specialties")
        .order_by("name_initials", "name", "pk")
    )
    return RepresentativeFilter(params or None, queryset=queryset, user=user)


def representative_list(*, user, params) -> QuerySet[Representative]:
    """The filtered, sorted, scoped roster (also what the export writes)."""
    # Invalid filter values are left out (django-filter filters on the valid ones only).
    return representative_filter(user=user, params=params).qs


def representative_get(*, user, pk: int, for_change: bool = False) -> Representative:
    """One representative the user may see (or change); anything else is a 404."""
    qs = access.representatives_changeable(user) if for_change else access.representatives_visible(user)
    return get_object_or_404(
        qs.select_related(*LIST_RELATED, "user").prefetch_related(
            "specialties",
            Prefetch("memberships", queryset=GroupMembership.objects.select_related("group__station")),
        ),
        pk=pk,
    )


def representative_of_user(*, user) -> Representative:
    """The signed-in user's own representative record; a 404 when the account has none."""
    if not user.is_authenticated:
        raise Http404
    return representative_get(user=user, pk=Representative.objects.filter(user=user).values("pk")[:1])


def representative_history(*, representative: Representative, full_phones: bool, limit: int = 30) -> list[dict]:
    """Who changed what and when, newest first (see liaison.history)."""
    return history_rows(representative.history, limit=limit, masked=() if full_phones else ("phone",))


def representative_corrections(*, representative: Representative):
    return RecordCorrection.objects.filter(representative=representative).select_related("created_by", "resolved_by")


def representative_register_entry(*, representative: Representative) -> MobileRegisterEntry | None:
    return (
        MobileRegisterEntry.objects.filter(representative=representative)
        .select_related("origin_station", "host_station", "community", "verified_by")
        .first()
    )
