"""Logging a held reception day: the day recorded as held, its visits and the items raised, the
typing kept as a server draft, finding or adding the visitor, and the seam the suggestions app
converts raised items through.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from liaison import access
from liaison.models import Station
from liaison.text import normalize_text
from representatives.models import PerformanceKind
from representatives.services.performance import (
    performance_records_remove_for_source,
    performance_records_sync_for_source,
)
from voters.models import (
    DutyAssignment,
    RaisedItem,
    ReceptionDay,
    Visit,
    VisitDraft,
    Voter,
)

MAX_ITEMS_PER_VISIT = 10


def _loggable_day(actor, day_id: int) -> ReceptionDay:
    day = access.reception_days_loggable(actor).select_for_update().filter(pk=day_id).first()
    if day is None:
        from django.http import Http404

        raise Http404
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ValidationError(_("This reception day was cancelled."))
    if day.date > timezone.localdate():
        raise ValidationError(_("A reception day can be logged on the day or after it."))
    return day


@transaction.atomic
def reception_day_record_held(
    *, actor, day_id: int, visitor_count: int, summary: str = "", finished: bool = False
) -> ReceptionDay:
    """Record the day as held: how many visitors came (and, when `finished`, that the log is done)."""
    day = _loggable_day(actor, day_id)
    if visitor_count is None or visitor_count < 0 or visitor_count > 10000:
        raise ValidationError({"visitor_count": [_("Give the number of visitors (0 or more).")]})
    logged = day.visits.count()
    if finished and visitor_count < logged:
        raise ValidationError(
            {
                "visitor_count": [
                    _("%(count)s visits are logged: the number of visitors cannot be smaller.") % {"count": logged}
                ]
            }
        )
    day.status = ReceptionDay.Status.HELD
    day.visitor_count = visitor_count
    day.summary = normalize_text(summary)
    fields = ["status", "visitor_count", "summary", "updated_at"]
    if finished:
        day.logged_at = timezone.now()
        day.logged_by = actor
        fields += ["logged_at", "logged_by"]
    day.save(update_fields=fields)
    # Who held it: the duty representatives who did not decline are recorded as attended (confirmed).
    DutyAssignment.objects.filter(day=day, status=DutyAssignment.Status.INVITED).update(
        status=DutyAssignment.Status.CONFIRMED, responded_at=timezone.now()
    )
    reception_duties_record(day=day, actor=actor)
    return day


def reception_duties_record(*, day: ReceptionDay, actor) -> None:
    """A held day is a duty done by each representative who held it (confirmed): one performance
    record per duty assignment, on the day's date. Called whenever a day becomes or stays held."""
    for duty in DutyAssignment.objects.filter(day=day, status=DutyAssignment.Status.CONFIRMED):
        performance_records_sync_for_source(
            source=duty,
            kind=PerformanceKind.RECEPTION,
            date=day.date,
            representative_ids=[duty.representative_id],
            actor=actor,
        )


def reception_duties_unrecord(*, day: ReceptionDay) -> None:
    for duty in DutyAssignment.objects.filter(day=day):
        performance_records_remove_for_source(source=duty)


@transaction.atomic
def reception_day_record_not_held(*, actor, day_id: int) -> ReceptionDay:
    """Undo "held" recorded by mistake (no visits logged yet): the day is planned again and its
    duty records go."""
    day = _loggable_day(actor, day_id)
    if day.status != ReceptionDay.Status.HELD:
        return day
    if day.visits.exists():
        raise ValidationError(_("Visits are logged on this day: remove them first."))
    day.status = ReceptionDay.Status.PLANNED
    day.visitor_count = None
    day.logged_at = None
    day.logged_by = None
    day.save(update_fields=["status", "visitor_count", "logged_at", "logged_by", "updated_at"])
    reception_duties_unrecord(day=day)
    return day


def voter_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))[:20].lower()


def normalize_phone(phone: str) -> str:
    return "".join(ch for ch in (phone or "") if ch.isdigit())


def voter_find_or_create(*, actor, station: Station, phone: str, name: str) -> Voter | None:
    """The voter with this phone (anywhere in the instance: one record per phone), or a new one
    kept by `station`. Empty phone and name: an anonymous visitor (None).

    Kept inside the reception services on purpose: the voters pages own the Voter record; a visit
    only needs to find one by phone or add a minimal one.
    """
    phone = normalize_phone(phone)
    name = normalize_text(name)
    if phone:
        if len(phone) != 11 or not phone.startswith("1"):
            raise ValidationError({"phone": [_("Enter an 11-digit mobile number, or leave it empty.")]})
        found = Voter.objects.filter(phone=phone).first()
        if found is not None:
            return found
    if not name:
        if phone:
            raise ValidationError({"name": [_("This number is new: enter the visitor's name.")]})
        return None
    if len(name) > 50:
        raise ValidationError({"name": [_("The name is too long.")]})
    voter = Voter(station=station, name=name, phone=phone, created_by=actor, name_initials=voter_initials(name))
    voter.full_clean(exclude=["name_initials"])
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError:  # the same number added a moment ago
        return Voter.objects.get(phone=phone)
    return voter


@transaction.atomic
def visit_log(
    *,
    actor,
    day_id: int,
    phone: str = "",
    name: str = "",
    items: list[str],
    received_by_id: int | None = None,
    outcome: str = Visit.Outcome.FOLLOW_UP,
    draft_token: str = "",
) -> Visit:
    """Log one visit with the items raised; the day becomes held; the actor's draft is cleared."""
    day = _loggable_day(actor, day_id)
    errors: dict[str, list[str]] = {}
    items = [text for text in (normalize_text(item) for item in items) if text]
    if not items:
        errors.setdefault("items", []).append(_("Write down at least one matter the visitor raised."))
    if len(items) > MAX_ITEMS_PER_VISIT:
        errors.setdefault("items", []).append(
            _("At most %(count)s matters per visit.") % {"count": MAX_ITEMS_PER_VISIT}
        )
    if any(len(item) > 500 for item in items):
        errors.setdefault("items", []).append(_("Each matter may have at most 500 characters."))
    if outcome not in Visit.Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome."))
    received_by = None
    if received_by_id:
        received_by = day.duties.filter(representative_id=received_by_id).select_related("representative").first()
        if received_by is None:
            errors.setdefault("received_by", []).append(_("Choose one of the day's duty representatives."))
        else:
            received_by = received_by.representative
    if errors:
        raise ValidationError(errors)
    voter = voter_find_or_create(actor=actor, station=day.station, phone=phone, name=name)
    visit = Visit.objects.create(day=day, voter=voter, received_by=received_by, outcome=outcome, created_by=actor)
    RaisedItem.objects.bulk_create([RaisedItem(visit=visit, text=text, position=i) for i, text in enumerate(items)])
    if day.status == ReceptionDay.Status.PLANNED:
        day.status = ReceptionDay.Status.HELD
    day.visitor_count = max(day.visitor_count or 0, day.visits.count())
    day.save(update_fields=["status", "visitor_count", "updated_at"])
    reception_duties_record(day=day, actor=actor)
    VisitDraft.objects.update_or_create(
        day=day, user=actor, defaults={"data": {}, "closed_token": (draft_token or "")[:32]}
    )
    return visit


@transaction.atomic
def visit_delete(*, actor, visit_id: int) -> None:
    """Remove a visit logged by mistake (before any of its items became a suggestion)."""
    visit = Visit.objects.filter(day__in=access.reception_days_loggable(actor).values("pk"), pk=visit_id).first()
    if visit is None:
        from django.http import Http404

        raise Http404
    if visit.items.filter(suggestion_id__isnull=False).exists():
        raise ValidationError(_("A matter of this visit is already a suggestion; it cannot be removed."))
    visit.delete()


DRAFT_FIELDS = ("phone", "name", "items", "received_by", "outcome")


def visit_draft_save(*, actor, day_id: int, data: dict, draft_token: str = "") -> VisitDraft | None:
    """Keep what is typed so far (as typed: only checked when the visit is saved).

    An autosave arriving after its form's visit was saved (same `draft_token`) is ignored.
    """
    day = access.reception_days_loggable(actor).filter(pk=day_id).first()
    if day is None:
        from django.http import Http404

        raise Http404
    clean = {}
    for field in DRAFT_FIELDS:
        value = data.get(field, "")
        if isinstance(value, list):
            clean[field] = [str(v)[:500] for v in value[:MAX_ITEMS_PER_VISIT]]
        else:
            clean[field] = str(value)[:500]
    with transaction.atomic():
        draft, _created = VisitDraft.objects.select_for_update().get_or_create(day=day, user=actor)
        if draft_token and draft.closed_token == draft_token:
            return None
        draft.data = clean
        draft.save(update_fields=["data", "updated_at"])
    return draft


def visit_draft_get(*, actor, day: ReceptionDay) -> dict:
    draft = VisitDraft.objects.filter(day=day, user=actor).first()
    return draft.data if draft else {}


def raised_items_to_convert(*, day: ReceptionDay):
    """SEAM for the suggestions app: the items of a day not yet turned into a suggestion.

    The suggestions issue adds `suggestion_create_from_raised_item(*, actor, item)` which creates
    the Suggestion (source "reception", station and receiving representative from the visit) and
    sets `item.suggestion_id`. Nothing here creates suggestions.
    """
    return RaisedItem.objects.filter(visit__day=day, suggestion_id__isnull=True).select_related(
        "visit__voter", "visit__received_by"
    )
