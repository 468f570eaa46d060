"""Writes on performance records and the points rules.

The other apps' services call the two public functions when a duty is done or undone:

- `performance_record_add_for_source(*, representative, kind, source, date, actor=None, note="")`
  one record per (source, representative, kind); calling it again corrects the date and points;
- `performance_records_remove_for_source(*, source, representative=None, kind=None)`
  removes the records of a source (all, or one representative's / one kind's); idempotent;
- `performance_records_set_outcome(*, source, result, satisfaction)` carries a proposal's
  handling result and rating onto the records it made (filed, co-signed); the last call wins.

They do not check who may: the calling service has already decided that its actor may change the
source. Staff add records by hand (`performance_record_add_manual`), which count once another
staff member verified them (`performance_record_verify`).
"""

from __future__ import annotations

import datetime
import logging
import os
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Model, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.text import normalize_text
from representatives.models import (
    PerformanceKind,
    PerformanceRecord,
    PointsRule,
    PointsRuleSet,
    ProposalResult,
    ProposalSatisfaction,
    Representative,
)
from representatives.selectors.performance import points_for, rule_set_window, rules_in_force

logger = logging.getLogger(__name__)

EVIDENCE_TYPES = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",)}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EARLIEST = datetime.date(2000, 1, 1)
MAX_POINTS = Decimal("999")


# --- Records from a source (the seam for the other apps) ------------------------------------


@transaction.atomic
def performance_record_add_for_source(
    *, representative: Representative | int, kind: str, source: Model, date: datetime.date, actor=None, note: str = ""
) -> PerformanceRecord:
    """The record of `representative` doing `kind` through `source` on `date`: created once; a
    second call for the same source corrects its date (and so its points) instead of adding one."""
    if kind not in PerformanceKind.values:
        raise ValueError(f"unknown performance kind {kind!r}")
    rep_id = representative if isinstance(representative, int) else representative.pk
    source_type = ContentType.objects.get_for_model(source)
    points = points_for(kind, date)
    identity = {"source_type": source_type, "source_id": source.pk, "representative_id": rep_id, "kind": kind}
    record = PerformanceRecord.objects.select_for_update().filter(**identity).first()
    if record is None:
        try:
            with transaction.atomic():
                return PerformanceRecord.objects.create(
                    **identity,
                    date=date,
                    points=points,
                    note=normalize_text(note)[:200],
                    created_by=actor,
                    verified_at=timezone.now(),
                )
        except IntegrityError:  # the same source recorded a moment ago by another request
            record = PerformanceRecord.objects.select_for_update().get(**identity)
    if record.date != date or record.points != points:
        record.date, record.points = date, points
        record.save(update_fields=["date", "points"])
    return record


@transaction.atomic
def performance_records_remove_for_source(*, source: Model, representative=None, kind: str = "") -> int:
    """Remove the records a source made (undone attendance, an un-held day...). Returns how many."""
    records = PerformanceRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    if representative is not None:
        records = records.filter(representative_id=getattr(representative, "pk", representative))
    if kind:
        records = records.filter(kind=kind)
    removed, _per_model = records.delete()
    return removed


PROPOSAL_KINDS = (PerformanceKind.PROPOSAL_FILED, PerformanceKind.PROPOSAL_COSIGNED)


@transaction.atomic
def performance_records_set_outcome(*, source: Model, result: str, satisfaction: str) -> int:
    """How a proposal was handled (the result A-D of its latest answer, "" before one) and rated
    (that answer's rating, "" until rated), written on the proposal's filed and co-signed records
    in one UPDATE. Called again (a re-handled proposal answered and rated anew) it overwrites: the
    final answer and rating count. Returns how many records it wrote."""
    if result not in ("", *ProposalResult.values):
        raise ValueError(f"unknown proposal result {result!r}")
    if satisfaction not in ("", *ProposalSatisfaction.values):
        raise ValueError(f"unknown proposal rating {satisfaction!r}")
    return PerformanceRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk, kind__in=PROPOSAL_KINDS
    ).update(outcome_result=result, outcome_satisfaction=satisfaction)


@transaction.atomic
def performance_records_sync_for_source(
    *, source: Model, kind: str, date: datetime.date, representative_ids, actor=None
) -> None:
    """Make the source's records exactly one per representative given (added, dated, removed)."""
    wanted = set(representative_ids)
    existing = PerformanceRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    existing.exclude(representative_id__in=wanted).delete()
    existing.exclude(kind=kind).delete()
    for rep_id in sorted(wanted):
        performance_record_add_for_source(representative=rep_id, kind=kind, source=source, date=date, actor=actor)


# --- Records added by hand ------------------------------------------------------------------


def _validate_evidence(evidence) -> None:
    if not evidence:
        return
    extension = os.path.splitext(evidence.name or "")[1].lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": [_("Evidence must be a PDF, JPG or PNG file.")]})
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": [_("Evidence may be at most 5 MB.")]})
    evidence.seek(0)
    head = evidence.read(8)
    evidence.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension]):
        raise ValidationError({"evidence": [_("This file is not a readable PDF, JPG or PNG.")]})


def parse_points(value, *, field: str = "points", allow_empty: bool = False) -> Decimal | None:
    if value in (None, ""):
        if allow_empty:
            return None
        raise ValidationError({field: [_("Enter the points.")]})
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError({field: [_("Enter a number, for example 2 or 1.5.")]}) from exc
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        raise ValidationError({field: [_("Points are a number from 0 to 999.")]})
    if points != points.quantize(Decimal("0.1")):
        raise ValidationError({field: [_("Points have at most one decimal place.")]})
    return points.quantize(Decimal("0.1"))


@transaction.atomic
def performance_record_add_manual(
    *,
    actor,
    representative: Representative,
    kind: str,
    date: datetime.date,
    note: str,
    points=None,
    evidence=None,
) -> PerformanceRecord:
    """A duty done without a record in the system (a meeting elsewhere, a written opinion): staff
    add it with a note and evidence; it counts once another staff member verified it. Points
    follow the rules in force on the date unless given (they may be, for the kind "other")."""
    errors: dict[str, list[str]] = {}
    if not access.performance_representatives(actor).filter(pk=representative.pk).exists():
        errors["representative"] = [_("You may not add records for this representative.")]
    if kind not in PerformanceKind.values:
        errors["kind"] = [_("Choose the kind of duty.")]
    if date is None:
        errors["date"] = [_("This field is required.")]
    elif date > timezone.localdate():
        errors["date"] = [_("A duty cannot be recorded before it is done.")]
    elif date < EARLIEST:
        errors["date"] = [_("Enter a date in 2000 or later.")]
    note = normalize_text(note)
    if not note:
        errors["note"] = [_("Say what was done.")]
    elif len(note) > 200:
        errors["note"] = [_("Keep the note under 200 characters.")]
    try:
        given = parse_points(points, allow_empty=True)
        _validate_evidence(evidence)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        given = None
    if errors:
        raise ValidationError(errors)
    if given is None or kind != PerformanceKind.OTHER:
        given = points_for(kind, date)
    record = PerformanceRecord(
        representative=representative, kind=kind, date=date, note=note, points=given, created_by=actor
    )
    if evidence:
        record.evidence = evidence
    record.save()
    logger.info("performance record %s added by hand by %s", record.pk, actor.pk)
    return record


@transaction.atomic
def performance_record_verify(*, actor, record: PerformanceRecord) -> PerformanceRecord:
    record = PerformanceRecord.objects.select_for_update().get(pk=record.pk)
    if record.verified_at is not None:
        return record
    if not access.may_verify_performance_record(actor, record):
        raise PermissionDenied(_("You may not verify this record."))
    record.verified_by = actor
    record.verified_at = timezone.now()
    record.save(update_fields=["verified_by", "verified_at"])
    return record


@transaction.atomic
def performance_record_delete_manual(*, actor, record: PerformanceRecord) -> None:
    """Remove a record added by hand by mistake (one from a source goes when its source is undone)."""
    if not access.performance_representatives(actor).filter(pk=record.representative_id).exists():
        raise PermissionDenied(_("You may not change this record."))
    if not record.is_manual:
        raise ValidationError(_("This record comes from the duty itself; undo the duty instead."))
    record.delete()


# --- Points rules ---------------------------------------------------------------------------


def parse_rules(values: dict[str, tuple]) -> dict[str, tuple[Decimal, Decimal | None]]:
    """{kind: (points, cap)} from form values; errors keyed `points_<kind>` / `cap_<kind>`."""
    rules: dict[str, tuple[Decimal, Decimal | None]] = {}
    errors: dict[str, list[str]] = {}
    for kind in PerformanceKind.values:
        points, cap = values.get(kind, (None, None))
        parsed = []
        for value, name, allow_empty in ((points, f"points_{kind}", False), (cap, f"cap_{kind}", True)):
            try:
                parsed.append(parse_points(value, field=name, allow_empty=allow_empty))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if len(parsed) == 2:
            rules[kind] = (parsed[0], parsed[1])
    if errors:
        raise ValidationError(errors)
    return rules


@transaction.atomic
def points_rule_set_save(
    *, actor, valid_from: datetime.date, rules: dict[str, tuple], note: str = "", rule_set: PointsRuleSet | None = None
) -> PointsRuleSet:
    """Create a rule set in force from a date, or change one; the records it prices (from its
    date to the next set's) are re-priced at once, in one UPDATE."""
    if not access.may_edit_points_rules(actor):
        raise PermissionDenied(_("Only county staff change the points rules."))
    errors: dict[str, list[str]] = {}
    if valid_from is None:
        errors["valid_from"] = [_("This field is required.")]
    elif valid_from < EARLIEST:
        errors["valid_from"] = [_("Enter a date in 2000 or later.")]
    elif PointsRuleSet.objects.filter(valid_from=valid_from).exclude(pk=getattr(rule_set, "pk", None)).exists():
        errors["valid_from"] = [_("Rules in force from this date exist already: change those.")]
    try:
        parsed = parse_rules(rules)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    previous_window = rule_set_window(rule_set) if rule_set is not None else None
    if rule_set is None:
        rule_set = PointsRuleSet(created_by=actor)
    rule_set.valid_from = valid_from
    rule_set.note = normalize_text(note)[:200]
    rule_set.save()
    PointsRule.objects.filter(rule_set=rule_set).delete()
    PointsRule.objects.bulk_create(
        [PointsRule(rule_set=rule_set, kind=kind, points=p, yearly_cap=cap) for kind, (p, cap) in parsed.items()]
    )
    start, end = rule_set_window(rule_set)
    if previous_window is not None:  # a moved set re-prices the days it left as well
        start = min(start, previous_window[0])
        end = None if end is None or previous_window[1] is None else max(end, previous_window[1])
    performance_points_reprice(start=start, end=end)
    logger.info("points rules from %s saved by %s", valid_from, actor.pk)
    return rule_set


@transaction.atomic
def points_rule_set_delete(*, actor, rule_set: PointsRuleSet) -> None:
    if not access.may_edit_points_rules(actor):
        raise PermissionDenied(_("Only county staff change the points rules."))
    start, end = rule_set_window(rule_set)
    rule_set.delete()
    performance_points_reprice(start=start, end=end)


def performance_points_reprice(*, start: datetime.date, end: datetime.date | None) -> int:
    """Give every record dated in [start, end) the points of the rules in force on its date (the
    kind "other" added by hand keeps the points staff gave it). One UPDATE per rule window."""
    from representatives.models import PointsRuleSet as RuleSet

    boundaries = sorted(
        {start, *RuleSet.objects.filter(valid_from__gt=start).values_list("valid_from", flat=True)}
        | ({end} if end else set())
    )
    if end:
        boundaries = [b for b in boundaries if b <= end]
    changed = 0
    windows = list(zip(boundaries, [*boundaries[1:], None], strict=True))
    for window_start, window_end in windows:
        if end is not None and window_start >= end:
            break
        rules = rules_in_force(window_start)
        records = PerformanceRecord.objects.filter(date__gte=window_start).exclude(
            kind=PerformanceKind.OTHER, source_type__isnull=True
        )
        if window_end is not None:
            records = records.filter(date__lt=window_end)
        changed += records.update(
            points=Case(*[When(kind=kind, then=Value(points)) for kind, (points, _cap) in rules.items()])
        )
    return changed


@transaction.atomic
def points_publication_set(*, actor, county, public: bool) -> None:
    """The county shows (or stops showing) each quarter's points on the public representative cards."""
    from representatives.models import PointsPublication

    if not access.may_publish_points(actor):
        raise PermissionDenied(_("Only county staff decide what is published."))
    PointsPublication.objects.update_or_create(
        county=county, defaults={"quarterly_points_public": public, "changed_by": actor}
    )
