"""A handling unit's steps on an item assigned to it: return it as misrouted, send a co-handler's
opinion to the lead, ask for an extension (and county staff's decision), answer with attachments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.text import normalize_multiline, normalize_text
from suggestions import deadlines, workflow
from suggestions.models import Answer, AnswerAttachment, Assignment, DeadlineRule, ExtensionRequest, Suggestion
from suggestions.services.common import (
    begin,
    end_round,
    lock,
    proposal_outcome_changed,
    reason_text,
    step,
    tell_station,
    tell_units,
    today,
)

S = Suggestion.Status
Key = DeadlineRule.Key
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# Extension -> the first bytes every such file starts with (a .docx is a zip).
FILE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
}


def _unit_assignment(actor, assignment_id, *, role: str, action: str) -> Assignment:
    """The actor's unit's active assignment in `role`, its suggestion locked and in a state that
    allows `action`."""
    assignment = access.assignments_of_unit(actor).filter(pk=assignment_id).first()
    if assignment is None:
        raise PermissionDenied
    lock(assignment.suggestion_id)
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("suggestion", "unit").get(pk=assignment.pk)
    )
    workflow.check(action, assignment.suggestion.status)
    if assignment.role != role or assignment.status != Assignment.Status.ACTIVE:
        raise ValidationError(_("Your unit is no longer handling this item. Reload the page."), code="not_active")
    return assignment


@transaction.atomic
def assignment_return(*, actor, assignment_id, reason: str) -> Assignment:
    """The lead unit returns a misrouted item (before `return_by`): back to accepted, to reassign."""
    assignment = _unit_assignment(actor, assignment_id, role=Assignment.Role.LEAD, action="return")
    suggestion = assignment.suggestion
    reason = reason_text(reason, "reason", _("Say why the item is not your unit's to handle."))
    if assignment.round > 1:
        raise ValidationError(_("A re-handled item cannot be returned."), code="rehandle")
    if assignment.return_by and today() > assignment.return_by:
        raise ValidationError(
            _("It could be returned until %(date)s; that date has passed.")
            % {"date": assignment.return_by.isoformat()},
            code="too_late",
        )
    end_round(suggestion)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.RETURNED, return_reason=reason)
    suggestion.due_on = None
    step(suggestion, "return", actor=actor, to=S.ACCEPTED, note=reason, fields=("due_on",))
    tell_station(
        suggestion,
        kind="suggestion_returned",
        title=_("A handling unit returned a suggestion"),
        key=f"return:a{assignment.pk}",
    )
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_co_opinion(*, actor, assignment_id, text: str) -> Assignment:
    """A co-handler sends its opinion to the lead unit."""
    assignment = _unit_assignment(actor, assignment_id, role=Assignment.Role.CO, action="co_opinion")
    suggestion = assignment.suggestion
    text = normalize_multiline(text)
    if not text:
        raise ValidationError({"text": [_("Write your unit's opinion for the lead unit.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("The text is too long (at most 5000 characters).")]})
    assignment.opinion, assignment.status, assignment.finished_at = text, Assignment.Status.DONE, timezone.now()
    assignment.save(update_fields=["opinion", "status", "finished_at"])
    step(suggestion, "co_opinion", actor=actor, public=False)
    leads = list(suggestion.assignments.filter(role=Assignment.Role.LEAD, status=Assignment.Status.ACTIVE))
    tell_units(leads, suggestion, kind="suggestion_co_opinion", title=_("A co-handler sent its opinion"))
    return assignment


@transaction.atomic
def extension_request(*, actor, assignment_id, reason: str) -> ExtensionRequest:
    """The lead unit of a proposal asks once for more time (county staff decide)."""
    assignment = _unit_assignment(actor, assignment_id, role=Assignment.Role.LEAD, action="extension_request")
    suggestion = assignment.suggestion
    if suggestion.kind != Suggestion.Kind.PROPOSAL:
        raise ValidationError(_("Only a representative's proposal may be extended."), code="not_proposal")
    if assignment.extension_requests.exists():
        raise ValidationError(_("An extension was already requested for this item (once only)."), code="once")
    reason = reason_text(reason, "reason", _("Say why more time is needed."))
    request = ExtensionRequest.objects.create(assignment=assignment, reason=reason, requested_by=actor)
    step(suggestion, "extension_request", actor=actor, note=reason, public=False)
    return request


@transaction.atomic
def extension_decide(*, actor, request_id, approve: bool, note: str = "") -> ExtensionRequest:
    """County staff approve (the deadline becomes the extended rule's, from the assignment date) or refuse."""
    request = ExtensionRequest.objects.select_related("assignment").filter(pk=request_id).first()
    if request is None:
        raise PermissionDenied
    suggestion = begin("extension_decide", request.assignment.suggestion_id, scope=access.suggestions_reviewable(actor))
    request = ExtensionRequest.objects.select_for_update(of=("self",)).select_related("assignment").get(pk=request.pk)
    if request.approved is not None:
        raise ValidationError(_("This request has already been decided."), code="decided")
    assignment = request.assignment
    note = normalize_text(note)[:500]
    request.approved, request.decided_by, request.decided_at, request.decision_note = (
        bool(approve),
        actor,
        timezone.now(),
        note,
    )
    fields = ["approved", "decided_by", "decided_at", "decision_note"]
    if approve and assignment.status == Assignment.Status.ACTIVE:
        due = deadlines.due_by_rule(Key.PROPOSAL_EXTENDED, timezone.localtime(assignment.assigned_at).date())
        request.new_due_on = due.due_on
        fields.append("new_due_on")
        Assignment.objects.filter(pk=assignment.pk).update(
            due_on=due.due_on, due_provisional=due.provisional, extended=True
        )
        suggestion.due_on = due.due_on
    request.save(update_fields=fields)
    label = (
        _("Extension approved until %(date)s.") % {"date": request.new_due_on}
        if request.approved
        else _("Extension refused.")
    )
    step(
        suggestion,
        "extension_decide",
        actor=actor,
        note=" ".join(filter(None, [label, note])),
        fields=("due_on",),
        public=False,
    )
    tell_units([assignment], suggestion, kind="suggestion_extension", title=label)
    return request


def validate_attachments(files) -> list:
    """Answer attachments: PDF, JPG, PNG or Word (.docx), each at most 10 MB, at most 10 files."""
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise ValidationError({"files": [_("At most %(n)s files.") % {"n": MAX_FILES}]})
    for upload in files:
        name = upload.name or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in FILE_SIGNATURES:
            raise ValidationError(
                {"files": [_("“%(name)s”: only PDF, JPG, PNG or Word (.docx) files.") % {"name": name}]}
            )
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError({"files": [_("“%(name)s” is larger than 10 MB.") % {"name": name}]})
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in FILE_SIGNATURES[ext]):
            raise ValidationError(
                {"files": [_("“%(name)s” is not a real %(ext)s file.") % {"name": name, "ext": ext.upper()}]}
            )
    return files


@transaction.atomic
def suggestion_answer(*, actor, assignment_id, text: str, result: str, public_answer: str = "", files=()) -> Answer:
    """The lead unit's answer with its result (A/B/C/D) and attachments."""
    assignment = _unit_assignment(actor, assignment_id, role=Assignment.Role.LEAD, action="answer")
    suggestion = assignment.suggestion
    text, public_answer = normalize_multiline(text), normalize_multiline(public_answer)
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write the answer.")]
    elif len(text) > 5000:
        errors["text"] = [_("The text is too long (at most 5000 characters).")]
    if result not in Suggestion.Result.values:
        errors["result"] = [_("Choose the result (A, B, C or D).")]
    if errors:
        raise ValidationError(errors)
    files = validate_attachments(files)
    answer = Answer.objects.create(
        suggestion=suggestion, assignment=assignment, text=text, result=result, answered_by=actor
    )
    for upload in files:
        AnswerAttachment.objects.create(answer=answer, file=upload, name=upload.name[:200])
    end_round(suggestion, Assignment.Status.DONE)
    suggestion.result, suggestion.public_answer = result, public_answer or text
    suggestion.answered_at, suggestion.due_on = timezone.now(), None
    step(
        suggestion,
        "answer",
        actor=actor,
        to=S.ANSWERED,
        note=str(Suggestion.Result(result).label),
        fields=("result", "public_answer", "answered_at", "due_on"),
    )
    proposal_outcome_changed(suggestion)
    tell_station(
        suggestion, kind="suggestion_answered", title=_("A suggestion was answered"), key=f"answer:{answer.pk}"
    )
    return answer
