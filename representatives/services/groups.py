"""Representative groups (代表小组, 共治组, 帮搬团) and their members."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since
from liaison.models import User
from liaison.text import normalize_multiline, normalize_text
from representatives.models import GroupMembership, Representative, RepresentativeGroup

GROUP_FIELDS = ("name", "kind", "station", "specialty", "description")


def _validate(*, actor: User, group: RepresentativeGroup) -> None:
    group.name = normalize_text(group.name)
    group.description = normalize_multiline(group.description)
    errors: dict[str, list[str]] = {}
    if not group.name:
        errors["name"] = [_("Enter the group's name.")]
    if group.station_id and not access.stations_changeable(actor).filter(pk=group.station_id).exists():
        errors["station"] = [_("You may not keep groups of this station.")]
    if (
        group.name
        and group.station_id
        and RepresentativeGroup.objects.filter(station_id=group.station_id, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        errors["name"] = [_("This station already has a group with this name.")]
    if errors:
        raise ValidationError(errors)
    group.full_clean(validate_unique=False, validate_constraints=False)


def _save(group: RepresentativeGroup) -> None:
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as exc:
        raise ValidationError({"name": [_("This station already has a group with this name.")]}) from exc


@transaction.atomic
def group_create(*, actor: User, **fields) -> RepresentativeGroup:
    group = RepresentativeGroup(**{k: v for k, v in fields.items() if k in GROUP_FIELDS})
    _validate(actor=actor, group=group)
    group._history_user = actor
    _save(group)
    return group


@transaction.atomic
def group_update(
    *, actor: User, group: RepresentativeGroup, opened: dict | None = None, **fields
) -> RepresentativeGroup:
    """`opened`: the stored values the form was opened with; a save over a change made since is refused."""
    if not access.groups_changeable(actor).filter(pk=group.pk).exists():
        raise PermissionDenied
    refuse_if_changed_since(group, opened=opened, fields=GROUP_FIELDS)
    for name, value in fields.items():
        if name not in GROUP_FIELDS:
            raise TypeError(f"group_update() got an unexpected field {name!r}")
        setattr(group, name, value)
    _validate(actor=actor, group=group)
    group._history_user = actor
    _save(group)
    return group


@transaction.atomic
def group_add_member(
    *, actor: User, group: RepresentativeGroup, representative: Representative, role: str = GroupMembership.Role.MEMBER
) -> GroupMembership:
    """Any serving representative the actor can see may join (a 共治组 takes members from elsewhere)."""
    if not access.groups_changeable(actor).filter(pk=group.pk).exists():
        raise PermissionDenied
    if not representative.is_serving:
        raise ValidationError(_("Only serving representatives can join a group."))
    membership = GroupMembership.objects.filter(group=group, representative=representative).first()
    if membership is None:
        membership = GroupMembership(group=group, representative=representative, role=role)
    elif membership.role == role:
        return membership
    membership.role = role
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def group_remove_member(*, actor: User, group: RepresentativeGroup, representative_id: int) -> None:
    if not access.groups_changeable(actor).filter(pk=group.pk).exists():
        raise PermissionDenied
    membership = GroupMembership.objects.filter(group=group, representative_id=representative_id).first()
    if membership is not None:
        membership._history_user = actor
        membership.delete()
