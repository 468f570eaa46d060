"""County supervision (督办) of a priority suggestion: who supervises it and when it is next checked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import User
from liaison.text import normalize_text
from suggestions.models import Supervision
from suggestions.services.common import begin, lock, page_url, step, tell, today


def _supervisor(supervisor_id) -> User:
    user = User.objects.filter(pk=supervisor_id, is_active=True).first() if supervisor_id else None
    if user is None or not access.has_capability(user, access.Capability.SUGGESTION_REVIEW):
        raise ValidationError({"supervisor_id": [_("Choose a member of the county staff.")]})
    return user


def _next_check(value) -> datetime.date:
    if not isinstance(value, datetime.date) or value < today():
        raise ValidationError({"next_check_on": [_("Choose a date from today on.")]})
    return value


@transaction.atomic
def supervision_start(*, actor, suggestion_id, supervisor_id, next_check_on, note: str = "") -> Supervision:
    suggestion = begin("supervise", suggestion_id, scope=access.suggestions_reviewable(actor))
    supervisor = _supervisor(supervisor_id)
    next_check_on = _next_check(next_check_on)
    note = normalize_text(note)[:500]
    current = Supervision.objects.filter(suggestion=suggestion).first()
    if current is not None and current.ended_at is None:
        raise ValidationError(_("This suggestion is already under supervision."), code="supervised")
    if current is None:
        current = Supervision(suggestion=suggestion, created_by=actor)
    current.supervisor, current.next_check_on, current.note, current.ended_at = supervisor, next_check_on, note, None
    current.save()
    step(suggestion, "supervise", actor=actor, note=note, public=False)
    tell(
        [supervisor],
        kind="suggestion_supervision",
        key=f"suggestion:{suggestion.pk}:supervise:{current.pk}:{timezone.now():%Y%m%d%H%M%S}",
        title=_("You supervise a suggestion"),
        body=suggestion.title,
        url=page_url("suggestions:detail", suggestion.pk),
    )
    return current


def _current(actor, suggestion_id) -> Supervision:
    lock(suggestion_id, scope=access.suggestions_reviewable(actor))
    current = Supervision.objects.select_for_update().filter(suggestion_id=suggestion_id, ended_at__isnull=True).first()
    if current is None:
        raise ValidationError(_("This suggestion is not under supervision."), code="not_supervised")
    return current


@transaction.atomic
def supervision_update(
    *, actor, suggestion_id, next_check_on=None, note: str | None = None, supervisor_id=None
) -> Supervision:
    """Change the next check date, the note or the supervisor."""
    current = _current(actor, suggestion_id)
    if next_check_on is not None:
        current.next_check_on = _next_check(next_check_on)
    if note is not None:
        current.note = normalize_text(note)[:500]
    if supervisor_id is not None:
        current.supervisor = _supervisor(supervisor_id)
    current.save()
    return current


@transaction.atomic
def supervision_end(*, actor, suggestion_id, note: str = "") -> Supervision:
    current = _current(actor, suggestion_id)
    current.ended_at = timezone.now()
    if note:
        current.note = normalize_text(note)[:500]
    current.save()
    return current
