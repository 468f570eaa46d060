"""Report-backs (述职): planned per station so that about a fifth of its representatives report
each year (every one at least once a term), then recorded as held with the voters' ratings. A
held report-back is a performance record; undoing it removes the record."""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Station
from liaison.text import normalize_multiline, normalize_text
from representatives.models import PerformanceKind, ReportBack, Representative
from representatives.selectors.report_backs import not_yet_reported
from representatives.services.performance import (
    performance_record_add_for_source,
    performance_records_remove_for_source,
)

SHARE_PER_YEAR = 5  # about a fifth of a station's representatives report each year (Nanjing, Dongshan)


def _require(actor, report_back: ReportBack) -> None:
    if not access.report_backs_changeable(actor).filter(pk=report_back.pk).exists():
        raise PermissionDenied(_("You may not change this report-back."))


@transaction.atomic
def report_back_plan(*, actor, representative: Representative, year: int, place: str = "") -> ReportBack:
    errors: dict[str, list[str]] = {}
    if not access.performance_representatives(actor).filter(pk=representative.pk).exists():
        errors["representative"] = [_("You may not plan a report-back for this representative.")]
    elif not representative.is_serving:
        errors["representative"] = [_("Choose a serving representative.")]
    elif ReportBack.objects.filter(representative=representative, year=year).exists():
        errors["representative"] = [_("This representative already has a report-back this year.")]
    if not 2000 <= year <= timezone.localdate().year + 5:
        errors["year"] = [_("Enter a year between 2000 and five years from now.")]
    if errors:
        raise ValidationError(errors)
    return ReportBack.objects.create(
        representative=representative,
        term=representative.term,
        year=year,
        place=normalize_text(place)[:200],
        created_by=actor,
    )


@transaction.atomic
def report_back_plan_share(*, actor, station: Station, year: int) -> int:
    """Plan this year's fifth: the station's serving representatives who have not reported this
    term (longest on the roster first) until about a fifth of them report this year. Running it
    again adds nobody once the year's share is planned. Returns how many were planned."""
    if not access.stations_changeable(actor).filter(pk=station.pk).exists():
        raise PermissionDenied(_("You may not plan report-backs at this station."))
    serving = Representative.objects.filter(home_station=station, status=Representative.Status.SERVING)
    target = math.ceil(serving.count() / SHARE_PER_YEAR)
    this_year = ReportBack.objects.filter(representative__in=serving, year=year).count()
    candidates = list(not_yet_reported(station=station).exclude(report_backs__year=year)[: max(target - this_year, 0)])
    for rep in candidates:
        ReportBack.objects.create(representative=rep, term=rep.term, year=year, created_by=actor)
    return len(candidates)


def _count(value, field: str, errors: dict) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > 100000:
        errors[field] = [_("Enter a whole number from 0 to 100000.")]
        return 0
    return number


@transaction.atomic
def report_back_record_held(
    *,
    actor,
    report_back: ReportBack,
    held_on: datetime.date,
    attendees,
    satisfied,
    partly,
    unsatisfied,
    place: str = "",
    summary: str = "",
) -> ReportBack:
    """Record that the report-back took place, who came and how they rated it. Recording again
    corrects it (the performance record follows the date)."""
    _require(actor, report_back)
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("This field is required.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("A report-back is recorded on the day or after it.")]
    elif held_on.year < 2000:
        errors["held_on"] = [_("Enter a date in 2000 or later.")]
    present = _count(attendees, "attendees", errors)
    ratings = [
        _count(v, f, errors) for v, f in ((satisfied, "satisfied"), (partly, "partly"), (unsatisfied, "unsatisfied"))
    ]
    if not errors and sum(ratings) > present:
        errors["attendees"] = [_("More ratings than voters present: check the numbers.")]
    if errors:
        raise ValidationError(errors)
    report_back.status = ReportBack.Status.HELD
    report_back.held_on = held_on
    report_back.year = held_on.year
    report_back.attendees = present
    report_back.rated_satisfied, report_back.rated_partly, report_back.rated_unsatisfied = ratings
    report_back.place = normalize_text(place)[:200] or report_back.place
    report_back.summary = normalize_multiline(summary)[:2000]
    report_back.recorded_by = actor
    report_back.save()
    performance_record_add_for_source(
        representative=report_back.representative_id,
        kind=PerformanceKind.REPORT_BACK,
        source=report_back,
        date=held_on,
        actor=actor,
    )
    return report_back


@transaction.atomic
def report_back_undo(*, actor, report_back: ReportBack) -> ReportBack | None:
    """A held report-back recorded by mistake goes back to planned (its record goes); a planned
    one is removed from the plan. Returns the report-back, or None when it was removed."""
    _require(actor, report_back)
    performance_records_remove_for_source(source=report_back)
    if report_back.status == ReportBack.Status.PLANNED:
        report_back.delete()
        return None
    report_back.status = ReportBack.Status.PLANNED
    report_back.held_on = None
    report_back.attendees = None
    report_back.rated_satisfied = report_back.rated_partly = report_back.rated_unsatisfied = 0
    report_back.save()
    return report_back
