"""Benchmark of voter search at a million voters (PostgreSQL with the migrations applied).

    DJANGO_SETTINGS_MODULE=liaison.settings.test DATABASE_URL=... REDIS_URL=... \
        .venv/bin/python bench/bench_voter_search.py --voters 1000000

Fills voters_voter with generated rows in SQL (a few seconds), ANALYZEs, then times the voter
list's queries as a county-wide user and a station officer runs them: the capped count and the
first page, for a name fragment (3 characters: trigram), a 2-character name prefix, pinyin
initials, and phone digits. Each is the median of 5 runs, wall-clock.

Measured here (2 shared cores, PostgreSQL 15, 1,000,000 voters over 6 stations), count + first
page: no search 8-9 ms; "建国秀" 2 ms; "王建" 4-5 ms; "wj" 11-35 ms; "12345" 7-11 ms;
"000123" 27-39 ms, for a county-wide user and a station officer alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英海燕志强丽芳伟军晓东红梅新民永平玉兰春生金水立华明辉文斌少华雪琴德福俊杰国庆卫东桂英"


def fill(n: int) -> None:
    from liaison.models import Station

    stations = list(Station.objects.values_list("pk", flat=True)) or []
    if not stations:
        from tests.factories import build_network

        build_network()
        stations = list(Station.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM voters_voter")
        cursor.execute(
            """
            INSERT INTO voters_voter (station_id, name, name_initials, phone, address, consents_to_contact, note,
                                      created_at, updated_at)
            SELECT (%(stations)s)[1 + (i %% cardinality(%(stations)s))],
                   substr(%(s)s, 1 + (i %% char_length(%(s)s)), 1)
                     || substr(%(g)s, 1 + ((i / 7) %% char_length(%(g)s)), 1)
                     || substr(%(g)s, 1 + ((i / 13) %% char_length(%(g)s)), 1),
                   chr(97 + (i %% 23)) || chr(97 + ((i / 7) %% 23)) || chr(97 + ((i / 13) %% 23)),
                   '13' || lpad(i::text, 9, '0'), '', i %% 3 = 0, '', now(), now()
            FROM generate_series(1, %(n)s) AS i
            """,
            {"stations": stations, "s": SURNAMES, "g": GIVEN, "n": n},
        )
        cursor.execute("ANALYZE voters_voter")


def timed(fn) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    fill(args.voters)
    print(f"filled {args.voters:,} voters in {time.perf_counter() - start:.1f} s")
    from liaison.models import RoleGrant, Station
    from liaison.pagination import ListPaginator
    from tests.factories import UserFactory, grant
    from voters.selectors.people import voter_list

    county = UserFactory(username="bench-county", is_superuser=True)
    officer = UserFactory(username="bench-officer")
    grant(officer, RoleGrant.Role.STATION_OFFICER, station=Station.objects.order_by("pk")[1])
    for label, user in (("county-wide", county), ("station officer", officer)):
        for query in ("", "建国秀", "王建", "wj", "12345", "000123"):
            qs = voter_list(user=user, params={"q": query} if query else {})

            def page(qs=qs):
                paginator = ListPaginator(qs, 50)
                list(paginator.get_page(1).object_list)

            print(f"{label:16} q={query or '—':8} count+first page: {timed(page):7.1f} ms")


if __name__ == "__main__":
    main()
