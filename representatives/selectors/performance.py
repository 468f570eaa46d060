"""Reads of performance records: the points rules in force on a date, a representative's year,
the quarterly duty rule (the ONE place "two duties a quarter" is counted), the records list.

Points: a record carries the points of the rules in force on its date (written when it is made,
and re-priced when a rule set changes). A kind's points in a year are capped by the yearly cap of
the rules in force on the last day of that year (the cap belongs to the year, not to a record).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access
from representatives.models import PerformanceKind, PerformanceRecord, PointsRule, PointsRuleSet, Representative

K = PerformanceKind
# Used until county staff save a rule set of their own (seed 000: a city's points system).
DEFAULT_RULES: dict[str, tuple[Decimal, Decimal | None]] = {
    K.RECEPTION: (Decimal("3"), Decimal("36")),
    K.ACTIVITY: (Decimal("2"), Decimal("30")),
    K.TRAINING: (Decimal("2"), Decimal("12")),
    K.INSPECTION: (Decimal("3"), Decimal("18")),
    K.PROPOSAL_FILED: (Decimal("5"), Decimal("25")),
    K.PROPOSAL_COSIGNED: (Decimal("1"), Decimal("5")),
    K.REPORT_BACK: (Decimal("10"), Decimal("10")),
    K.HOUSEHOLD_VISIT: (Decimal("1"), Decimal("24")),
    K.OTHER: (Decimal("1"), Decimal("10")),
}

# "At least two duties a quarter" (seed 003: 每季度不少于2次 走访调研、走访选民、代表接待日):
# activities attended (of any kind), reception days held and household visits, counted from the
# performance records (which the sources keep in step). Used by the quarterly duty check
# (liaison.activities.services.notices) and by "My record".
MIN_DUTIES_PER_QUARTER = 2
QUARTERLY_DUTY_KINDS = (K.ACTIVITY, K.TRAINING, K.INSPECTION, K.RECEPTION, K.HOUSEHOLD_VISIT)


def counted_q(prefix: str = "") -> Q:
    """Records that count: those from a source, and hand-added ones once verified."""
    return Q(**{f"{prefix}verified_at__isnull": False})


def rules_in_force(on: datetime.date) -> dict[str, tuple[Decimal, Decimal | None]]:
    """{kind: (points, yearly cap)} of the rule set in force on a date (the defaults before any)."""
    rule_set = PointsRuleSet.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if rule_set is None:
        return dict(DEFAULT_RULES)
    rules = dict(DEFAULT_RULES)
    for rule in rule_set.rules.all():
        rules[rule.kind] = (rule.points, rule.yearly_cap)
    return rules


def points_for(kind: str, on: datetime.date) -> Decimal:
    return rules_in_force(on)[kind][0]


def yearly_caps(year: int) -> dict[str, Decimal | None]:
    return {kind: cap for kind, (_points, cap) in rules_in_force(datetime.date(year, 12, 31)).items()}


def rule_sets() -> QuerySet[PointsRuleSet]:
    return PointsRuleSet.objects.prefetch_related("rules").order_by("-valid_from")


def rule_set_rules(rule_set: PointsRuleSet | None) -> dict[str, tuple[Decimal, Decimal | None]]:
    rules = dict(DEFAULT_RULES)
    if rule_set is not None:
        for rule in PointsRule.objects.filter(rule_set=rule_set):
            rules[rule.kind] = (rule.points, rule.yearly_cap)
    return rules


def rule_set_window(rule_set: PointsRuleSet) -> tuple[datetime.date, datetime.date | None]:
    """The dates a rule set prices: from its first day to the day before the next set."""
    following = (
        PointsRuleSet.objects.filter(valid_from__gt=rule_set.valid_from)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    return rule_set.valid_from, following


@dataclass
class KindLine:
    kind: str
    label: str
    count: int = 0
    points: Decimal = Decimal("0")
    cap: Decimal | None = None

    @property
    def capped(self) -> Decimal:
        return min(self.points, self.cap) if self.cap is not None else self.points

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.points > self.cap


@dataclass
class YearSummary:
    year: int
    lines: list[KindLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.capped for line in self.lines), Decimal("0"))

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


def year_summary(*, representative: Representative, year: int) -> YearSummary:
    """Counts and points by kind in a year, capped (one query for the records, one for the caps)."""
    rows = {
        row["kind"]: row
        for row in PerformanceRecord.objects.filter(counted_q(), representative=representative, date__year=year)
        .values("kind")
        .annotate(n=Count("pk"), points=Sum("points"))
    }
    caps = yearly_caps(year)
    summary = YearSummary(year=year)
    for kind, label in PerformanceKind.choices:
        row = rows.get(kind, {})
        summary.lines.append(
            KindLine(kind=kind, label=str(label), count=row.get("n", 0), points=row.get("points") or 0, cap=caps[kind])
        )
    return summary


# --- The quarterly duty rule ---------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - datetime.timedelta(days=1)


def _quarter_duties_q(year: int, quarter: int, prefix: str = "") -> Q:
    first, last = quarter_dates(year, quarter)
    return counted_q(prefix) & Q(
        **{f"{prefix}kind__in": QUARTERLY_DUTY_KINDS, f"{prefix}date__gte": first, f"{prefix}date__lte": last}
    )


def quarter_duty_count(*, representative: Representative, year: int, quarter: int) -> int:
    return PerformanceRecord.objects.filter(_quarter_duties_q(year, quarter), representative=representative).count()


def duty_shortfall(*, year: int, quarter: int) -> QuerySet[Representative]:
    """Serving representatives (on the roster before the quarter ended) with fewer than
    MIN_DUTIES_PER_QUARTER duties in the quarter, annotated with `duties`."""
    _first, last = quarter_dates(year, quarter)
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return (
        Representative.objects.filter(status=Representative.Status.SERVING, created_at__lt=end)
        .annotate(duties=Count("performance_records", filter=_quarter_duties_q(year, quarter, "performance_records__")))
        .filter(duties__lt=MIN_DUTIES_PER_QUARTER)
        .select_related("home_station")
        .order_by("home_station__path", "name", "pk")
    )


@dataclass
class StillExpected:
    year: int
    quarter: int
    done: int
    needed: int

    @property
    def missing(self) -> int:
        return max(self.needed - self.done, 0)


def still_expected(*, representative: Representative, today: datetime.date | None = None) -> StillExpected:
    year, quarter = quarter_of(today or timezone.localdate())
    done = quarter_duty_count(representative=representative, year=year, quarter=quarter)
    return StillExpected(year=year, quarter=quarter, done=done, needed=MIN_DUTIES_PER_QUARTER)


# --- Lists -----------------------------------------------------------------------------------


def performance_records_list(*, user, year: int | None = None, kind: str = "", representative_id: int | None = None):
    qs = access.performance_records_visible(user).select_related(
        "representative__home_station", "source_type", "created_by", "verified_by"
    )
    if year:
        qs = qs.filter(date__year=year)
    if kind in PerformanceKind.values:
        qs = qs.filter(kind=kind)
    if representative_id:
        qs = qs.filter(representative_id=representative_id)
    return qs.order_by("-date", "-pk")


def records_of(*, representative: Representative, year: int) -> QuerySet[PerformanceRecord]:
    """A representative's records of a year, oldest first (the handbook, "My record")."""
    return (
        PerformanceRecord.objects.filter(representative=representative, date__year=year)
        .select_related("verified_by")
        .order_by("date", "pk")
    )


@dataclass
class Upcoming:
    when: datetime.date
    title: str
    place: str
    url: str


def upcoming_duties(*, representative: Representative, limit: int = 10) -> list[Upcoming]:
    """The representative's coming activities and reception duties (not declined), soonest first:
    two queries."""
    from django.urls import reverse

    from liaison.models import Activity, ActivityInvitation
    from voters.models import DutyAssignment, ReceptionDay

    now = timezone.now()
    items = [
        Upcoming(
            when=timezone.localdate(inv.activity.starts_at),
            title=inv.activity.title,
            place=inv.activity.station.name,
            url=reverse("activities:check_in", args=[inv.activity_id]),
        )
        for inv in ActivityInvitation.objects.filter(representative=representative, activity__starts_at__gte=now)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .select_related("activity__station")
        .order_by("activity__starts_at")[:limit]
    ]
    items += [
        Upcoming(
            when=duty.day.date,
            title=str(_("Reception day")) + (f"：{duty.day.theme}" if duty.day.theme else ""),
            place=duty.day.station.name,
            url=reverse("voters:reception_detail", args=[duty.day_id]),
        )
        for duty in DutyAssignment.objects.filter(
            representative=representative, day__date__gte=timezone.localdate(), day__status=ReceptionDay.Status.PLANNED
        )
        .exclude(status=DutyAssignment.Status.DECLINED)
        .select_related("day__station")
        .order_by("day__date")[:limit]
    ]
    return sorted(items, key=lambda item: item.when)[:limit]
