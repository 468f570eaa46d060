"""Reads for representative groups."""

from __future__ import annotations

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
