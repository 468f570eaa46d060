"""Records for duties done before the performance records existed (an upgrade, the demo county):
the sources are read and the missing records inserted in bulk, each exactly as the source's own
service would have written it (kind, date, points of the rules in force on that date). Records
that exist already are left alone (the unique constraint per source), so it runs any number of
times.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from representatives.models import PerformanceKind, PerformanceRecord, ReportBack
from representatives.selectors.performance import rules_in_force

logger = logging.getLogger(__name__)
BATCH = 2000


def _sources(start: datetime.date, end: datetime.date):
    """(model, rows of (source id, representative id, kind, date)) for every kind of source."""
    from liaison.models import Activity, ActivityInvitation
    from voters.models import DutyAssignment, HouseholdVisit, ReceptionDay

    kind_of = {Activity.Kind.TRAINING: PerformanceKind.TRAINING, Activity.Kind.INSPECTION: PerformanceKind.INSPECTION}
    invitations = (
        ActivityInvitation.objects.filter(attended_at__isnull=False)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .values_list("pk", "representative_id", "activity__kind", "activity__starts_at")
        .iterator(chunk_size=BATCH)
    )
    yield (
        ActivityInvitation,
        (
            (pk, rep, kind_of.get(kind, PerformanceKind.ACTIVITY), timezone.localdate(starts))
            for pk, rep, kind, starts in invitations
        ),
    )
    duties = DutyAssignment.objects.filter(
        status=DutyAssignment.Status.CONFIRMED, day__status=ReceptionDay.Status.HELD
    ).values_list("pk", "representative_id", "day__date")
    yield DutyAssignment, ((pk, rep, PerformanceKind.RECEPTION, day) for pk, rep, day in duties.iterator(BATCH))
    visits = HouseholdVisit.objects.values_list("pk", "representative_id", "visited_on")
    yield HouseholdVisit, ((pk, rep, PerformanceKind.HOUSEHOLD_VISIT, day) for pk, rep, day in visits.iterator(BATCH))
    held = ReportBack.objects.filter(status=ReportBack.Status.HELD).values_list("pk", "representative_id", "held_on")
    yield ReportBack, ((pk, rep, PerformanceKind.REPORT_BACK, day) for pk, rep, day in held.iterator(BATCH))


@transaction.atomic
def performance_records_backfill(*, start: datetime.date, end: datetime.date) -> int:
    """Insert the missing records of the duties done between two dates (inclusive). Returns how
    many were inserted."""
    rules: dict[datetime.date, dict] = {}
    now = timezone.now()
    inserted = 0
    for model, rows in _sources(start, end):
        source_type = ContentType.objects.get_for_model(model)
        batch: list[PerformanceRecord] = []
        for source_id, rep_id, kind, day in rows:
            if not start <= day <= end:
                continue
            if day not in rules:
                rules[day] = rules_in_force(day)
            batch.append(
                PerformanceRecord(
                    representative_id=rep_id,
                    kind=kind,
                    date=day,
                    points=rules[day][kind][0],
                    source_type=source_type,
                    source_id=source_id,
                    verified_at=now,
                )
            )
            if len(batch) >= BATCH:
                inserted += len(PerformanceRecord.objects.bulk_create(batch, ignore_conflicts=True))
                batch = []
        inserted += len(PerformanceRecord.objects.bulk_create(batch, ignore_conflicts=True))
    logger.info("performance records backfilled from %s to %s: %s rows offered", start, end, inserted)
    return inserted
