"""Reads of correction requests: lists, one request, its fields compared with the record now."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from representatives.models import RecordCorrection, Representative

# Fields a representative may propose new values for (the rest is kept by their station).
CORRECTABLE_FIELDS = ("phone", "residence_address", "occupation", "specialties")


def correction_field_label(name: str) -> str:
    return str(Representative._meta.get_field(name).verbose_name)


def correction_current_values(representative: Representative) -> dict:
    """The record's values of the correctable fields, in the form `proposed` keeps them."""
    rep = representative
    return {
        "phone": rep.phone,
        "residence_address": rep.residence_address,
        "occupation": rep.occupation,
        "specialties": [s.name for s in rep.specialties.all()],
    }


CORRECTION_STATUSES = ("open", "resolved")


def correction_list(*, user, status: str = "") -> QuerySet[RecordCorrection]:
    """The correction requests the user sees: open ones first, oldest first (they wait longest)."""
    qs = access.corrections_visible(user).select_related("representative__home_station", "created_by", "resolved_by")
    if status == "open":
        return qs.filter(resolved_at__isnull=True).order_by("created_at", "pk")
    if status == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    return qs.order_by("-created_at", "-pk")


def correction_get(*, user, pk: int) -> RecordCorrection:
    """One correction request the user sees; anything else is a 404."""
    return get_object_or_404(
        access.corrections_visible(user)
        .select_related("representative__home_station", "representative__user", "created_by", "resolved_by")
        .prefetch_related("representative__specialties"),
        pk=pk,
    )


def correction_field_rows(*, correction: RecordCorrection) -> list[dict]:
    """Per proposed field: its label, the value when proposed, the value now, the proposed value,
    and whether the record changed in between (the officer should look before applying)."""
    if not correction.proposed:
        return []
    current = correction_current_values(correction.representative)

    def show(value):
        return "、".join(value) if isinstance(value, list) else value

    rows = []
    for name, proposed in correction.proposed.items():
        original = correction.original.get(name, current.get(name))
        rows.append(
            {
                "name": name,
                "label": correction_field_label(name),
                "original": show(original),
                "current": show(current.get(name)),
                "proposed": show(proposed),
                "changed_since": current.get(name) != original,
                "applied": name in correction.applied_fields,
            }
        )
    return rows


def correction_summary(correction: RecordCorrection) -> list[tuple[str, str]]:
    """(field label, proposed value) pairs for lists and messages."""
    return [
        (correction_field_label(name), "、".join(value) if isinstance(value, list) else value)
        for name, value in correction.proposed.items()
    ]
