"""Benchmark of the handbook PDF (WeasyPrint): one representative with many records, and a
station's batch. The handbooks are built in memory (no database: the PDF views' queries are a
fixed handful, tests/representatives/test_handbook_pdf.py); the time measured is what grows with
the data, the template rendering and WeasyPrint's layout, through the views' own `handbooks_pdf`.

    .venv/bin/python bench/bench_handbook_pdf.py --representatives 50 --records 100
    .venv/bin/python bench/bench_handbook_pdf.py --representatives 1 --records 300

Writes the PDF to /tmp/handbooks-bench.pdf (to look at it). Time is wall-clock.
"""

from __future__ import annotations

import argparse
import datetime
import io
import logging
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")  # never queried
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")  # never used

import django

django.setup()
logging.disable(logging.WARNING)

from django.utils import translation  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from liaison.models import Division, Station  # noqa: E402
from representatives.models import PerformanceKind, PerformanceRecord, ReportBack, Representative  # noqa: E402
from representatives.selectors.handbook import Handbook  # noqa: E402
from representatives.selectors.performance import KindLine, YearSummary  # noqa: E402
from representatives.views.performance import handbooks_pdf  # noqa: E402

YEAR = 2025


def books(representatives: int, records: int) -> list[Handbook]:
    township = Division(name="甲镇", kind=Division.Kind.TOWNSHIP)
    station = Station(name="甲镇人大代表联络站", division=township)
    kinds = PerformanceKind.values
    result = []
    for r in range(representatives):
        rep = Representative(pk=r + 1, name=f"代表{r:03d}", term="第十八届", level="township")
        rep.congress, rep.home_station = township, station
        rows = [
            PerformanceRecord(
                representative=rep,
                kind=kinds[i % len(kinds)],
                date=datetime.date(YEAR, 1 + i % 12, 1 + i % 28),
                points=Decimal("2"),
                note=f"第{i}次：走访选民，了解村道修缮、饮水安全和养老服务的意见建议",
                verified_at=datetime.datetime(YEAR, 12, 1, tzinfo=datetime.UTC) if i % 3 else None,
            )
            for i in range(records)
        ]
        lines = [
            KindLine(kind=k, label=str(label), count=records // len(kinds)) for k, label in PerformanceKind.choices
        ]
        result.append(
            Handbook(
                representative=rep,
                year=YEAR,
                summary=YearSummary(year=YEAR, lines=lines),
                records=rows,
                report_backs=[ReportBack(year=YEAR, status="held", held_on=datetime.date(YEAR, 6, 1), attendees=40)],
                proposals=[row for row in rows if row.kind in ("proposal_filed", "proposal_cosigned")],
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--representatives", type=int, default=50)
    parser.add_argument("--records", type=int, default=100)
    args = parser.parse_args()
    translation.activate("zh-hans")
    handbooks = books(args.representatives, args.records)
    context = {"year": YEAR, "title": "bench"}
    handbooks_pdf(handbooks[:1], context=context, title="warm-up", year=YEAR)  # fonts, stylesheets
    start = time.perf_counter()
    content = handbooks_pdf(handbooks, context=context, title="bench", year=YEAR)
    seconds = time.perf_counter() - start
    Path("/tmp/handbooks-bench.pdf").write_bytes(content)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(
        f"{args.representatives} handbook(s) x {args.records} records: {seconds:.1f} s "
        f"({seconds / args.representatives:.2f} s each), {len(content) / 1e6:.1f} MB, {pages} pages"
    )


if __name__ == "__main__":
    main()
