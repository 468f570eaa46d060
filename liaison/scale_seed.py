"""Realistic data at scale, for the benchmark and for trying the site at a province's size.

`manage.py seed_scale --profile small|county|province` fills an EMPTY database:

| profile  | tree                                   | counties | stations | representatives |
|----------|----------------------------------------|---------:|---------:|----------------:|
| small    | province > city > 2 counties           |        2 |      ~14 |             ~60 |
| county   | one county as the root (like the demo) |        1 |      ~50 |           1,500 |
| province | province > 11 cities > 100 counties    |      100 |   10,000 |         150,000 |

Each county: the county general station at the county; twelve township-level places (ten
townships, two subdistricts, the first of them the county town) with one liaison station each,
plus a county-town station; villages and communities under them, some with a liaison point.
Representatives: one in five a county representative; most live in their own township, about one
in ten moved to the county town and one in twenty to another township (mobile, with a register
entry hosted by the station of the place they live in now).

Rows are written with batched `bulk_create` and explicit primary keys (so that materialised paths
are computed before the insert, exactly as `TreePathMixin.compute_path` computes them; the
sequences are reset afterwards). Derived fields come from the project's own helpers: pinyin
initials and mobility from `representatives.services.roster`, the township of a place from
`Division.township_id()`, the register entry's host as `register.host_station_for` chooses it.
No history records are written for seeded rows (the history card of a seeded record is empty).

It grows with each app: a step is a function `step(seeder)` registered with `@seed_step(order)`;
voters, reception days, suggestions and performance records add theirs in their own module (and
import it in `load_steps`) with their counts in `PROFILES[...]`.
"""

from __future__ import annotations

import datetime
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction

from liaison.models import Division, RoleGrant, Station

BATCH = 5000


@dataclass(frozen=True)
class Profile:
    name: str
    cities: int  # 0: the county is the root (a one-county instance)
    counties: int
    townships_per_county: int  # township-level places, incl. two subdistricts
    villages_per_township: int
    points_per_county: int
    representatives_per_county: int
    extra: dict = field(default_factory=dict)  # counts for the steps of later apps


PROFILES = {
    "small": Profile("small", cities=1, counties=2, townships_per_county=3, villages_per_township=2,
                     points_per_county=2, representatives_per_county=30),
    "county": Profile("county", cities=0, counties=1, townships_per_county=12, villages_per_township=15,
                      points_per_county=36, representatives_per_county=1500),
    "province": Profile("province", cities=11, counties=100, townships_per_county=12, villages_per_township=15,
                        points_per_county=86, representatives_per_county=1500),
}  # fmt: skip

# Users the benchmark signs in as (sessions are made for them programmatically).
BENCH_USERS = {
    "wide": "scale-wide",  # county staff on the root: the whole instance
    "county": "scale-county",  # county staff on the first county
    "officer": "scale-officer",  # officer of the first township station of the first county
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志新海波宁晓东亮云春"
    "梅林斌宇浩凯鹏飞文辉力俊峰琳雪佳慧颖倩婷欣悦"
)
SPECIALTIES = ["农业", "法律", "教育", "医疗卫生", "工商管理", "财会", "建筑", "环境保护", "文化旅游", "社会工作"]
TERM = "第十八届"


@dataclass
class StepResult:
    name: str
    rows: int
    seconds: float
    peak_rss_mb: float


_STEPS: list[tuple[int, str, Callable]] = []


def seed_step(order: int):
    """Register a step of the generator; steps run by `order` (apps add theirs: 100, 200...)."""

    def decorate(fn):
        _STEPS.append((order, fn.__name__, fn))
        return fn

    return decorate


def load_steps() -> list[tuple[int, str, Callable]]:
    """The registered steps, in order. A new app's generator module is imported here."""
    import representatives.scale_seed  # noqa: F401  (registers its steps)
    import suggestions.scale_seed  # noqa: F401  (registers its steps)

    return sorted(set(_STEPS), key=lambda step: step[0])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Ids:
    """Explicit primary keys from max(id) + 1, so paths are known before the insert."""

    def __init__(self, model):
        from django.db.models import Max

        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def bulk(model, rows: list) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])


def reset_sequences(*models) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


class Seeder:
    """Holds what the steps share (the profile, a seeded random, the places made so far)."""

    def __init__(self, profile: Profile, *, seed: int = 20261125, log=print):
        self.profile = profile
        self.random = random.Random(seed)
        self.log = log
        self.results: list[StepResult] = []
        # Filled by the steps:
        self.root: Division | None = None
        self.counties: list[Division] = []
        self.townships: dict[int, list[Division]] = {}  # county pk -> township-level places
        self.villages: dict[int, list[Division]] = {}  # township pk -> villages and communities
        self.township_station: dict[int, Station] = {}  # township pk -> its liaison station
        self.points: dict[int, list[Station]] = {}  # township pk -> points in it
        self.general: dict[int, Station] = {}  # county pk -> general station
        self.town_station: dict[int, Station] = {}  # county pk -> county-town station

    def name(self) -> str:
        r = self.random
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return r.choice(SURNAMES) + given

    def run(self) -> list[StepResult]:
        if Division.objects.exists() or Station.objects.exists():
            raise RuntimeError("seed_scale fills an empty database: this one already has divisions or stations.")
        for _order, name, step in load_steps():
            started = time.perf_counter()
            with transaction.atomic():
                rows = step(self) or 0
            result = StepResult(name, rows, time.perf_counter() - started, peak_rss_mb())
            self.results.append(result)
            self.log(f"{name}: {rows} rows in {result.seconds:.1f} s (peak RSS {result.peak_rss_mb:.0f} MB)")
        return self.results


def _division(ids: Ids, *, name, kind, parent, is_county_town=False, code="") -> Division:
    division = Division(
        pk=ids.take(), name=name, kind=kind, parent=parent, code=code,
        is_county_town=is_county_town or bool(parent and parent.is_county_town),
    )  # fmt: skip
    division.path, division.depth = division.compute_path()
    return division


def _station(ids: Ids, *, name, kind, division, parent, slug, in_county_town=False) -> Station:
    station = Station(
        pk=ids.take(), name=name, kind=kind, division=division, parent=parent, slug=slug,
        in_county_town=in_county_town, address=f"{division.name}人大代表联络站", opening_hours="周一至周五 9:00-17:00",
    )  # fmt: skip
    station.path, station.depth = station.compute_path()
    return station


@seed_step(10)
def divisions(seeder: Seeder) -> int:
    p = seeder.profile
    ids = Ids(Division)
    rows: list[Division] = []

    def add(**kwargs) -> Division:
        division = _division(ids, **kwargs)
        rows.append(division)
        return division

    if p.cities:
        root = add(name="测试省", kind=Division.Kind.PROVINCE, parent=None)
        cities = [add(name=f"第{i + 1}市", kind=Division.Kind.CITY, parent=root) for i in range(p.cities)]
        parents: list[Division | None] = [cities[i % len(cities)] for i in range(p.counties)]
    else:
        root = None
        parents = [None]
    for c, parent in enumerate(parents):
        county = add(name=f"第{c + 1}县", kind=Division.Kind.COUNTY, parent=parent)
        root = root or county
        seeder.counties.append(county)
        townships = []
        for t in range(p.townships_per_county):
            if t == 0:
                kind, label, town = Division.Kind.SUBDISTRICT, "城关街道", True
            elif t == 1:
                kind, label, town = Division.Kind.SUBDISTRICT, "城西街道", False
            else:
                kind, label, town = Division.Kind.TOWNSHIP, f"第{t - 1}镇", False
            township = add(name=label, kind=kind, parent=county, is_county_town=town)
            townships.append(township)
            grassroots = Division.Kind.COMMUNITY if kind == Division.Kind.SUBDISTRICT else Division.Kind.VILLAGE
            suffix = "社区" if grassroots == Division.Kind.COMMUNITY else "村"
            seeder.villages[township.pk] = [
                add(name=f"{label[:2]}{v + 1}{suffix}", kind=grassroots, parent=township)
                for v in range(p.villages_per_township)
            ]
        seeder.townships[county.pk] = townships
    seeder.root = root
    bulk(Division, rows)
    reset_sequences(Division)
    return len(rows)


@seed_step(20)
def stations(seeder: Seeder) -> int:
    p = seeder.profile
    ids = Ids(Station)
    rows: list[Station] = []
    for c, county in enumerate(seeder.counties):
        general = _station(ids, name=f"{county.name}人大代表联络总站", kind=Station.Kind.GENERAL, division=county,
                           parent=None, slug=f"c{c}")  # fmt: skip
        rows.append(general)
        seeder.general[county.pk] = general
        townships = seeder.townships[county.pk]
        for t, township in enumerate(townships):
            station = _station(ids, name=f"{county.name}{township.name}联络站", kind=Station.Kind.STATION,
                               division=township, parent=general, slug=f"c{c}-t{t}")  # fmt: skip
            rows.append(station)
            seeder.township_station[township.pk] = station
            seeder.points[township.pk] = []
        # The county town's second station, for those who moved there (under the first township's).
        host_township = townships[-1]
        town = _station(ids, name=f"{county.name}{host_township.name}城区联络站", kind=Station.Kind.STATION,
                        division=host_township, parent=seeder.township_station[host_township.pk],
                        slug=f"c{c}-town", in_county_town=True)  # fmt: skip
        rows.append(town)
        seeder.town_station[county.pk] = town
        for i in range(p.points_per_county):
            township = townships[i % len(townships)]
            village = seeder.villages[township.pk][(i // len(townships)) % p.villages_per_township]
            point = _station(ids, name=f"{county.name}{village.name}联络点", kind=Station.Kind.POINT,
                             division=village, parent=seeder.township_station[township.pk],
                             slug=f"c{c}-p{i}")  # fmt: skip
            rows.append(point)
            seeder.points[township.pk].append(point)
    bulk(Station, rows)
    reset_sequences(Station)
    return len(rows)


@seed_step(30)
def users(seeder: Seeder) -> int:
    """The benchmark's users: one who sees everything, one county's staff, one station officer."""
    User = get_user_model()
    county = seeder.counties[0]
    first_station = seeder.township_station[seeder.townships[county.pk][2].pk]
    made = {}
    for key, username in BENCH_USERS.items():
        user = User(username=username, full_name=username)
        user.set_unusable_password()
        user.save()
        made[key] = user
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=made["wide"], role=RoleGrant.Role.COUNTY_STAFF, division=seeder.root),
            RoleGrant(user=made["county"], role=RoleGrant.Role.COUNTY_STAFF, division=county),
            RoleGrant(user=made["officer"], role=RoleGrant.Role.STATION_OFFICER, station=first_station),
        ]
    )
    return len(made)


def summary(results: list[StepResult]) -> str:
    total = sum(r.seconds for r in results)
    lines = [f"{'step':<24}{'rows':>10}{'seconds':>10}{'peak RSS MB':>14}"]
    lines += [f"{r.name:<24}{r.rows:>10}{r.seconds:>10.1f}{r.peak_rss_mb:>14.0f}" for r in results]
    lines.append(f"{'total':<24}{sum(r.rows for r in results):>10}{total:>10.1f}{peak_rss_mb():>14.0f}")
    return "\n".join(lines)


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
