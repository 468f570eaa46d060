"""Reads for representative groups."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from liaison import access
from liaison.history import history_rows
from representatives.models import GroupMembership, Representative, RepresentativeGroup


def group_history(*, group: RepresentativeGroup, limit: int = 50) -> list[dict]:
    """The group's own changes and who joined, left or changed role, newest first, one list."""
    memberships = GroupMembership.history.filter(group_id=group.pk)
    names = dict(
        Representative.objects.filter(pk__in=memberships.values("representative_id")).values_list("pk", "name")
    )
    roles = dict(GroupMembership.Role.choices)

    def member(record) -> str:
        name = names.get(record.representative_id, "—")
        return f"{name}（{roles.get(record.role, record.role)}）" if record.history_type != "-" else name

    rows = history_rows(group.history, limit=limit) + history_rows(memberships, limit=limit, describe=member)
    rows.sort(key=lambda row: (row["record"].history_date, row["record"].history_id), reverse=True)
    return rows[:limit]


def group_list(*, user, kind: str = "") -> QuerySet[RepresentativeGroup]:
    """The groups the user sees, with their member counts; `kind` a valid kind or "" for all."""
    groups = (
        access.groups_visible(user)
        .select_related("station", "specialty")
        .annotate(member_count=Count("memberships"))
        .order_by("station__path", "name")
    )
    if kind:
        groups = groups.filter(kind=kind)
    return groups


def group_get(*, user, pk: int, for_change: bool = False) -> RepresentativeGroup:
    """One group the user sees (or, `for_change`, may change); anything else is a 404."""
    scope = access.groups_changeable(user) if for_change else access.groups_visible(user)
    return get_object_or_404(scope.select_related("station", "specialty"), pk=pk)


def group_may_change(*, user, group: RepresentativeGroup) -> bool:
    return access.groups_changeable(user).filter(pk=group.pk).exists()


def group_memberships(*, group: RepresentativeGroup) -> QuerySet[GroupMembership]:
    return (
        GroupMembership.objects.filter(group=group)
        .select_related("representative__home_station")
        .order_by("role", "representative__name_initials")
    )
