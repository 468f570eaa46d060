"""Roster reads: the list (filtered by the caller), one representative, their history, phones as shown."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from liaison.privacy import shown_phone
from representatives.models import GroupMembership, MobileRegisterEntry, RecordCorrection, Representative

LIST_RELATED = ("home_station__division", "district_township", "residence_division", "congress")


def representative_list(*, user) -> QuerySet[Representative]:
    """The user's representatives in roster order, with what the list and the export show.

    Filtering is the caller's: `representatives.filters.representative_filter` narrows this
    queryset by the validated filters of the page (invalid values are left out, never an error).
    """
    return (
        access.representatives_visible(user)
        .select_related(*LIST_RELATED)
        .prefetch_related("specialties")
        .order_by("name_initials", "name", "pk")
    )


def representative_phone_shown(user, rep: Representative) -> str:
    """The representative's mobile number as this user may read it (access.sees_full_phones):
    the one masking rule of the roster, the register and the refresh pages."""
    return shown_phone(rep.phone, full=representative_full_phones(user, rep))


def representative_full_phones(user, rep: Representative) -> bool:
    return access.sees_full_phones(user, rep.home_station, owner_id=rep.user_id)


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
