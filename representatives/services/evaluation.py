"""The annual evaluation (评先评优): per congress and year, each representative's points (capped
per kind), rank, duty counts, report-back rating and their proposals' handling (answered, by result
A-D, by rating: from the outcome their filing records carry), computed in the database in one statement
(set-based: no row of a representative goes through Python, so memory stays flat at a province's
scale); staff nominate outstanding representatives and proposals; publishing freezes it.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from representatives.models import (
    AnnualEvaluation,
    EvaluationEntry,
    OutstandingProposal,
    PerformanceKind,
    PerformanceRecord,
    ProposalResult,
    ProposalSatisfaction,
    ReportBack,
    Representative,
)
from representatives.selectors.performance import yearly_caps

logger = logging.getLogger(__name__)

_ENTRIES_SQL = """
WITH per_rep AS (
    SELECT p.representative_id, {kind_columns}, {outcome_columns}
    FROM {rec} p
    WHERE p.date >= %(year_start)s AND p.date <= %(year_end)s AND p.verified_at IS NOT NULL {record_filter}
    GROUP BY p.representative_id
),
rb AS (
    SELECT b.representative_id, COUNT(*) AS n, SUM(b.rated_satisfied) AS satisfied,
           SUM(b.rated_satisfied + b.rated_partly + b.rated_unsatisfied) AS rated
    FROM {rb} b
    WHERE b.status = 'held' AND b.held_on >= %(year_start)s AND b.held_on <= %(year_end)s
    GROUP BY b.representative_id
),
totals AS (
    SELECT r.id, r.congress_id, COALESCE({total}, 0) AS total, COALESCE({counts}, '{{}}'::jsonb) AS counts,
           {outcome_carried}
    FROM {rep} r LEFT JOIN per_rep pr ON pr.representative_id = r.id
    WHERE (r.status = 'serving' OR r.status_date >= %(year_start)s) {rep_filter}
)
INSERT INTO {entry} (evaluation_id, representative_id, total_points, rank, counts, report_backs,
                     report_back_satisfied_percent, outstanding, {outcome_fields})
SELECT e.id, t.id, t.total, RANK() OVER (PARTITION BY t.congress_id ORDER BY t.total DESC), t.counts,
       COALESCE(rb.n, 0), CASE WHEN rb.rated > 0 THEN ROUND(100.0 * rb.satisfied / rb.rated) END, FALSE,
       {outcome_values}
FROM totals t
JOIN {ev} e ON e.congress_id = t.congress_id AND e.year = %(year)s AND e.status = 'draft'
LEFT JOIN rb ON rb.representative_id = t.id
"""

# The outcome of the representative's own proposals filed in the year (the records of their
# filing carry it, see `performance_records_set_outcome`): entry field -> which records count.
# Co-signed proposals count among the duties only.
_OUTCOMES = {
    "proposals_answered": Q(outcome_result__gt=""),
    "proposals_a": Q(outcome_result=ProposalResult.SOLVED),
    "proposals_b": Q(outcome_result=ProposalResult.BEING_SOLVED),
    "proposals_c": Q(outcome_result=ProposalResult.PLANNED),
    "proposals_d": Q(outcome_result=ProposalResult.EXPLAINED),
    "proposals_satisfied": Q(outcome_satisfaction=ProposalSatisfaction.SATISFIED),
    "proposals_partly": Q(outcome_satisfaction=ProposalSatisfaction.PARTLY),
    "proposals_unsatisfied": Q(outcome_satisfaction=ProposalSatisfaction.UNSATISFIED),
}
_OUTCOME_SQL = {
    "proposals_answered": "p.outcome_result <> ''",
    **{f"proposals_{v.lower()}": f"p.outcome_result = '{v}'" for v in ProposalResult.values},
    **{f"proposals_{v}": f"p.outcome_satisfaction = '{v}'" for v in ProposalSatisfaction.values},
}


def _outcome_sql() -> dict[str, str]:
    """One filtered count per outcome field, in the same single pass over the records."""
    filed = f"p.kind = '{PerformanceKind.PROPOSAL_FILED}'"
    return {
        "outcome_columns": ", ".join(
            f"COUNT(*) FILTER (WHERE {filed} AND {_OUTCOME_SQL[name]}) AS {name}" for name in _OUTCOMES
        ),
        "outcome_carried": ", ".join(f"COALESCE(pr.{name}, 0) AS {name}" for name in _OUTCOMES),
        "outcome_fields": ", ".join(_OUTCOMES),
        "outcome_values": ", ".join(f"t.{name}" for name in _OUTCOMES),
    }


def _kind_sql(caps: dict) -> dict[str, str]:
    """Per kind, one count and one sum in a single pass over the records (a column each, no
    per-kind rows to regroup); the total caps each kind's sum; counts become one JSON object."""
    columns, capped, counts = [], [], []
    for i, kind in enumerate(PerformanceKind.values):
        columns.append(f"COUNT(*) FILTER (WHERE p.kind = '{kind}') AS n{i}")
        columns.append(f"SUM(p.points) FILTER (WHERE p.kind = '{kind}') AS s{i}")
        cap = caps.get(kind)
        # COALESCE first: LEAST ignores NULLs, so LEAST(NULL, cap) would be the cap.
        capped.append(f"LEAST(COALESCE(pr.s{i}, 0), {cap})" if cap is not None else f"COALESCE(pr.s{i}, 0)")
        counts.append(f"'{kind}', NULLIF(pr.n{i}, 0)")
    return {
        "kind_columns": ", ".join(columns),
        "total": " + ".join(capped),
        "counts": f"jsonb_strip_nulls(jsonb_build_object({', '.join(counts)}))",
    }


def _congresses_with_representatives(congress_ids) -> list[int]:
    reps = Representative.objects.all()
    if congress_ids is not None:
        reps = reps.filter(congress_id__in=congress_ids)
    return list(reps.order_by().values_list("congress_id", flat=True).distinct())


@transaction.atomic
def annual_evaluation_compute(*, year: int, actor=None, congress_ids=None) -> int:
    """Compute (or recompute) the drafts of `year` for the congresses given (all when None, for
    the yearly job). A published evaluation is frozen and left as it is. Nominations on a draft
    are kept. Idempotent. Returns how many draft evaluations were computed."""
    if actor is not None:
        allowed = set(access.evaluation_congresses(actor).values_list("pk", flat=True))
        if congress_ids is None or not set(congress_ids) <= allowed:
            raise PermissionDenied(_("You may not evaluate this congress."))
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": [_("Choose this year or a past one.")]})
    congresses = _congresses_with_representatives(congress_ids)
    AnnualEvaluation.objects.bulk_create(
        [AnnualEvaluation(congress_id=pk, year=year) for pk in congresses], ignore_conflicts=True
    )
    drafts = AnnualEvaluation.objects.select_for_update().filter(
        year=year, status=AnnualEvaluation.Status.DRAFT, congress_id__in=congresses
    )
    draft_ids = list(drafts.values_list("pk", flat=True))
    if not draft_ids:
        return 0
    kept = list(
        EvaluationEntry.objects.filter(evaluation_id__in=draft_ids, outstanding=True).values_list(
            "evaluation_id", "representative_id"
        )
    )
    EvaluationEntry.objects.filter(evaluation_id__in=draft_ids).delete()
    caps = {kind: cap for kind, cap in yearly_caps(year).items() if cap is not None}
    params = {
        "year": year,
        "year_start": datetime.date(year, 1, 1),
        "year_end": datetime.date(year, 12, 31),
        "congress_ids": list(congresses),
    }
    rep_table = Representative._meta.db_table
    tables = {
        **_kind_sql(caps),
        **_outcome_sql(),
        # Evaluating a few congresses (a click) reads only their representatives' records.
        "rep_filter": "" if congress_ids is None else "AND r.congress_id = ANY(%(congress_ids)s)",
        "record_filter": ""
        if congress_ids is None
        else f"AND p.representative_id IN (SELECT id FROM {rep_table} WHERE congress_id = ANY(%(congress_ids)s))",
        "rep": rep_table,
        "ev": AnnualEvaluation._meta.db_table,
        "rec": PerformanceRecord._meta.db_table,
        "rb": ReportBack._meta.db_table,
        "entry": EvaluationEntry._meta.db_table,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # One aggregation over the year's records: give it the memory to hash rather than spill.
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(_ENTRIES_SQL.format(**tables), params)
            written = cursor.rowcount
    else:  # the SQLite demo: the same numbers, congress by congress, through the ORM
        written = sum(_compute_portable(evaluation, caps) for evaluation in drafts)
    for evaluation_id, rep_id in kept:
        EvaluationEntry.objects.filter(evaluation_id=evaluation_id, representative_id=rep_id).update(outstanding=True)
    drafts.update(computed_at=timezone.now())
    logger.info("annual evaluation %s: %s drafts, %s entries", year, len(draft_ids), written)
    return len(draft_ids)


def _compute_portable(evaluation: AnnualEvaluation, caps: dict) -> int:
    start, end = datetime.date(evaluation.year, 1, 1), datetime.date(evaluation.year, 12, 31)
    reps = list(
        Representative.objects.filter(congress_id=evaluation.congress_id)
        .filter(Q(status=Representative.Status.SERVING) | Q(status_date__gte=start))
        .values_list("pk", flat=True)
    )
    totals = dict.fromkeys(reps, Decimal("0"))
    counts: dict[int, dict] = {pk: {} for pk in reps}
    rows = (
        PerformanceRecord.objects.filter(
            representative_id__in=reps, date__gte=start, date__lte=end, verified_at__isnull=False
        )
        .values("representative_id", "kind")
        .annotate(n=Count("pk"), points=Sum("points"))
    )
    for row in rows:
        cap = caps.get(row["kind"])
        totals[row["representative_id"]] += min(row["points"], cap) if cap is not None else row["points"]
        counts[row["representative_id"]][row["kind"]] = row["n"]
    report_backs = {
        row["representative_id"]: row
        for row in ReportBack.objects.filter(
            representative_id__in=reps, status=ReportBack.Status.HELD, held_on__gte=start, held_on__lte=end
        )
        .values("representative_id")
        .annotate(
            n=Count("pk"),
            satisfied=Sum("rated_satisfied"),
            rated=Sum(F("rated_satisfied") + F("rated_partly") + F("rated_unsatisfied")),
        )
    }
    outcomes = {
        row.pop("representative_id"): row
        for row in PerformanceRecord.objects.filter(
            representative_id__in=reps,
            date__gte=start,
            date__lte=end,
            verified_at__isnull=False,
            kind=PerformanceKind.PROPOSAL_FILED,
        )
        .values("representative_id")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in _OUTCOMES.items()})
    }
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    entries = []
    for position, (pk, total) in enumerate(ordered):
        rank = position + 1 if position == 0 or total != ordered[position - 1][1] else entries[-1].rank
        rb = report_backs.get(pk)
        entries.append(
            EvaluationEntry(
                evaluation=evaluation,
                representative_id=pk,
                total_points=total,
                rank=rank,
                counts=counts[pk],
                report_backs=rb["n"] if rb else 0,
                report_back_satisfied_percent=round(100 * rb["satisfied"] / rb["rated"])
                if rb and rb["rated"]
                else None,
                **outcomes.get(pk, dict.fromkeys(_OUTCOMES, 0)),
            )
        )
    EvaluationEntry.objects.bulk_create(entries)
    return len(entries)


def _require_draft(actor, evaluation: AnnualEvaluation) -> None:
    if not access.evaluations_visible(actor).filter(pk=evaluation.pk).exists():
        raise PermissionDenied(_("You may not change this evaluation."))
    if evaluation.is_published:
        raise ValidationError(_("This evaluation is published and can no longer change."))


@transaction.atomic
def evaluation_nominate(*, actor, entry: EvaluationEntry, outstanding: bool) -> EvaluationEntry:
    """Nominate (or un-nominate) an outstanding representative on a draft evaluation."""
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=entry.evaluation_id)
    _require_draft(actor, evaluation)
    entry.outstanding = outstanding
    entry.save(update_fields=["outstanding"])
    return entry


@transaction.atomic
def outstanding_proposal_nominate(
    *, actor, evaluation: AnnualEvaluation, record: PerformanceRecord
) -> OutstandingProposal:
    """Nominate the proposal a "proposal filed" record stands for; its title is copied so the
    published evaluation keeps it whatever happens to the proposal later."""
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require_draft(actor, evaluation)
    if (
        record.kind != PerformanceKind.PROPOSAL_FILED
        or record.date.year != evaluation.year
        or not EvaluationEntry.objects.filter(
            evaluation=evaluation, representative_id=record.representative_id
        ).exists()
    ):
        raise ValidationError(
            {"record": [_("Choose a proposal filed in this year by a representative of this congress.")]}
        )
    source = record.source_type.get_object_for_this_type(pk=record.source_id) if record.source_type_id else None
    nomination, _created = OutstandingProposal.objects.get_or_create(
        evaluation=evaluation,
        source_type_id=record.source_type_id,
        source_id=record.source_id,
        defaults={
            "representative_id": record.representative_id,
            "title": str(source or record.note)[:200],
            "nominated_by": actor,
        },
    )
    return nomination


@transaction.atomic
def evaluation_publish(*, actor, evaluation: AnnualEvaluation) -> AnnualEvaluation:
    """Publish: from now on the evaluation is frozen (no recompute, no nomination changes)."""
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require_draft(actor, evaluation)
    if evaluation.computed_at is None:
        raise ValidationError(_("Compute the evaluation before publishing it."))
    evaluation.status = AnnualEvaluation.Status.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.published_by = actor
    evaluation.save(update_fields=["status", "published_at", "published_by"])
    return evaluation


def annual_evaluation_draft_due(*, today: datetime.date | None = None) -> int:
    """The yearly job (early January): the past year's drafts for every congress. Idempotent."""
    today = today or timezone.localdate()
    return annual_evaluation_compute(year=today.year - 1)
