"""Roster reads: the list (filtered by the caller), one representative, their history, phones as shown."""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from liaison.privacy import shown_phone
from representatives.models import GroupMembership, MobileRegisterEntry, RecordCorrection, Representative
from representatives.text import term_sort_key

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


def terms_in_use(*, user, changeable: bool = False) -> list[str]:
    """The terms (届次) of the representatives the user may see (or change), oldest first (by the
    term's number, `term_sort_key`): the
    choices of the term filters. Terms are few and representatives many: for a user who sees the
    whole instance, PostgreSQL walks the term index from one term to the next (a loose index
    scan, a handful of index probes) instead of reading every row for a DISTINCT."""
    if access.is_county_wide(user) and connection.vendor == "postgresql":
        table = connection.ops.quote_name(Representative._meta.db_table)  # a table name: no user input
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH RECURSIVE t(term) AS (
                        (SELECT term FROM {table} ORDER BY term LIMIT 1)
                        UNION ALL
                        SELECT (SELECT r.term FROM {table} r WHERE r.term > t.term ORDER BY r.term LIMIT 1)
                        FROM t WHERE t.term IS NOT NULL
                    ) SELECT term FROM t WHERE term IS NOT NULL"""
            )
            return sorted((row[0] for row in cursor.fetchall()), key=term_sort_key)
    scope = access.representatives_changeable(user) if changeable else access.representatives_visible(user)
    return sorted(scope.order_by().values_list("term", flat=True).distinct(), key=term_sort_key)
