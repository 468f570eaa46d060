"""Benchmark of the annual evaluation at a province's scale: 100 counties of 10 townships (1,100
congresses), 150,000 representatives, 20 performance records each in the year (3,000,000 rows;
the proposal records carry a handling result and a rating, as the suggestions services write
them) and a report-back for one in five.

Run through `make bench-evaluation` (scripts/bench.sh starts a throwaway PostgreSQL), or by hand
against an empty database:

    DJANGO_SETTINGS_MODULE=liaison.settings.test DATABASE_URL=... \
        .venv/bin/python bench/bench_evaluation.py --representatives 150000 --records 20

The data is generated in the database (generate_series), not through the services: the benchmark
is of the evaluation, not of writing records. It measures `annual_evaluation_compute` for every
congress (what the January job runs), then again (a recompute replaces the drafts), and once for
one county's congress (what a click on "compute the draft" costs). Time is wall-clock; memory is
the Python heap peak under tracemalloc and the process's peak RSS (getrusage): both stay flat
because no representative's row comes into Python.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

import django

django.setup()
logging.disable(logging.INFO)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402

from liaison.models import Division, Station  # noqa: E402
from representatives.models import (  # noqa: E402
    AnnualEvaluation,
    EvaluationEntry,
    PerformanceKind,
    PerformanceRecord,
    ReportBack,
    Representative,
)
from representatives.services.evaluation import annual_evaluation_compute  # noqa: E402

YEAR = 2025


def build(*, counties: int, townships: int, representatives: int, records: int) -> None:
    """Divisions by bulk insert (paths written directly), representatives, records, report-backs by SQL."""
    province = Division.objects.create(name="某省", kind=Division.Kind.PROVINCE, path="")
    province.path = f"/{province.pk}/"
    province.save(update_fields=["path"])
    county_rows = Division.objects.bulk_create(
        [Division(name=f"第{i}县", kind=Division.Kind.COUNTY, parent=province, path="") for i in range(counties)]
    )
    for county in county_rows:
        county.path = f"{province.path}{county.pk}/"
    Division.objects.bulk_update(county_rows, ["path"])
    town_rows = Division.objects.bulk_create(
        [
            Division(name=f"{c.name}第{j}镇", kind=Division.Kind.TOWNSHIP, parent=c, path="")
            for c in county_rows
            for j in range(townships)
        ]
    )
    for town in town_rows:
        town.path = f"{province.path}{town.parent_id}/{town.pk}/"
    Division.objects.bulk_update(town_rows, ["path"], batch_size=2000)
    station = Station.objects.create(name="总站", kind=Station.Kind.GENERAL, division=province, slug="p", path="")
    station.path = f"/{station.pk}/"
    station.save(update_fields=["path"])
    congress_ids = [d.pk for d in county_rows] + [d.pk for d in town_rows]
    kinds = list(PerformanceKind.values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Representative._meta.db_table} (name, name_initials, gender, ethnicity, phone, level,
                congress_id, term, electoral_district, district_township_id, home_station_id,
                residence_division_id, residence_address, occupation, status, status_reason, is_mobile,
                lives_in_county_town, created_at, updated_at)
            SELECT '代表' || g, 'db', 'male', '汉族', '', 'township',
                   (%(congresses)s::bigint[])[1 + g %% %(n)s], '第十八届', '选区', %(town)s, %(station)s,
                   %(town)s, '', '', 'serving', '', false, false, now(), now()
            FROM generate_series(1, %(reps)s) g
            """,
            {"congresses": congress_ids, "n": len(congress_ids), "town": town_rows[0].pk, "station": station.pk,
             "reps": representatives},
        )  # fmt: skip
        # A proposal's records carry how it was handled and rated (the evaluation counts those of
        # the proposals filed): of six, one still unanswered, the others A, A, B, C, D; of the
        # answered, four in five rated (satisfied twice as often as partly or unsatisfied).
        cursor.execute(
            f"""
            INSERT INTO {PerformanceRecord._meta.db_table} (representative_id, date, kind, points, note, evidence,
                created_at, verified_at, outcome_result, outcome_satisfaction)
            SELECT rid, day, kind, points, '', '', now(), now(), result,
                   CASE WHEN result = '' THEN ''
                        ELSE (ARRAY['', 'satisfied', 'satisfied', 'partly', 'unsatisfied'])[1 + (rid * 3 + k) %% 5] END
            FROM (
                SELECT rid, k, day, kind, points,
                       CASE WHEN kind IN ('proposal_filed', 'proposal_cosigned')
                            THEN (ARRAY['', 'A', 'A', 'B', 'C', 'D'])[1 + (rid + k * 5) %% 6] ELSE '' END AS result
                FROM (
                    SELECT r.id AS rid, k, DATE '{YEAR}-01-01' + ((r.id * 7 + k * 13) %% 365)::int AS day,
                           (%(kinds)s::text[])[1 + (r.id + k) %% %(nk)s] AS kind, 1 + (k %% 4) AS points
                    FROM {Representative._meta.db_table} r, generate_series(1, %(records)s) k
                ) g
            ) s
            """,
            {"kinds": kinds, "nk": len(kinds), "records": records},
        )
        cursor.execute(
            f"""
            INSERT INTO {ReportBack._meta.db_table} (representative_id, term, year, status, held_on, place, attendees,
                rated_satisfied, rated_partly, rated_unsatisfied, summary, created_at, updated_at)
            SELECT r.id, '第十八届', {YEAR}, 'held', DATE '{YEAR}-06-01', '', 40, 30 + r.id %% 8, 8 - r.id %% 8, 2,
                   '', now(), now()
            FROM {Representative._meta.db_table} r WHERE r.id %% 5 = 0
            """,
            {},
        )
        cursor.execute("ANALYZE")


def measure(label: str, fn) -> dict:
    tracemalloc.start()
    start = time.perf_counter()
    with transaction.atomic():
        result = fn()
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = {"label": label, "seconds": seconds, "heap_mb": peak / 2**20, "result": result}
    print(f"  {label:<44} {seconds:7.2f} s   heap peak {row['heap_mb']:6.1f} MB   ({result})")
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--townships", type=int, default=10)
    parser.add_argument("--representatives", type=int, default=150_000)
    parser.add_argument("--records", type=int, default=20, help="records per representative in the year")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"== building {args.representatives:,} representatives x {args.records} records ...")
    start = time.perf_counter()
    build(counties=args.counties, townships=args.townships, representatives=args.representatives, records=args.records)
    print(f"   built in {time.perf_counter() - start:.1f} s: {PerformanceRecord.objects.count():,} records")
    one_county = Representative.objects.values_list("congress_id", flat=True).first()
    rows = [
        measure("every congress (the January job)", lambda: annual_evaluation_compute(year=YEAR)),
        measure("every congress again (drafts replaced)", lambda: annual_evaluation_compute(year=YEAR)),
        measure("one congress", lambda: annual_evaluation_compute(year=YEAR, congress_ids=[one_county])),
    ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    proposals = EvaluationEntry.objects.aggregate(answered=Sum("proposals_answered"), rated=Sum("proposals_satisfied"))
    print(
        f"== {AnnualEvaluation.objects.count():,} evaluations, {EvaluationEntry.objects.count():,} entries "
        f"({proposals['answered']:,} proposals answered, {proposals['rated']:,} rated satisfied); "
        f"process peak RSS {rss:.0f} MB; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    print("| step | seconds | Python heap peak |")
    print("|---|---:|---:|")
    for row in rows:
        print(f"| {row['label']} | {row['seconds']:.2f} | {row['heap_mb']:.1f} MB |")


if __name__ == "__main__":
    main()
