"""Reads of the county review console: the filtered list, overdue and due-soon, supervision, and
the figures per handling unit, station and township.

Every figure table is ONE grouped query (plus one more for medians on a database without
`percentile_cont`, i.e. the SQLite demo), whatever the number of units, stations or rows.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Func, Q, QuerySet
from django.utils import timezone

from liaison import access
from suggestions.models import Assignment, Suggestion, Supervision
from suggestions.workflow import OPEN_STATES

S = Suggestion.Status
DUE_SOON_DAYS = 7
RESULTS = [choice.value for choice in Suggestion.Result]
SATISFACTIONS = [choice.value for choice in Suggestion.Satisfaction]


class _Median(Aggregate):
    """PostgreSQL's median of a number (days)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(end: str, start: str):
    """(end - start) as a duration, for Avg on every database."""
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _days_number(end: str, start: str):
    return Func(_days(end, start), template="EXTRACT(EPOCH FROM %(expressions)s) / 86400.0", output_field=FloatField())


def _native_median() -> bool:
    return connection.vendor == "postgresql"


def review_suggestions(user) -> QuerySet[Suggestion]:
    """The suggestions the console lists (county staff's scope), with what a list row shows."""
    return access.suggestions_reviewable(user).select_related("station", "category", "township")


def period_q(prefix: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{prefix}__date__gte": start})
    if end:
        q &= Q(**{f"{prefix}__date__lte": end})
    return q


def overdue(user, *, today: datetime.date | None = None) -> QuerySet[Suggestion]:
    today = today or timezone.localdate()
    return review_suggestions(user).filter(status=S.ASSIGNED, due_on__lt=today).order_by("due_on", "pk")


def due_soon(user, *, today: datetime.date | None = None) -> QuerySet[Suggestion]:
    today = today or timezone.localdate()
    return (
        review_suggestions(user)
        .filter(status=S.ASSIGNED, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .order_by("due_on", "pk")
    )


def lead_units(suggestions: list[Suggestion]) -> dict[int, str]:
    """suggestion id -> the name of its current lead unit, for a page of rows (one query)."""
    rows = (
        Assignment.objects.filter(suggestion__in=[s.pk for s in suggestions], role=Assignment.Role.LEAD)
        .exclude(status=Assignment.Status.RETURNED)
        .order_by("suggestion_id", "round", "pk")
        .values_list("suggestion_id", "unit__name")
    )
    return dict(rows)


def supervisions(user) -> QuerySet[Supervision]:
    """Priority items under county supervision (督办), the next check first."""
    return (
        Supervision.objects.filter(suggestion__in=access.suggestions_reviewable(user).values("pk"), ended_at=None)
        .select_related("suggestion__station", "supervisor")
        .order_by("next_check_on", "pk")
    )


@dataclass
class Figures:
    """One row of a figure table."""

    key: object
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    mean_days: float | None = None
    median_days: float | None = None
    results: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    rated: int = 0
    reopened: int = 0
    overdue: int = 0

    @property
    def on_time_pct(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    def share(self, counts: dict, key: str, total: int) -> float | None:
        return round(100 * counts.get(key, 0) / total, 1) if total else None

    @property
    def result_shares(self) -> list[float | None]:
        return [self.share(self.results, key, self.answered) for key in RESULTS]

    @property
    def rating_shares(self) -> list[float | None]:
        return [self.share(self.ratings, key, self.rated) for key in SATISFACTIONS]


def _to_days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def unit_figures(user, *, start=None, end=None) -> list[Figures]:
    """Per handling unit, over the lead assignments made in the period: received (suggestions),
    answered, answered on time, mean and median days to answer, A/B/C/D and satisfaction counts,
    reopened (second rounds). One grouped query."""
    rows = (
        Assignment.objects.filter(
            suggestion__in=access.suggestions_reviewable(user).values("pk"), role=Assignment.Role.LEAD
        )
        .filter(period_q("assigned_at", start, end))
        .values("unit_id", "unit__name")
        .annotate(
            received=Count("suggestion_id", distinct=True),
            answered=Count("answers", distinct=True),
            on_time=Count("answers", filter=Q(answers__answered_at__date__lte=F("due_on")), distinct=True),
            mean=Avg(_days("answers__answered_at", "assigned_at")),
            reopened=Count("pk", filter=Q(round__gte=2), distinct=True),
            rated=Count("answers__ratings", distinct=True),
            overdue=Count(
                "pk", filter=Q(status=Assignment.Status.ACTIVE, due_on__lt=timezone.localdate()), distinct=True
            ),
            **{f"r_{v}": Count("answers", filter=Q(answers__result=v), distinct=True) for v in RESULTS},
            **{
                f"s_{v}": Count("answers__ratings", filter=Q(answers__ratings__value=v), distinct=True)
                for v in SATISFACTIONS
            },
            **({"median": _Median(_days_number("answers__answered_at", "assigned_at"))} if _native_median() else {}),
        )
        .order_by("unit__name")
    )
    figures = [_figures(row, key=row["unit_id"], label=row["unit__name"]) for row in rows]
    if not _native_median():
        medians = _medians_in_python(
            Assignment.objects.filter(
                suggestion__in=access.suggestions_reviewable(user).values("pk"),
                role=Assignment.Role.LEAD,
                answers__isnull=False,
            ).filter(period_q("assigned_at", start, end)),
            group="unit_id",
            end="answers__answered_at",
            start="assigned_at",
        )
        for row in figures:
            row.median_days = medians.get(row.key)
    return figures


def _figures(row: dict, *, key, label) -> Figures:
    return Figures(
        key=key,
        label=label,
        received=row["received"],
        answered=row["answered"],
        on_time=row["on_time"],
        mean_days=_to_days(row["mean"]),
        median_days=_to_days(row.get("median")),
        results={v: row[f"r_{v}"] for v in RESULTS},
        ratings={v: row[f"s_{v}"] for v in SATISFACTIONS},
        rated=row["rated"],
        reopened=row["reopened"],
        overdue=row["overdue"],
    )


def _medians_in_python(queryset, *, group: str, end: str, start: str) -> dict:
    by_group: dict = defaultdict(list)
    for key, done, begun in queryset.values_list(group, end, start):
        if done and begun:
            by_group[key].append((done - begun).total_seconds() / 86400)
    return {key: round(statistics.median(values), 1) for key, values in by_group.items()}


def place_figures(user, *, by: str, start=None, end=None) -> list[Figures]:
    """Per station (`by="station"`) or per township (`by="township"`), over the suggestions
    submitted in the period: received, answered, on time, days from submission to answer, results,
    ratings, reopened and overdue now. One grouped query."""
    label = {"station": "station__name", "township": "township__name"}[by]
    base = access.suggestions_reviewable(user).filter(period_q("submitted_at", start, end))
    answered_q = Q(answered_at__isnull=False)
    rows = (
        base.values(f"{by}_id", label)
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered_q),
            on_time=Count("pk", filter=answered_q & Q(due_on__isnull=False, answered_at__date__lte=F("due_on"))),
            mean=Avg(_days("answered_at", "submitted_at")),
            reopened=Count("pk", filter=Q(reopened_count__gte=1)),
            rated=Count("pk", filter=~Q(satisfaction="")),
            overdue=Count("pk", filter=Q(status=S.ASSIGNED, due_on__lt=timezone.localdate())),
            **{f"r_{v}": Count("pk", filter=answered_q & Q(result=v)) for v in RESULTS},
            **{f"s_{v}": Count("pk", filter=Q(satisfaction=v)) for v in SATISFACTIONS},
            **({"median": _Median(_days_number("answered_at", "submitted_at"))} if _native_median() else {}),
        )
        .order_by(label)
    )
    figures = [_figures(row, key=row[f"{by}_id"], label=row[label] or "—") for row in rows]
    if not _native_median():
        medians = _medians_in_python(base.filter(answered_q), group=f"{by}_id", end="answered_at", start="submitted_at")
        for row in figures:
            row.median_days = medians.get(row.key)
    return figures


def open_states() -> list[str]:
    return sorted(OPEN_STATES)
