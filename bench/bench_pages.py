"""Benchmark of the pages: gunicorn with production settings on a seeded database, wrk at 8
connections, each page right after the floor view, 3 rounds, medians.

Run through `make bench` (scripts/bench.sh starts PostgreSQL and Redis, loads the profile once and
reuses its dump, and starts nothing else); by hand, against a database seeded by
`manage.py seed_scale`:

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... REDIS_URL=... \
        .venv/bin/python bench/bench_pages.py --profile county

Sessions are made programmatically for the seeded users (liaison.scale_seed.BENCH_USERS) and
their cookie passed to wrk. The table goes to stdout and, with --write, into docs/performance.md
between the markers of the profile's section.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from liaison import access  # noqa: E402
from liaison.middleware import LAST_SEEN_AT, SIGNED_IN_AT  # noqa: E402
from liaison.models import Station  # noqa: E402
from liaison.scale_seed import BENCH_USERS  # noqa: E402
from representatives.filters import representative_filter  # noqa: E402
from representatives.models import RefreshCampaign, Representative  # noqa: E402

FLOOR = "/bench/floor/"
LAYOUT = "/bench/layout/"  # the floor's rows inside base.html: what every console page pays first
PER_PAGE = 50


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def session_cookie(user) -> str:
    """A signed-in session for `user`, made as django.contrib.auth.login makes it."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    store[SESSION_KEY] = str(user.pk)
    # The backend that answers get_user() (axes' backend only guards sign-in attempts).
    store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = now
    store[LAST_SEEN_AT] = now
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, cookie: str, seconds: int, connections: int) -> Run:
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s",
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in socket_errors.groups())
    done = re.search(r"(\d+) requests in", out)
    if not (p50 and p99) or (done and int(done.group(1)) == 0):  # no request finished within the run
        return Run(rps, float("nan"), float("nan"), count)
    return Run(rps, _ms(*p50.groups()), _ms(*p99.groups()), count)


def status_of(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def pages_for(user, key: str) -> list[tuple[str, str]]:
    """(label, path) of the pages to measure for one user, with searches that find something."""
    visible = access.representatives_visible(user)
    count = visible.count()
    sample = visible.filter(status="serving").order_by("pk")[count // 2 : count // 2 + 1].get()
    deep = max(1, int(count / PER_PAGE * 0.9))
    roster = reverse("representatives:list")
    station = Station.objects.filter(access.station_scope_q(user)).order_by("path").first()
    campaign = RefreshCampaign.objects.order_by("-period_start").first()
    pages = [
        ("reference: the floor's rows in the site's layout", LAYOUT),
        ("roster, page 1", roster),
        (f"roster, page {deep:,}", f"{roster}?page={deep}"),
        ("roster, search 2 Chinese characters", f"{roster}?q={quote(sample.name[:2])}"),
        ("roster, search 3 Chinese characters", f"{roster}?q={quote(sample.name[:3])}"),
        ("roster, search pinyin initials", f"{roster}?q={quote(sample.name_initials[:3])}"),
        ("roster, search 4 phone digits", f"{roster}?q={quote(sample.phone[-6:-2])}"),
        ("roster, filtered (county level, mobile)", f"{roster}?level=county&is_mobile=true"),
        ("station tree", reverse("liaison:station_tree")),
        ("station page", reverse("liaison:station_detail", args=[station.pk])),
        ("register list", reverse("representatives:register")),
        ("mobility report", reverse("representatives:mobility_report")),
        ("dashboard", reverse("liaison:dashboard")),
    ]
    if deep < 10:  # a few pages only (an officer's roster): the first page says it all
        pages = [page for page in pages if not page[0].startswith(f"roster, page {deep:,}")]
    if campaign:
        pages.insert(11, ("refresh progress", reverse("representatives:refresh_detail", args=[campaign.pk])))
    return pages


def median(values):
    values = [v for v in values if v == v]  # drop NaN
    return statistics.median(values) if values else float("nan")


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    log = open(ROOT / "bench" / "results" / "gunicorn.log.tmp", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "liaison.wsgi:application", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--timeout", "120", "--access-logfile", "-"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{FLOOR}", timeout=5)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start: see bench/results/gunicorn.log.tmp")


def explain_roster(users: dict) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL the roster page runs (captured from the selector and
    Django's own COUNT and page slice), for each user: first page, its count, and searches."""
    from django.test.utils import CaptureQueriesContext

    sample = Representative.objects.filter(status="serving").order_by("pk")[Representative.objects.count() // 2]
    cases = [
        ("first page", {}),
        (f"search 2 Chinese characters {sample.name[:2]}", {"q": sample.name[:2]}),
        (f"search 3 Chinese characters {sample.name[:3]}", {"q": sample.name[:3]}),
        (f"search pinyin initials {sample.name_initials[:3]}", {"q": sample.name_initials[:3]}),
        (f"search 4 phone digits {sample.phone[-6:-2]}", {"q": sample.phone[-6:-2]}),
    ]
    lines = []
    for key, user in users.items():
        for label, params in cases:
            qs = representative_filter(user=user, params=params).qs
            with CaptureQueriesContext(connection) as ctx:
                qs.count()
                list(qs[:PER_PAGE])
            for kind, query in zip(("COUNT", "page"), ctx.captured_queries[:2], strict=False):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query['sql']}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                lines.append(f"-- {key}: roster {label}: {kind}\n{plan}\n")
    return "\n".join(lines)


def breakdown(plan, users: dict, admin) -> str:
    """Where one request's time goes, in this process (no load): total, SQL, queries, HTML size."""
    from django.db import reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    who = {**users, "superuser": admin}
    table = [
        "| page | user | ms | SQL ms | queries | slowest query ms | HTML KB | `<option>`s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, key, path in plan:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(who[key], backend="django.contrib.auth.backends.ModelBackend")
        client.get(path)  # warm-up (template and grant caches)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - started) * 1000
        times = [float(q["time"]) * 1000 for q in ctx.captured_queries]
        body = response.content
        table.append(
            f"| {label} | {key} | {total:,.0f} | {sum(times):,.0f} | {len(times)} | {max(times or [0]):,.0f} "
            f"| {len(body) / 1024:,.0f} | {body.count(b'<option'):,} |"
        )
    return "\n".join(table) + "\n"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} vCPU {cpu}{mem}, Python {platform.python_version()}, PostgreSQL {pg.split()[0]}"


def fmt(value: float, digits: int = 0) -> str:
    return "–" if value != value else f"{value:,.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="county")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 2)))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_WEBPORT", 8099)))
    parser.add_argument("--write", action="store_true", help="write the table into docs/performance.md")
    parser.add_argument("--breakdown", action="store_true", help="also time one request of each page in-process")
    parser.add_argument("--explain-only", action="store_true", help="only EXPLAIN the roster's queries")
    parser.add_argument(
        "--users",
        default="",
        help="which seeded users, comma-separated (default: wide,county,officer; on the county profile "
        "wide,officer, since its one county is the whole instance and `scale-county` sees what `scale-wide` sees)",
    )
    parser.add_argument("--only", default="", help="measure only pages whose label contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: scripts/bench.sh installs it (apt-get install wrk).")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)

    User = get_user_model()
    chosen = (args.users or ("wide,officer" if args.profile == "county" else "wide,county,officer")).split(",")
    users = {key: User.objects.get(username=name) for key, name in BENCH_USERS.items() if key in chosen}
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("scale-admin", None, None)
    cookies = {key: session_cookie(user) for key, user in users.items()}
    cookies["superuser"] = session_cookie(admin)
    labels = {"wide": "whole instance", "county": "one county", "officer": "station officer"}
    plan: list[tuple[str, str, str]] = []  # (page label, user key, path)
    for key, user in users.items():
        plan += [(label, key, path) for label, path in pages_for(user, key)]
    plan.append(("Django admin changelist (representatives)", "superuser",
                 reverse("admin:representatives_representative_changelist")))  # fmt: skip
    if args.only:
        plan = [row for row in plan if args.only in row[0]]
    if args.explain_only:
        explain = explain_roster(users)
        (ROOT / "bench" / "results" / f"explain-{args.profile}.txt.tmp").write_text(explain)
        print(explain)
        return

    load_before = os.getloadavg()
    started = time.perf_counter()
    server = start_gunicorn(args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        for label, key, path in plan:
            status = status_of(base + path, cookies[key])
            if status != 200:
                rows.append((label, labels.get(key, key), status, None, None))
                print(f"{label} | {key}: HTTP {status}, not measured", flush=True)
                continue
            floors, runs = [], []
            for _ in range(args.rounds):
                floors.append(wrk(base + FLOOR, cookies[key], args.seconds, args.connections))
                runs.append(wrk(base + path, cookies[key], args.seconds, args.connections))
            rows.append((label, labels.get(key, key), status, floors, runs))
            page_p50, floor_p50 = median([r.p50_ms for r in runs]), median([f.p50_ms for f in floors])
            print(f"{label} | {key}: p50 {page_p50:.1f} ms, floor {floor_p50:.1f} ms", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    load_after = os.getloadavg()
    elapsed = time.perf_counter() - started

    table = [
        "| page | user | rps | p50 (ms) | p99 (ms) | x floor (p50) | x floor (p99) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, user_label, status, floors, runs in rows:
        if runs is None:
            table.append(f"| {label} | {user_label} | HTTP {status} | | | | |")
            continue
        rps = median([r.rps for r in runs])
        p50, p99 = median([r.p50_ms for r in runs]), median([r.p99_ms for r in runs])
        f50, f99 = median([f.p50_ms for f in floors]), median([f.p99_ms for f in floors])
        errors = sum(r.errors for r in runs)
        note = f" ({errors} errors)" if errors else ""
        table.append(
            f"| {label}{note} | {user_label} | {fmt(rps, 1)} | {fmt(p50, 1)} | {fmt(p99, 1)} "
            f"| {fmt(p50 / f50, 1)} | {fmt(p99 / f99, 1)} |"
        )
    floor_all = [f.p50_ms for _, _, _, floors, _ in rows if floors for f in floors]
    counts = (
        f"{Representative.objects.count():,} representatives, {Station.objects.count():,} stations"
    )
    header = (
        f"Profile **{args.profile}** ({counts}); {machine()}; gunicorn {args.workers} sync workers; "
        f"wrk {args.connections} connections, {args.seconds} s a run, {args.rounds} rounds, medians; "
        f"floor p50 median {fmt(median(floor_all), 1)} ms. Load average before "
        f"{' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in load_after)}. "
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {elapsed:.0f} s."
    )
    report = header + "\n\n" + "\n".join(table) + "\n"
    if args.breakdown:
        report += (
            "\nOne request of each page in the benchmark's process, no load (`--breakdown`): where the time "
            "goes.\n\n" + breakdown(plan, users, admin)
        )
    print(report)
    explain = explain_roster(users)
    (ROOT / "bench" / "results" / f"explain-{args.profile}.txt.tmp").write_text(explain)
    if args.write:
        write_section(args.profile, report, explain)


def write_section(profile: str, report: str, explain: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text()
    start, end = f"<!-- bench-pages:{profile}:start -->", f"<!-- bench-pages:{profile}:end -->"
    body = f"{start}\n{report}\n<details><summary>EXPLAIN of the roster list query ({profile})</summary>\n\n```\n{explain}```\n</details>\n{end}"  # noqa: E501
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: body, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n### Pages measured, profile {profile}\n\n{body}\n"
    doc.write_text(text)


if __name__ == "__main__":
    main()
