"""The demo county's performance records: consistent with their sources, a rule set, report-backs,
last year's evaluation published; seeding twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.models import ActivityInvitation
from representatives.models import AnnualEvaluation, PerformanceRecord, PointsRuleSet, ReportBack
from voters.models import HouseholdVisit


def snapshot():
    return (PerformanceRecord.objects.count(), ReportBack.objects.count(), AnnualEvaluation.objects.count())


@pytest.mark.django_db
def test_demo_performance_is_consistent_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    last_year = timezone.localdate().year - 1
    assert PointsRuleSet.objects.count() == 2
    assert ReportBack.objects.filter(status="held").exists()
    assert AnnualEvaluation.objects.filter(year=last_year, status="published").exists()
    assert not AnnualEvaluation.objects.filter(year=last_year, status="draft").exists()
    # Every attended invitation of the demo period has exactly one record, and no record lacks its source.
    attended = ActivityInvitation.objects.filter(
        attended_at__isnull=False, activity__starts_at__year__gte=last_year
    ).exclude(activity__status="cancelled")
    records = PerformanceRecord.objects.filter(source_type__model="activityinvitation")
    assert records.count() == attended.count() > 0
    assert set(records.values_list("source_id", flat=True)) == set(attended.values_list("pk", flat=True))
    visits = PerformanceRecord.objects.filter(source_type__model="householdvisit")
    assert visits.count() == HouseholdVisit.objects.filter(visited_on__year__gte=last_year).count()
    assert PerformanceRecord.objects.filter(source_type__isnull=True, verified_at__isnull=True).count() == 1
    from django.db.models import Count

    # The demo representative's proposals of this year, answered and rated, counted in this year's draft.
    from representatives.models import EvaluationEntry

    entry = EvaluationEntry.objects.get(
        evaluation__year=last_year + 1, evaluation__status="draft", representative__user__username="daibiao"
    )
    figures = [entry.proposals_filed, entry.proposals_answered, entry.proposals_a, entry.proposals_b]
    figures += [entry.proposals_c, entry.proposals_d, entry.proposals_satisfied, entry.proposals_partly]
    assert figures + [entry.proposals_unsatisfied] == [6, 5, 2, 2, 1, 0, 3, 1, 0]
    by_kind = dict(PerformanceRecord.objects.values_list("kind").annotate(n=Count("pk")))
    call_command("seed_demo", stdout=io.StringIO())
    assert dict(PerformanceRecord.objects.values_list("kind").annotate(n=Count("pk"))) == by_kind
    assert snapshot() == first
