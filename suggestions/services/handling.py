"""Handling a suggestion: triage by station staff (accept, decline, merge, settle), assignment to
handling units with deadlines from the rules, the unit's steps (return as misrouted, co-handler's
opinion, extension, answer), the rating, closing by county staff.

Every step locks the suggestion row, refuses a stale form (`version`) and an impossible step
(`suggestions.workflow`) with a message, and adds one timeline step (`common.step`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.ids import parse_id, parse_ids
from liaison.text import normalize_text
from suggestions import deadlines, workflow
from suggestions.models import (
    Assignment,
    DeadlineRule,
    HandlingUnit,
    Rating,
    Suggestion,
)
from suggestions.services.answering import (
    assignment_co_opinion,
    assignment_return,
    extension_decide,
    extension_request,
    suggestion_answer,
    validate_attachments,
)
from suggestions.services.common import begin, lock, proposal_outcome_changed, reason_text, step, tell_units, today
from suggestions.services.supervision import supervision_end, supervision_start, supervision_update

# The unit's steps and supervision live in their own modules; the contract names them here.
__all__ = [
    "assignment_co_opinion",
    "assignment_return",
    "extension_decide",
    "extension_request",
    "suggestion_answer",
    "supervision_end",
    "supervision_start",
    "supervision_update",
    "validate_attachments",
]

S = Suggestion.Status
Key = DeadlineRule.Key


@transaction.atomic
def suggestion_accept(*, actor, suggestion_id, version=None) -> Suggestion:
    suggestion = begin("accept", suggestion_id, scope=access.suggestions_changeable(actor), version=version)
    suggestion.accepted_at = timezone.now()
    step(suggestion, "accept", actor=actor, to=S.ACCEPTED, fields=("accepted_at",))
    return suggestion


@transaction.atomic
def suggestion_decline(*, actor, suggestion_id, reason: str, version=None) -> Suggestion:
    """Decline with a reason the voter reads on the tracking page."""
    suggestion = begin("decline", suggestion_id, scope=access.suggestions_changeable(actor), version=version)
    suggestion.decline_reason = reason_text(reason, "reason", _("Say why it is declined: the voter will read it."))
    suggestion.closed_at = timezone.now()
    step(
        suggestion,
        "decline",
        actor=actor,
        to=S.DECLINED,
        note=suggestion.decline_reason,
        fields=("decline_reason", "closed_at"),
    )
    return suggestion


@transaction.atomic
def suggestion_merge(*, actor, suggestion_id, into_id, version=None) -> Suggestion:
    """A duplicate joins another suggestion: the voter's tracking code then shows the survivor.
    Both rows are locked (in id order), so two crossing merges cannot make a cycle."""
    scope = access.suggestions_changeable(actor)
    into_id = parse_id(into_id)
    ids = sorted({suggestion_id, into_id} - {None})
    list(Suggestion.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").values_list("pk"))
    suggestion = begin("merge", suggestion_id, scope=scope, version=version)
    target = scope.filter(pk=into_id).first() if into_id else None
    if target is None or target.pk == suggestion.pk:
        raise ValidationError({"into_id": [_("Choose another suggestion of your stations.")]})
    if target.status not in workflow.OPEN_STATES:
        raise ValidationError({"into_id": [_("That suggestion is no longer open: choose an open one.")]})
    suggestion.merged_into = target
    suggestion.closed_at = timezone.now()
    step(
        suggestion,
        "merge",
        actor=actor,
        to=S.MERGED,
        note=_("Merged into %(code)s.") % {"code": target.code},
        fields=("merged_into", "closed_at"),
    )
    return suggestion


@transaction.atomic
def suggestion_settle(*, actor, suggestion_id, note: str, version=None) -> Suggestion:
    """Settled on the spot (at reception): by its station's staff or the representative who received it."""
    suggestion = lock(suggestion_id)
    if not access.may_settle_suggestion(actor, suggestion):
        raise PermissionDenied
    suggestion = begin("settle", suggestion_id, version=version)
    note = reason_text(note, "note", _("Say how it was settled."))
    suggestion.closed_at = timezone.now()
    step(suggestion, "settle", actor=actor, to=S.SETTLED, note=note, fields=("closed_at",))
    return suggestion


def _answer_rule(suggestion: Suggestion) -> str:
    return Key.PROPOSAL_ANSWER if suggestion.kind == Suggestion.Kind.PROPOSAL else Key.OPINION_ANSWER


@transaction.atomic
def suggestion_assign(*, actor, suggestion_id, lead_unit_id, co_unit_ids=(), version=None) -> Suggestion:
    """Hand it to a lead unit (and co-handlers), with deadlines from the rules."""
    suggestion = begin("assign", suggestion_id, scope=access.suggestions_changeable(actor), version=version)
    if suggestion.assignments.filter(status=Assignment.Status.ACTIVE, role=Assignment.Role.LEAD).exists():
        raise ValidationError(_("A handling unit is already handling it."), code="assigned")
    active = HandlingUnit.objects.filter(is_active=True)
    lead_unit_id = parse_id(lead_unit_id)
    lead = active.filter(pk=lead_unit_id).first() if lead_unit_id else None
    if lead is None:
        raise ValidationError({"lead_unit_id": [_("Choose the lead handling unit.")]})
    co_ids = list(dict.fromkeys(parse_ids(co_unit_ids or ())))
    if lead.pk in co_ids:
        raise ValidationError({"co_unit_ids": [_("The lead unit cannot also be a co-handler.")]})
    co_units = list(active.filter(pk__in=co_ids))
    if len(co_units) != len(co_ids):
        raise ValidationError({"co_unit_ids": [_("Choose active handling units from the list.")]})
    now = timezone.now()
    start = timezone.localtime(now).date()
    due = deadlines.due_by_rule(_answer_rule(suggestion), start)
    round_ = max(suggestion.reopened_count + 1, 1)
    lead_assignment = Assignment.objects.create(
        suggestion=suggestion,
        unit=lead,
        role=Assignment.Role.LEAD,
        round=round_,
        assigned_at=now,
        assigned_by=actor,
        due_on=due.due_on,
        due_provisional=due.provisional,
        return_by=deadlines.due_by_rule(Key.MISROUTE_RETURN, start).due_on,
    )
    co_due = deadlines.due_by_rule(Key.CO_HANDLER_OPINION, start)
    co_assignments = [
        Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=Assignment.Role.CO,
            round=round_,
            assigned_at=now,
            assigned_by=actor,
            due_on=co_due.due_on,
            due_provisional=co_due.provisional,
        )
        for unit in co_units
    ]
    suggestion.due_on = due.due_on
    names = "、".join([lead.name, *(u.name for u in co_units)])
    step(suggestion, "assign", actor=actor, to=S.ASSIGNED, note=names, fields=("due_on",))
    tell_units(
        [lead_assignment, *co_assignments],
        suggestion,
        kind="suggestion_assigned",
        title=_("A suggestion was assigned to your unit"),
    )
    return suggestion


@transaction.atomic
def suggestion_rate(*, suggestion_id, value: str, by: str, actor=None, comment: str = "", version=None) -> Rating:
    """Rate the answer: satisfied or partly -> closed; unsatisfied the first time -> re-handled by
    the same unit (round 2, the `rehandle` deadline); unsatisfied again -> waits for county staff."""
    suggestion = lock(suggestion_id)
    if by == Rating.By.PHONE:
        if not access.suggestions_changeable(actor).filter(pk=suggestion.pk).exists():
            raise PermissionDenied
    elif by == Rating.By.REPRESENTATIVE:
        if not access.may_rate_as_representative(actor, suggestion):
            raise PermissionDenied
    elif by != Rating.By.VOTER:
        raise ValidationError({"by": [_("Say who gave the rating.")]})
    suggestion = begin("rate", suggestion_id, version=version)
    if value not in Suggestion.Satisfaction.values:
        raise ValidationError({"value": [_("Choose satisfied, partly satisfied or unsatisfied.")]})
    answer = suggestion.answers.select_related("assignment").order_by("-answered_at", "-pk").first()
    if answer is None:
        raise ValidationError(_("There is no answer to rate yet."), code="no_answer")
    recorder = actor if actor is not None and actor.is_authenticated else None
    rating = Rating.objects.create(
        suggestion=suggestion,
        answer=answer,
        value=value,
        by=by,
        recorded_by=recorder,
        comment=normalize_text(comment)[:500],
    )
    suggestion.satisfaction = value
    note = str(Suggestion.Satisfaction(value).label)
    fields: tuple[str, ...] = ("satisfaction",)
    if value != Suggestion.Satisfaction.UNSATISFIED:
        suggestion.closed_at = timezone.now()
        step(suggestion, "rate", actor=actor, to=S.CLOSED, note=note, fields=(*fields, "closed_at"))
    elif suggestion.reopened_count == 0:
        due = deadlines.due_by_rule(Key.REHANDLE, today())
        again = Assignment.objects.create(
            suggestion=suggestion,
            unit=answer.assignment.unit,
            role=Assignment.Role.LEAD,
            round=2,
            assigned_at=timezone.now(),
            assigned_by=recorder,
            due_on=due.due_on,
            due_provisional=due.provisional,
        )
        suggestion.reopened_count, suggestion.due_on = 1, due.due_on
        step(suggestion, "rate", actor=actor, to=S.ASSIGNED, note=note, fields=(*fields, "reopened_count", "due_on"))
        tell_units(
            [again], suggestion, kind="suggestion_rehandle", title=_("An answer was rated unsatisfied: handle it again")
        )
    else:
        step(suggestion, "rate", actor=actor, to=S.UNSATISFIED, note=note, fields=fields)
    proposal_outcome_changed(suggestion)
    return rating


@transaction.atomic
def suggestion_close(*, actor, suggestion_id, note: str, version=None) -> Suggestion:
    """County staff close an answered or unsatisfied suggestion, with a note."""
    suggestion = begin("close", suggestion_id, scope=access.suggestions_reviewable(actor), version=version)
    suggestion.closing_note = reason_text(note, "note", _("Write a closing note."))
    suggestion.closed_at = timezone.now()
    step(
        suggestion,
        "close",
        actor=actor,
        to=S.CLOSED,
        note=suggestion.closing_note,
        fields=("closing_note", "closed_at"),
    )
    proposal_outcome_changed(suggestion)
    return suggestion


def _rule_key(assignment: Assignment) -> str:
    if assignment.role == Assignment.Role.CO:
        return Key.CO_HANDLER_OPINION
    if assignment.round > 1:
        return Key.REHANDLE
    if assignment.extended:
        return Key.PROPOSAL_EXTENDED
    return _answer_rule(assignment.suggestion)


@transaction.atomic
def deadlines_recompute_provisional() -> int:
    """Deadlines counted past the calendar's last known year, recomputed once the installed
    `chinesecalendar` knows that year (after an upgrade). Returns how many changed."""
    last = deadlines.last_known_year()
    changed = 0
    rows = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("suggestion")
        .filter(status=Assignment.Status.ACTIVE, due_provisional=True)
    )
    for assignment in rows:
        start = timezone.localtime(assignment.assigned_at).date()
        if assignment.due_on.year > last:  # still past what the calendar knows
            continue
        due = deadlines.due_by_rule(_rule_key(assignment), start)
        if (due.due_on, due.provisional) == (assignment.due_on, True):
            continue
        Assignment.objects.filter(pk=assignment.pk).update(due_on=due.due_on, due_provisional=due.provisional)
        if assignment.role == Assignment.Role.LEAD:
            Suggestion.objects.filter(pk=assignment.suggestion_id, status=S.ASSIGNED).update(due_on=due.due_on)
        changed += 1
    return changed
