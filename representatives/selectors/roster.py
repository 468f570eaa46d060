"""Roster reads: the filtered list, one representative, their history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from representatives.filters import RepresentativeFilter
from representatives.models import GroupMembership, MobileRegisterEntry, RecordCorrection, Representative

LIST_RELATED = ("home_station", "district_township", "residence_division", "congress")


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


def representative_of_user(*, user) -> Representative | None:
    if not user.is_authenticated:
        return None
    return (
        Representative.objects.select_related(*LIST_RELATED).prefetch_related("specialties").filter(user=user).first()
    )


def representative_history(*, representative: Representative, limit: int = 30) -> list[dict]:
    """Who changed what and when, newest first: one query for the records, diffs in memory."""
    records = list(
        representative.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    rows = []
    related_ids: dict[type, set] = {}
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=["specialties", "created_at"])
            for change in delta.changes:
                field = Representative._meta.get_field(change.field)
                if field.is_relation:
                    related_ids.setdefault(field.related_model, set()).update({change.old, change.new})
                changes.append({"field": field, "old": change.old, "new": change.new})
        rows.append({"record": newer, "changes": changes})
    # Names of the stations and divisions that changed: one query per model, not per row.
    names = {
        model: dict(
            model.objects.filter(pk__in=ids - {None}).values_list(
                "pk", "full_name" if model is get_user_model() else "name"
            )
        )
        for model, ids in related_ids.items()
    }
    for row in rows:
        for change in row["changes"]:
            field = change["field"]
            for side in ("old", "new"):
                value = change[side]
                if field.is_relation:
                    value = names[field.related_model].get(value, value)
                elif field.choices:
                    value = dict(field.choices).get(value, value)
                change[side] = "—" if value in (None, "") else value
            change["field"] = field.verbose_name
    return rows


def representative_corrections(*, representative: Representative):
    return RecordCorrection.objects.filter(representative=representative).select_related("created_by", "resolved_by")


def representative_register_entry(*, representative: Representative) -> MobileRegisterEntry | None:
    return (
        MobileRegisterEntry.objects.filter(representative=representative)
        .select_related("origin_station", "host_station", "community", "verified_by")
        .first()
    )
