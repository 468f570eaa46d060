"""Reads for the public pages (no login): whom the form is addressed to, the tracking page, the
answers a station may publish. Nothing here returns a voter's name or phone to a template: the
tracking page gets a `PublicTracking` with only what the public may read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from liaison import access
from liaison.ids import parse_id
from liaison.models import Station
from representatives.models import Representative
from suggestions import workflow
from suggestions.models import CODE_ALPHABET, CODE_LENGTH, Category, Suggestion, Transition

# What a typed code may look like before it is looked up (lower case and spaces are forgiven).
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
PUBLISHED_STATES = (Suggestion.Status.ANSWERED, Suggestion.Status.CLOSED, Suggestion.Status.UNSATISFIED)


def normalize_code(value: object) -> str:
    """' abcd-2345 xy ' -> 'ABCD2345XY'; '' when it cannot be a tracking code."""
    text = re.sub(r"[\s\-]", "", str(value or "")).upper()
    return text if _CODE_RE.match(text) else ""


def station_for_form(slug: object) -> Station | None:
    """The active station a QR code's `?station=<slug>` names, else None."""
    text = str(slug or "").strip()
    if not text or len(text) > 60:
        return None
    return access.public_stations().filter(slug=text).select_related("division").first()


def representative_for_form(ref: object) -> Representative | None:
    """The serving representative a QR code's `?representative=<id>` names (with the home
    station), else None."""
    pk = parse_id(ref)
    if pk is None:
        return None
    return access.public_representatives().filter(pk=pk).select_related("home_station").first()


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "pk")


@dataclass(frozen=True)
class PublicStep:
    at: object
    label: str
    status_label: str
    note: str


@dataclass(frozen=True)
class PublicTracking:
    """What the tracking page may show: never the voter's name or phone."""

    pk: int
    code: str
    title: str
    kind_label: str
    category: str
    station: str
    status: str
    status_label: str
    submitted_at: object
    due_on: object
    result_label: str
    public_answer: str
    satisfaction_label: str
    version: int
    may_rate: bool
    merged_from: str
    steps: list[PublicStep]


def _survivor(code: str) -> tuple[Suggestion | None, str]:
    """The suggestion a code names, following merges (the voter follows the surviving one)."""
    suggestion = Suggestion.objects.filter(code=code).select_related("station", "category").first()
    merged_from = ""
    seen = set()
    while suggestion is not None and suggestion.merged_into_id and suggestion.pk not in seen:
        seen.add(suggestion.pk)
        merged_from = merged_from or suggestion.code
        suggestion = (
            Suggestion.objects.filter(pk=suggestion.merged_into_id).select_related("station", "category").first()
        )
    return suggestion, merged_from


def tracking_by_code(code: object) -> PublicTracking | None:
    """The public view of a suggestion by its tracking code; None for an unknown code."""
    code = normalize_code(code)
    if not code:
        return None
    suggestion, merged_from = _survivor(code)
    if suggestion is None:
        return None
    labels = {name: str(action.label) for name, action in workflow.ACTIONS.items()}
    steps = [
        PublicStep(
            at=step.at,
            label=labels.get(step.action, step.action),
            status_label=str(Suggestion.Status(step.to_status).label) if step.to_status else "",
            note=step.note,
        )
        for step in Transition.objects.filter(suggestion=suggestion, public=True).order_by("at", "pk")
    ]
    return PublicTracking(
        pk=suggestion.pk,
        code=suggestion.code,
        title=suggestion.title,
        kind_label=suggestion.get_kind_display(),
        category=suggestion.category.name,
        station=suggestion.station.name,
        status=suggestion.status,
        status_label=suggestion.get_status_display(),
        submitted_at=suggestion.submitted_at,
        due_on=suggestion.due_on,
        result_label=suggestion.get_result_display() if suggestion.result else "",
        public_answer=suggestion.public_answer,
        satisfaction_label=suggestion.get_satisfaction_display() if suggestion.satisfaction else "",
        version=suggestion.version,
        # The voter rates on this page only an opinion they gave a phone with, once it is answered.
        may_rate=(
            suggestion.status == Suggestion.Status.ANSWERED
            and suggestion.kind == Suggestion.Kind.OPINION
            and bool(suggestion.contact_phone)
        ),
        merged_from=merged_from,
        steps=steps,
    )


def phone_tail_matches(suggestion_pk: int, last_four: str) -> bool:
    """Do the last four digits match the phone given with the suggestion? (Never returns it.)"""
    phone = Suggestion.objects.filter(pk=suggestion_pk).values_list("contact_phone", flat=True).first() or ""
    return len(phone) >= 4 and len(last_four) == 4 and phone[-4:] == last_four


def published_answers(station: Station) -> QuerySet[Suggestion]:
    """Answers the voter agreed to publish, for the station's public page (newest first): title,
    category, result and the public answer only."""
    return (
        Suggestion.objects.filter(
            station=station, publish_consent=True, status__in=PUBLISHED_STATES, merged_into__isnull=True
        )
        .exclude(public_answer="")
        .select_related("category")
        .only("code", "title", "category__name", "result", "public_answer", "answered_at", "status")
        .order_by("-answered_at", "-pk")
    )
