"""Reports on the mobile register: the mobility report (流动代表统计)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone

from liaison import access
from representatives.models import (
    Representative,
)
from representatives.selectors.refresh import percent


@dataclass
class MobilityRow:
    level: str
    level_label: str
    township: str
    township_id: int | None
    total: int = 0
    in_county_town: int = 0
    mobile: int = 0

    @property
    def county_town_percent(self) -> Decimal:
        return percent(self.in_county_town, self.total)

    @property
    def mobile_percent(self) -> Decimal:
        return percent(self.mobile, self.total)

    def add(self, other: MobilityRow) -> None:
        self.total += other.total
        self.in_county_town += other.in_county_town
        self.mobile += other.mobile


@dataclass
class MobilitySection:
    level: str
    label: str
    rows: list[MobilityRow] = field(default_factory=list)
    subtotal: MobilityRow | None = None


def mobility_report_terms(*, user) -> list[str]:
    return list(access.representatives_changeable(user).order_by("term").values_list("term", flat=True).distinct())


def mobility_report(*, user, term: str = "") -> dict:
    """Serving representatives per level and per township of their electoral district: how many,
    how many live in the county town (and the share), how many are mobile. One grouped query;
    subtotals and the total add up the grouped rows."""
    qs = access.representatives_changeable(user).filter(status=Representative.Status.SERVING)
    if term:
        qs = qs.filter(term=term)
    grouped = (
        qs.values("level", "district_township", "district_township__name", "district_township__path")
        .annotate(
            total=Count("pk"),
            in_county_town=Count("pk", filter=Q(lives_in_county_town=True)),
            mobile=Count("pk", filter=Q(is_mobile=True)),
        )
        .order_by("level", "district_township__path")
    )
    labels = dict(Representative.Level.choices)
    sections = {
        level: MobilitySection(
            level=level,
            label=labels[level],
            subtotal=MobilityRow(level=level, level_label=labels[level], township="", township_id=None),
        )
        for level in Representative.Level.values
    }
    total = MobilityRow(level="", level_label="", township="", township_id=None)
    for values in grouped:
        row = MobilityRow(
            level=values["level"],
            level_label=labels[values["level"]],
            township=values["district_township__name"],
            township_id=values["district_township"],
            total=values["total"],
            in_county_town=values["in_county_town"],
            mobile=values["mobile"],
        )
        section = sections[row.level]
        section.rows.append(row)
        section.subtotal.add(row)
        total.add(row)
    return {"sections": list(sections.values()), "total": total, "as_of": timezone.localdate()}
