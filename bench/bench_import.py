"""Benchmark of the roster import: a realistic 5,000-row file, parsed, validated and applied.

Run through `make bench` (scripts/bench.sh starts a throwaway PostgreSQL and Redis), or by hand
against an empty database:

    DJANGO_SETTINGS_MODULE=liaison.settings.test DATABASE_URL=... REDIS_URL=... \
        .venv/bin/python bench/bench_import.py --rows 5000

It measures, each step on its own:
- parse + validate: `imports.import_upload` (read the .xlsx, check every row, stage the batch),
  the step behind the upload form and the preview;
- apply: `tasks.import_apply` called in-process (what the Celery worker runs), all rows in one
  transaction through the roster services;
- export: `exports.roster_workbook` of the whole roster, and re-importing that export (all rows
  unchanged, so the apply writes nothing);
- an edited re-import where one row in ten changed.
Time is wall-clock (time.perf_counter); memory is the Python heap peak under tracemalloc (a
separate pass, since tracing slows the code down) and the process's peak RSS (getrusage).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import random
import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

import django

django.setup()
logging.disable(logging.INFO)  # the services log every station and import; keep the report readable

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from liaison import services as network_services  # noqa: E402
from liaison.models import Division, RoleGrant, Station, User  # noqa: E402
from representatives import tasks  # noqa: E402
from representatives.models import ImportBatch, Representative  # noqa: E402
from representatives.services import exports, import_format, import_rows, imports  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红梅玉兰海燕春林文斌宇浩晨鑫婷雪琴云飞德胜永福晓东"
SPECIALTIES = [
    "农业",
    "法律",
    "教育",
    "医疗卫生",
    "经济",
    "乡村旅游",
    "生态环保",
    "社会治理",
    "文化",
    "科技",
    "建筑",
    "金融",
]
OCCUPATIONS = [
    "村党支部书记",
    "村委会主任",
    "小学教师",
    "乡镇卫生院医生",
    "个体工商户",
    "合作社理事长",
    "企业职工",
    "民宿经营者",
]
TOWNSHIPS = ["紧水滩镇", "石塘镇", "崇头镇", "雾溪畲族乡", "赤石乡", "安溪畲族乡"]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(label: str, results: dict, *, trace: bool = False):
    """Time (and optionally trace) a step; record seconds, queries and heap peak under `label`."""
    counter = QueryCounter()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield
    elapsed = time.perf_counter() - start
    entry = results.setdefault(label, {})
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        entry["heap_peak_mb"] = peak / 1024 / 1024
    else:
        entry["seconds"] = elapsed
        entry["queries"] = counter.count
        entry["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_county():
    """Six townships plus the county-town subdistrict, their stations, villages and points."""
    admin = User.objects.create_superuser("bench-admin", password="bench-pass-123")
    county = network_services.division_create(name="云和县", kind=Division.Kind.COUNTY)
    town = network_services.division_create(
        name="浮云街道", kind=Division.Kind.SUBDISTRICT, parent=county, is_county_town=True
    )
    general = network_services.station_create(
        actor=admin, name="县人大代表联络总站", kind="general", division=county, slug="county"
    )
    places = []
    stations = []
    for t, name in enumerate([*TOWNSHIPS, town.name]):
        township = (
            town
            if name == town.name
            else network_services.division_create(name=name, kind=Division.Kind.TOWNSHIP, parent=county)
        )
        station = network_services.station_create(
            actor=admin, name=f"{name}人大代表联络站", kind="station", division=township, parent=general, slug=f"s{t}"
        )
        stations.append(station)
        places.append(township)
        kind = Division.Kind.COMMUNITY if township == town else Division.Kind.VILLAGE
        for v in range(12):
            # Village names repeat across townships ("新村", "中心村"), as they do in real counties.
            suffix = "社区" if kind == Division.Kind.COMMUNITY else "村"
            village_name = ["新村", "中心村", "大坪村", "下村"][v] if v < 4 else f"{name[:2]}{v}{suffix}"
            village = network_services.division_create(name=village_name, kind=kind, parent=township)
            places.append(village)
            if v < 4:
                stations.append(
                    network_services.station_create(
                        actor=admin,
                        name=f"{name[:2]}{village_name}联络点",
                        kind="point",
                        division=village,
                        parent=station,
                        slug=f"s{t}-{v}",
                    )
                )
    staff = User.objects.create_user("bench-county", password="bench-pass-123")
    RoleGrant.objects.create(user=staff, role=RoleGrant.Role.COUNTY_STAFF, division=county)
    # Also the officer of the general station (above every station): reads phones in full, so the
    # export it re-imports carries them (county staff alone get masked numbers, access.sees_full_phones).
    RoleGrant.objects.create(user=staff, role=RoleGrant.Role.STATION_OFFICER, station=general)
    return staff, stations, places


def generate_rows(count: int, stations: list[Station], places: list[Division], seed: int = 3) -> list[list[str]]:
    """Realistic rows: names, phones, both levels, a third living in the county town."""
    rng = random.Random(seed)
    known = import_rows.Places(actor=User.objects.get(username="bench-county"))
    labels = {p.pk: known.division_label(p) for p in places}
    township_stations = [s for s in stations if s.division.township_id() and not s.division.is_county_town]
    town_places = [p for p in places if p.is_county_town]
    rows = []
    for i in range(count):
        station = rng.choice(township_stations)
        own_places = [p for p in places if p.township_id() == station.division.township_id()]
        residence = rng.choice(town_places) if rng.random() < 0.35 else rng.choice(own_places)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        phone = f"1{rng.choice('3578')}{i:09d}"
        if rng.random() < 0.1:  # some typed with full-width digits, as copied from documents
            phone = phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        rows.append(
            [
                name,
                rng.choice("男女"),
                "畲族" if rng.random() < 0.1 else "汉族",
                str(rng.randint(1955, 1995)),
                phone,
                "县" if rng.random() < 0.2 else "乡镇",
                "第十八届",
                f"第{rng.randint(1, 40)}选区",
                station.name,
                labels[residence.pk],
                f"{residence.name}{rng.randint(1, 200)}号",
                rng.choice(OCCUPATIONS),
                "、".join(rng.sample(SPECIALTIES, rng.randint(0, 3))),
            ]
        )
    return rows


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(import_format.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(label: str, actor, name: str, data: bytes, results: dict) -> ImportBatch:
    with measured(f"{label}: parse + validate", results, trace=True):
        traced = imports.import_upload(actor=actor, name=name, data=data)
    traced.delete()
    with measured(f"{label}: parse + validate", results):
        batch = imports.import_upload(actor=actor, name=name, data=data)
    results[f"{label}: parse + validate"]["counts"] = batch.counts
    if batch.status == ImportBatch.Status.INVALID:
        raise SystemExit(f"{label}: unexpected errors: {[r for r in batch.report if r['errors']][:3]}")
    if batch.status == ImportBatch.Status.READY:
        imports.import_confirm(actor=actor, batch=batch)
        with measured(f"{label}: apply (task)", results):
            tasks.import_apply(batch.pk)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE, batch.message
    return batch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Representative.objects.exists() or Station.objects.exists():
        raise SystemExit("The benchmark needs an empty database (scripts/bench.sh makes one).")
    actor, stations, places = build_county()
    rows = generate_rows(args.rows, stations, places)
    data = xlsx(rows)
    results: dict = {}

    run_import("1. new roster", actor, "roster.xlsx", data, results)
    assert Representative.objects.count() == args.rows

    with measured("2. export whole roster", results):
        exported = exports.roster_workbook(actor=actor, representatives=Representative.objects.order_by("pk"))
    with measured("2. export whole roster", results, trace=True):
        exports.roster_workbook(actor=actor, representatives=Representative.objects.order_by("pk"))
    batch = run_import("3. re-import of the export", actor, "export.xlsx", exported, results)
    assert batch.counts["unchanged"] == args.rows, batch.counts

    sheet = load_workbook(io.BytesIO(exported), read_only=True).worksheets[0]
    edited = [list(values) for values in sheet.iter_rows(min_row=2, values_only=True)]
    for i, values in enumerate(edited):
        if i % 10 == 0:
            values[11] = "县人大常委会委员"
    batch = run_import("4. re-import, 1 row in 10 changed", actor, "edited.xlsx", xlsx(edited), results)
    assert batch.counts["update"] == len(range(0, args.rows, 10)), batch.counts

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nRoster import benchmark: {args.rows} rows, file {len(data) / 1024:.0f} KB")
    print(f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}, {platform.machine()}")
    print()
    print("| step | seconds | rows/s | queries | heap peak (MB) | process peak RSS after (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, entry in results.items():
        seconds = entry.get("seconds", 0)
        heap = f"{entry['heap_peak_mb']:.1f}" if "heap_peak_mb" in entry else "–"
        print(
            f"| {label} | {seconds:.2f} | {args.rows / seconds if seconds else 0:.0f} | {entry.get('queries', 0)} "
            f"| {heap} | {entry.get('rss_mb', 0):.0f} |"
        )
    print(f"\nprocess peak RSS (whole run): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
