"""What every suggestion service shares: locking the row, the version check, the timeline step,
who is told. Private to `suggestions.services` (the use cases are in `intake` and `handling`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.services import notify
from liaison.text import normalize_multiline
from representatives.services.performance import performance_records_set_outcome
from suggestions import workflow
from suggestions.models import Assignment, Rating, Suggestion, Transition
from suggestions.selectors.common import station_staff, unit_users


def page_url(name: str, pk: int) -> str:
    """The page a notification links to ("" while that page does not exist yet: the staff pages
    are built on another branch)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def today() -> datetime.date:
    return timezone.localdate()


def actor_label(actor) -> str:
    """How the actor is shown on the timeline: the unit's name for a handling-unit user, else the
    person's name; "选民" for nobody signed in (the public pages)."""
    if actor is None or not actor.is_authenticated:
        return _("Voter")
    for grant in access.grants(actor):
        if grant.handling_unit_id and grant.handling_unit is not None:
            return grant.handling_unit.name
    return getattr(actor, "full_name", "") or actor.get_username()


def lock(suggestion_id: int, *, scope: QuerySet | None = None) -> Suggestion:
    """The suggestion, its row locked until the transaction ends. With `scope` (an access
    queryset), a suggestion outside it is refused with PermissionDenied."""
    suggestion = Suggestion.objects.select_for_update(of=("self",)).get(pk=suggestion_id)
    if scope is not None and not scope.filter(pk=suggestion.pk).exists():
        raise PermissionDenied
    return suggestion


def refuse_if_changed(suggestion: Suggestion, version: int | None) -> None:
    """A form opened on an older version acts on nothing: the message names the last step."""
    if version is None or str(version).strip() == str(suggestion.version):
        return
    last = suggestion.timeline.order_by("-at", "-pk").first()
    step = "—"
    if last is not None:
        label = workflow.ACTIONS[last.action].label if last.action in workflow.ACTIONS else last.action
        when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M")
        step = f"{last.actor_label} {when} {label}"
    raise ValidationError(
        _("This suggestion was just handled by someone else (%(step)s). Reload the page and try again.")
        % {"step": step},
        code="stale",
    )


def begin(action: str, suggestion_id: int, *, scope: QuerySet | None = None, version: int | None = None):
    """Lock, check scope, version and the state machine: the suggestion and the action, or a refusal
    that changed nothing."""
    suggestion = lock(suggestion_id, scope=scope)
    refuse_if_changed(suggestion, version)
    workflow.check(action, suggestion.status)
    return suggestion


def step(
    suggestion: Suggestion,
    action: str,
    *,
    actor,
    to: str | None = None,
    note: str = "",
    public: bool = True,
    fields: tuple[str, ...] = (),
    label: str | None = None,
) -> Transition:
    """Move the suggestion to `to` (or keep its state), save `fields`, bump the version and add the
    timeline step. The caller has locked the row and checked the action."""
    source = suggestion.status
    target = to or source
    workflow.check(action, source, target if workflow.ACTIONS[action].targets else None)
    suggestion.status = target
    suggestion.version += 1  # the row is locked: no one else bumps it meanwhile
    suggestion.save(update_fields=["status", "version", "updated_at", *fields])
    return Transition.objects.create(
        suggestion=suggestion,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label if label is not None else actor_label(actor),
        note=note,
        public=public,
    )


def tell(users, *, kind: str, key: str, title: str, body: str = "", url: str = "") -> int:
    """Notify each user once under `key` (suffixed with the user id)."""
    sent = 0
    for user in users:
        if notify(recipient=user, kind=kind, key=f"{key}:u{user.pk}", title=title, body=body, url=url):
            sent += 1
    return sent


def reason_text(value: str, field: str, message: str) -> str:
    text = normalize_multiline(value)
    if not text:
        raise ValidationError({field: [message]})
    if len(text) > 500:
        raise ValidationError({field: [_("At most 500 characters.")]})
    return text


def tell_units(assignments: list[Assignment], suggestion: Suggestion, *, kind: str, title: str) -> None:
    users = unit_users({a.unit_id for a in assignments})
    for assignment in assignments:
        tell(
            users.get(assignment.unit_id, []),
            kind=kind,
            key=f"suggestion:{suggestion.pk}:{kind}:a{assignment.pk}",
            title=title,
            body=suggestion.title,
            url=page_url("suggestions:unit_detail", assignment.pk),
        )


def end_round(suggestion: Suggestion, status: str = Assignment.Status.ENDED) -> None:
    suggestion.assignments.filter(status=Assignment.Status.ACTIVE).update(status=status, finished_at=timezone.now())


def tell_station(suggestion: Suggestion, *, kind: str, title: str, key: str) -> None:
    tell(
        station_staff([suggestion.station_id]).get(suggestion.station_id, []),
        kind=kind,
        key=f"suggestion:{suggestion.pk}:{key}",
        title=title,
        body=suggestion.title,
        url=page_url("suggestions:detail", suggestion.pk),
    )


def proposal_outcome_changed(suggestion: Suggestion) -> None:
    """A proposal was answered, rated, re-handled or closed: its representatives' performance
    records (filed, co-signed) carry the result of its latest answer and that answer's rating
    (none while the re-handled answer waits for one), so the evaluation counts the final ones."""
    if suggestion.kind != Suggestion.Kind.PROPOSAL:
        return
    answer = suggestion.answers.order_by("-answered_at", "-pk").first()
    rating = Rating.objects.filter(answer=answer).values_list("value", flat=True).first() if answer else None
    performance_records_set_outcome(
        source=suggestion, result=answer.result if answer else "", satisfaction=rating or ""
    )
