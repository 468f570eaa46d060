"""Demo activities: a year of them at every station (two a quarter at stations, one at points),
invitees and attendance; budgets and expenses for a few stations, with a separate budget for
mobile representatives' work (seed 001). Idempotent: a station that has activities is skipped.
Bulk inserts keep it fast on SQLite."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liaison.models import Activity, ActivityInvitation, Expense, FundPurpose, Station, StationBudget

TOPICS = {
    Activity.Kind.TRAINING: ["代表履职能力培训", "《代表法》专题学习", "代表建议撰写培训"],
    Activity.Kind.INSPECTION: ["美丽乡村建设视察", "背街小巷改造视察", "安全生产专项视察"],
    Activity.Kind.RESEARCH: ["营商环境走访调研", "搬迁群众就业调研", "农村养老服务调研"],
    Activity.Kind.THEME: ["“代表行动”主题活动", "“五进”主题活动", "代表进社区报到活动"],
    Activity.Kind.MEETING: ["流动代表座谈会", "双向共管联席会议", "代表与政府部门座谈"],
}
FUNDED = ["shitang", "fuyun", "chongtou", "shitang-town"]


@transaction.atomic
def seed_activities(*, admin, network: dict) -> dict:
    from representatives.models import Representative

    rng = random.Random(2026)
    stations: dict[str, Station] = network["stations"]
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    done = set(Activity.objects.filter(station__in=stations.values()).values_list("station_id", flat=True).distinct())
    reps_by_station: dict[int, list[int]] = {}
    for pk, station_id in Representative.objects.filter(status=Representative.Status.SERVING).values_list(
        "pk", "home_station_id"
    ):
        reps_by_station.setdefault(station_id, []).append(pk)
    created = 0
    for slug, station in sorted(stations.items()):
        if station.pk in done:
            continue
        # Invitees: the representatives kept by the station and the points under it.
        subtree = [s.pk for s in stations.values() if s.path.startswith(station.path)]
        pool = [pk for sid in subtree for pk in reps_by_station.get(sid, [])]
        if not pool and station.parent_id:
            # A village point without representatives of its own invites those of its township station.
            parent = next(s for s in stations.values() if s.pk == station.parent_id)
            pool = [
                pk for s in stations.values() if s.path.startswith(parent.path) for pk in reps_by_station.get(s.pk, [])
            ]
        per_year = 4 if station.kind == Station.Kind.POINT else 8
        activities = []
        for i in range(per_year):
            # Spread over the last twelve months and one or two to come.
            day = today - datetime.timedelta(days=int(365 * (i + 0.5) / per_year)) + datetime.timedelta(days=45)
            kind = list(TOPICS)[(i + len(slug)) % len(TOPICS)]
            starts = datetime.datetime.combine(day, datetime.time(9 if i % 2 else 14, 30), tzinfo=zone)
            activities.append(
                Activity(
                    station=station,
                    kind=kind,
                    title=rng.choice(TOPICS[kind]),
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    location=station.address or station.name,
                    planned_amount=Decimal(rng.choice([0, 300, 500, 800, 1200])),
                    status=Activity.Status.ANNOUNCED,
                    announced_at=starts - datetime.timedelta(days=7),
                    created_by=station.officer or admin,
                )
            )
        Activity.objects.bulk_create(activities)
        created += len(activities)
        invitations = []
        now = timezone.now()
        for activity in Activity.objects.filter(station=station):
            for pk in rng.sample(pool, min(len(pool), rng.randint(6, 15))):
                attended = activity.starts_at < now and rng.random() < 0.75
                invitations.append(
                    ActivityInvitation(
                        activity=activity,
                        representative_id=pk,
                        via=ActivityInvitation.Via.STATION,
                        attended_at=activity.starts_at + datetime.timedelta(minutes=rng.randint(-20, 10))
                        if attended
                        else None,
                        attendance_method=rng.choice(list(ActivityInvitation.Method.values)) if attended else "",
                    )
                )
        ActivityInvitation.objects.bulk_create(invitations, ignore_conflicts=True)
    funded = _seed_funds(admin=admin, stations=[stations[s] for s in FUNDED if s in stations], today=today, rng=rng)
    return {"activities": Activity.objects.count(), "created": created, "funded_stations": funded}


def _seed_funds(*, admin, stations, today, rng) -> int:
    for station in stations:
        if StationBudget.objects.filter(station=station, year=today.year).exists():
            continue
        StationBudget.objects.create(
            station=station, year=today.year, purpose=FundPurpose.GENERAL, amount=Decimal("20000.00")
        )
        if station.in_county_town or station.division.is_county_town or rng.random() < 0.7:
            StationBudget.objects.create(
                station=station,
                year=today.year,
                purpose=FundPurpose.MOBILE,
                amount=Decimal("8000.00"),
                note="流动代表管理经费（专项）",
            )
        past = Activity.objects.filter(station=station, starts_at__year=today.year, starts_at__lt=timezone.now())
        expenses = []
        for activity in past:
            for purpose, note in ((FundPurpose.GENERAL, "场地与资料印刷"), (FundPurpose.MOBILE, "流动代表交通补助")):
                expenses.append(
                    Expense(
                        activity=activity,
                        amount=Decimal(rng.randint(50, 900)) + Decimal(rng.choice(["0.00", "0.50", "0.10", "0.20"])),
                        purpose=purpose,
                        note=note,
                        spent_on=timezone.localtime(activity.starts_at).date(),
                        recorded_by=station.officer or admin,
                    )
                )
        Expense.objects.bulk_create(expenses)
    return len(stations)
