"""Reports on the mobile register: the mobility report (流动代表统计)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone

from liaison import access
from liaison.models import Division
from representatives.models import (
    Representative,
)
from representatives.selectors.refresh import percent
from representatives.selectors.roster import terms_in_use


@dataclass
class MobilityRow:
    level: str
    level_label: str
    township: str
    township_id: int | None
    county_id: int | None = None  # a county's row (several counties): opens its townships
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
    return terms_in_use(user=user, changeable=True)


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _cache_key(grouped) -> str:
    sql, params = grouped.query.sql_with_params()
    return "mobility-report:v1:" + hashlib.sha1(repr((sql, params)).encode()).hexdigest()


def mobility_report(*, user, term: str = "", county_id: int | None = None, fresh: bool = False) -> dict:
    """Serving representatives per level and per township of their electoral district: how many,
    how many live in the county town (and the share), how many are mobile.

    The representatives are grouped by (level, township id) alone, then the names and paths of
    those townships are read (grouping first and joining after keeps the join to a few hundred rows
    instead of every representative: 62 ms instead of 195 at province scale). When the user's
    townships lie in several counties, the rows are those counties (a province: 100 rows a level,
    not 1,200), each opening its townships (`county_id`). Subtotals and the total add up the rows.
    Three queries (none when the report comes from the cache).
    """
    qs = access.representatives_changeable(user).filter(status=Representative.Status.SERVING)
    if term:
        qs = qs.filter(term=term)
    if county_id:
        qs = qs.filter(district_township__path__contains=f"/{county_id}/")
    grouped = (
        qs.values("level", "district_township")
        .annotate(
            total=Count("pk"),
            in_county_town=Count("pk", filter=Q(lives_in_county_town=True)),
            mobile=Count("pk", filter=Q(is_mobile=True)),
        )
        .order_by()
    )
    # A report over several counties (a city, a province: a full aggregate of up to 150,000
    # representatives, 50-100 ms) is kept for MOBILITY_REPORT_CACHE_SECONDS, keyed by its exact
    # SQL (the user's scope, the term, the county); the page says when it was counted and offers
    # a recount (`fresh`). A report over one county is always counted afresh.
    seconds = getattr(settings, "MOBILITY_REPORT_CACHE_SECONDS", 0)
    cache_key = _cache_key(grouped) if seconds and county_id is None else None
    hit = cache.get(cache_key) if cache_key and not fresh else None
    if hit is not None:
        counts, townships, counties, counted_at = hit["counts"], hit["townships"], hit["counties"], hit["at"]
    else:
        counts, counted_at = list(grouped), timezone.now()
        townships = {
            row["pk"]: row
            for row in Division.objects.filter(pk__in={c["district_township"] for c in counts}).values(
                "pk", "name", "path"
            )
        }
        # The county of each township, found by kind among the divisions above it (any depth).
        counties = {
            row["pk"]: row
            for row in Division.objects.filter(
                pk__in={i for row in townships.values() for i in _path_ids(row["path"])}, kind=Division.Kind.COUNTY
            ).values("pk", "name", "path")
        }
    above = {pk: _path_ids(row["path"]) for pk, row in townships.items()}
    county_of = {pk: next((counties[i] for i in ids if i in counties), None) for pk, ids in above.items()}
    by_county = county_id is None and len({c["pk"] for c in county_of.values() if c}) > 1
    if cache_key and hit is None and by_county:
        kept = {"counts": counts, "townships": townships, "counties": counties, "at": counted_at}
        cache.set(cache_key, kept, seconds)
    no_place = {"pk": None, "name": None, "path": "\uffff"}  # after every path, as NULLS LAST sorted them
    rows: dict[tuple, dict] = {}
    for values in counts:
        place = townships.get(values["district_township"], no_place)
        if by_county:
            place = county_of.get(values["district_township"]) or place
        key = (values["level"], place["pk"])
        row = rows.setdefault(
            key, {"level": values["level"], "place": place, "total": 0, "in_county_town": 0, "mobile": 0}
        )
        for name in ("total", "in_county_town", "mobile"):
            row[name] += values[name]
    grouped = sorted(rows.values(), key=lambda row: (row["level"], row["place"]["path"]))
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
            township=values["place"]["name"],
            township_id=None if by_county else values["place"]["pk"],
            county_id=values["place"]["pk"] if by_county else None,
            total=values["total"],
            in_county_town=values["in_county_town"],
            mobile=values["mobile"],
        )
        section = sections[row.level]
        section.rows.append(row)
        section.subtotal.add(row)
        total.add(row)
    county = next((c for c in county_of.values() if c and c["pk"] == county_id), None) if county_id else None
    return {
        "sections": list(sections.values()),
        "total": total,
        "as_of": timezone.localtime(counted_at),
        # Minutes between recounts when this report is kept (several counties), else 0.
        "recount_minutes": max(seconds // 60, 1) if cache_key and by_county else 0,
        "from_cache": hit is not None,
        "by_county": by_county,
        "county": county,
    }
