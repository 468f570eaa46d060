"""Demo performance records: the points rules of last year and this year, the records of the duties
the demo already holds (written by the backfill service, as the sources' own services write them),
report-backs at a few stations, a record added by hand awaiting verification, and last year's
evaluation published. Idempotent: each step skips what exists."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from representatives.models import AnnualEvaluation, PerformanceKind, PerformanceRecord, PointsRuleSet, ReportBack

K = PerformanceKind
RULES_LAST_YEAR = {
    K.RECEPTION: ("3", "36"),
    K.ACTIVITY: ("2", "30"),
    K.TRAINING: ("2", "12"),
    K.INSPECTION: ("3", "18"),
    K.PROPOSAL_FILED: ("5", "25"),
    K.PROPOSAL_COSIGNED: ("1", "5"),
    K.REPORT_BACK: ("10", "10"),
    K.HOUSEHOLD_VISIT: ("1", "24"),
    K.OTHER: ("1", "10"),
}
# This year the county values reception days and household visits more (seed 003: 走访选民).
RULES_THIS_YEAR = {**RULES_LAST_YEAR, K.RECEPTION: ("4", "40"), K.HOUSEHOLD_VISIT: ("1.5", "30")}
REPORT_BACK_STATIONS = ["shitang", "fuyun", "chongtou"]


@transaction.atomic
def seed_performance(*, admin, network: dict) -> dict:
    from representatives.services import evaluation, performance, report_backs
    from representatives.services.performance_backfill import performance_records_backfill

    rng = random.Random(2026)
    today = timezone.localdate()
    last_year = today.year - 1
    for year, rules in ((last_year, RULES_LAST_YEAR), (today.year, RULES_THIS_YEAR)):
        if not PointsRuleSet.objects.filter(valid_from=datetime.date(year, 1, 1)).exists():
            performance.points_rule_set_save(
                actor=admin, valid_from=datetime.date(year, 1, 1), rules=rules, note=f"{year}年度代表履职积分办法"
            )
    stations = network["stations"]
    for slug in REPORT_BACK_STATIONS:
        station = stations.get(slug)
        if station is None or ReportBack.objects.filter(representative__home_station=station).exists():
            continue
        for year in (last_year, today.year):
            report_backs.report_back_plan_share(actor=admin, station=station, year=year)
        planned = ReportBack.objects.filter(
            representative__home_station=station, status=ReportBack.Status.PLANNED
        ).order_by("year", "pk")
        for i, rb in enumerate(planned):
            if rb.year == today.year and i % 2:
                continue  # half of this year's are still to come
            held_on = datetime.date(rb.year, 3 + i % 8, 10 + i % 15)
            if held_on > today:
                continue
            present = rng.randint(25, 60)
            satisfied = rng.randint(present // 2, present - 3)
            report_backs.report_back_record_held(
                actor=admin,
                report_back=rb,
                held_on=held_on,
                place=f"{station.name}会议室",
                attendees=present,
                satisfied=satisfied,
                partly=present - satisfied - 1,
                unsatisfied=1,
                summary="向原选区选民报告一年来履职情况，现场接受选民测评。",
            )
    backfilled = performance_records_backfill(start=datetime.date(last_year, 1, 1), end=today)
    _manual_record(admin=admin, today=today)
    evaluation.annual_evaluation_compute(year=last_year)
    for ev in AnnualEvaluation.objects.filter(year=last_year, status=AnnualEvaluation.Status.DRAFT):
        for entry in ev.entries.order_by("rank", "pk")[:2]:
            evaluation.evaluation_nominate(actor=admin, entry=entry, outstanding=True)
        evaluation.evaluation_publish(actor=admin, evaluation=ev)
    return {
        "records": PerformanceRecord.objects.count(),
        "backfilled": backfilled,
        "report_backs": ReportBack.objects.count(),
    }


def _manual_record(*, admin, today) -> None:
    """The demo representative's talk at a county forum, added by the officer, awaiting verification."""
    from representatives.models import Representative
    from representatives.services import performance

    rep = Representative.objects.filter(user__username="daibiao").select_related("home_station").first()
    if rep is None or PerformanceRecord.objects.filter(representative=rep, source_type__isnull=True).exists():
        return
    actor = rep.home_station.officer or admin
    performance.performance_record_add_manual(
        actor=actor,
        representative=rep,
        kind=K.OTHER,
        date=today - datetime.timedelta(days=3),
        note="在县人大常委会民生实事项目座谈会上发言",
        points="2",
    )
