"""EXPLAIN (ANALYZE, BUFFERS) of the list pages' queries on a seeded profile (docs/performance.md,
"EXPLAIN at province scale").

    DATABASE_URL=... REDIS_URL=... DJANGO_SETTINGS_MODULE=liaison.settings.test \\
        python bench/explain_lists.py [--out FILE]

Each page is requested once through Django's test client as a seeded user (`scale-wide`: the whole
instance; `scale-county`: one county), its queries are captured, and the page's heaviest queries
(those on the table the list is about) are run again under EXPLAIN (ANALYZE, BUFFERS). It also
says whether any plan scans the representatives table sequentially.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402


def cases():
    from representatives.models import RefreshCampaign, Representative

    sample = Representative.objects.order_by("pk").values("name", "name_initials", "phone")[5000]
    roster = reverse("representatives:list")
    campaign = RefreshCampaign.objects.order_by("-period_start").first()
    refresh = [
        ("officer", "refresh progress (an officer)", reverse("representatives:refresh_detail", args=[campaign.pk]),
         {}, "representatives_refreshconfirmation"),
        ("county", "refresh progress (one county)", reverse("representatives:refresh_detail", args=[campaign.pk]),
         {}, "representatives_refreshconfirmation"),
    ] if campaign else []  # fmt: skip
    return [
        ("wide", "roster, first page", roster, {}, "representatives_representative"),
        ("wide", "roster, deepest page allowed (200: rows 9,951-10,000)", roster, {"page": "200"},
         "representatives_representative"),
        ("wide", f"roster, search 2 Chinese characters ({sample['name'][:2]})", roster, {"q": sample["name"][:2]},
         "representatives_representative"),
        ("wide", f"roster, search 3 Chinese characters ({sample['name'][:3]})", roster, {"q": sample["name"][:3]},
         "representatives_representative"),
        ("wide", f"roster, search pinyin initials ({sample['name_initials'][:3]})", roster,
         {"q": sample["name_initials"][:3]}, "representatives_representative"),
        ("wide", f"roster, search 4 phone digits ({sample['phone'][-4:]})", roster, {"q": sample["phone"][-4:]},
         "representatives_representative"),
        ("county", "roster, first page (one county: the access query)", roster, {}, "representatives_representative"),
        ("wide", "station tree (top level)", reverse("liaison:station_tree"), {}, "liaison_station"),
        ("wide", "station tree, search by name", reverse("liaison:station_tree"), {"q": "城关"}, "liaison_station"),
        ("wide", "register list", reverse("representatives:register"), {}, "representatives_mobileregisterentry"),
        ("wide", "mobility report", reverse("representatives:mobility_report"), {}, "representatives_representative"),
        ("county", "mobility report (one county)", reverse("representatives:mobility_report"), {},
         "representatives_representative"),
    ] + refresh  # fmt: skip


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    from django.contrib.auth import get_user_model

    from liaison.scale_seed import BENCH_USERS

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="")
    parser.add_argument("--per-page", type=int, default=3, help="queries explained per page (the slowest)")
    args = parser.parse_args()
    users = {key: get_user_model().objects.get(username=name) for key, name in BENCH_USERS.items()}
    out: list[str] = []
    seq_scans = []
    for user_key, label, url, params, table in cases():
        client = Client()
        client.force_login(users[user_key])
        client.get(url, params)  # warm
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        queries = [
            q
            for q in ctx.captured_queries
            if f'"{table}"' in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "EXPLAIN"))
        ]
        queries.sort(key=lambda q: float(q["time"]), reverse=True)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        out.append(
            f"-- {user_key}: {label}: page {elapsed:.0f} ms, {len(ctx.captured_queries)} queries, SQL {sql_ms:.0f} ms, "
            f"HTML {len(response.content) // 1024} KB"
        )
        for q in queries[: args.per_page]:
            plan = explain(q["sql"])
            if "Seq Scan on representatives_representative" in plan:
                seq_scans.append(label)
            first = " ".join(q["sql"].split())[:160]
            out.append(f"-- query ({float(q['time']) * 1000:.1f} ms when captured): {first}...")
            out.append(plan)
            out.append("")
    out.append("-- sequential scans of representatives: " + (", ".join(seq_scans) if seq_scans else "none"))
    text = "\n".join(out)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
