"""Demo data for reception days: a year of them at every station, with duties, visits and voters.

Idempotent: if the demo already has reception days, nothing is added. Written with bulk_create so
that `seed_demo` stays fast on SQLite.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from liaison.models import Station
from representatives.models import Representative
from voters.models import DutyAssignment, RaisedItem, ReceptionDay, Visit, Voter
from voters.services.reception import notice_date
from voters.services.visits import voter_initials

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "建国秀英丽华志强海燕明军桂兰玉梅红霞永福金凤春生淑珍德胜文杰晓东小平美玲国庆雪梅德华晓燕立新"
MATTERS = [
    "村口路灯坏了半个月，晚上出行不安全",
    "希望增开进城公交班次",
    "农村生活垃圾清运不及时",
    "搬迁安置小区停车位不足",
    "山区小学校车接送时间不合理",
    "河道护栏破损，需要修复",
    "希望社区增设老年食堂",
    "农田灌溉水渠堵塞",
    "菜市场周边占道经营影响通行",
    "希望加强电动车充电桩建设",
    "医保报销流程希望简化",
    "茶叶收购价格偏低，希望引导销售渠道",
    "村里自来水水压不足",
    "进城务工人员子女入学咨询",
    "建议在小区门口设置减速带",
]


def _months_around(today: datetime.date, back: int, ahead: int) -> list[datetime.date]:
    index = today.year * 12 + today.month - 1
    return [datetime.date((i // 12), (i % 12) + 1, 1) for i in range(index - back, index + ahead + 1)]


@transaction.atomic
def seed_reception(*, admin) -> dict:
    if ReceptionDay.objects.exists():
        return {"days": ReceptionDay.objects.count(), "visits": Visit.objects.count(), "created": 0}
    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    stations = list(Station.objects.filter(is_active=True).order_by("path"))
    reps = list(
        Representative.objects.filter(status=Representative.Status.SERVING)
        .select_related("home_station")
        .order_by("pk")
    )
    by_station: dict[int, list[Representative]] = {}
    for rep in reps:
        by_station.setdefault(rep.home_station_id, []).append(rep)
    demo_rep = next((rep for rep in reps if rep.user is not None and rep.user.username == "daibiao"), None)

    def candidates(station: Station) -> list[Representative]:
        """The station's own representatives, or else those of the stations above it."""
        found = [r for s_id, rs in by_station.items() for r in rs if s_id == station.pk]
        if not found:
            found = [r for r in reps if station.path.startswith(r.home_station.path)]
        return found or reps

    days: list[ReceptionDay] = []
    duty_plan: list[tuple[int, list[Representative]]] = []
    for station in stations:
        pool = candidates(station)
        # The county-town stations receive every Saturday morning; the others on the 15th.
        if station.in_county_town:
            start = today - datetime.timedelta(days=365)
            first = start + datetime.timedelta(days=(5 - start.weekday()) % 7)
            dates = [first + datetime.timedelta(weeks=w) for w in range(0, 57, 2)]
            hours = (datetime.time(9, 0), datetime.time(11, 30))
        else:
            dates = [month.replace(day=15) for month in _months_around(today, 12, 2)]
            hours = (datetime.time(9, 0), datetime.time(11, 0))
        for date in dates:
            past = date < today
            logged = past and (today - date).days > 20
            day = ReceptionDay(
                station=station,
                date=date,
                starts_at=hours[0],
                ends_at=hours[1],
                theme=rng.choice(["", "", "民生实事征集", "优化营商环境", "乡村振兴"]),
                notice_on=notice_date(date, 3),
                notice_published_at=now if notice_date(date, 3) <= today else None,
                status=ReceptionDay.Status.HELD if past else ReceptionDay.Status.PLANNED,
                created_by=admin,
            )
            if past and rng.random() < 0.04:
                day.status = ReceptionDay.Status.CANCELLED
                day.cancel_reason = "台风预警，暂停接待"
            elif logged:
                day.logged_at = now
                day.logged_by = admin
            days.append(day)
            team = rng.sample(pool, k=min(2, len(pool)))
            if demo_rep and station.pk == demo_rep.home_station_id and demo_rep not in team:
                team = [demo_rep] + team[:1]
            duty_plan.append((len(days) - 1, team))
    days = ReceptionDay.objects.bulk_create(days)

    duties = []
    for index, team in duty_plan:
        day = days[index]
        for rep in team:
            if day.status == ReceptionDay.Status.PLANNED:
                status = rng.choice([DutyAssignment.Status.INVITED, DutyAssignment.Status.CONFIRMED])
            else:
                status = DutyAssignment.Status.CONFIRMED
            duties.append(DutyAssignment(day=day, representative=rep, status=status, responded_at=now))
    DutyAssignment.objects.bulk_create(duties)
    receivers = dict(duty_plan)

    # Visits on held days: voters with phones (a few come back), some anonymous.
    existing_phones = set(Voter.objects.values_list("phone", flat=True))
    voters: list[Voter] = []
    visit_rows: list[tuple[Visit, list[str]]] = []
    serial = 0
    for index, day in enumerate(days):
        if day.status != ReceptionDay.Status.HELD or (day.logged_at is None and day.station.in_county_town):
            continue
        count = rng.randint(0, 4)
        for _ in range(count):
            voter = None
            if voters and rng.random() < 0.15:
                voter = rng.choice(voters)
            elif rng.random() < 0.8:
                serial += 1
                phone = f"137{57800000 + serial:08d}"
                if phone in existing_phones:
                    continue
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
                voter = Voter(
                    station=day.station,
                    name=name,
                    name_initials=voter_initials(name),
                    phone=phone,
                    created_by=admin,
                )
                voters.append(voter)
            team = receivers[index]
            visit = Visit(
                day=day,
                voter=voter,
                received_by=rng.choice(team) if team else None,
                outcome=rng.choice([Visit.Outcome.SETTLED, Visit.Outcome.FOLLOW_UP]),
                created_by=admin,
            )
            visit_rows.append((visit, rng.sample(MATTERS, k=rng.choice([1, 1, 2]))))
        if day.logged_at:
            day.visitor_count = count + rng.randint(0, 2)
    Voter.objects.bulk_create(voters)
    for visit, _items in visit_rows:
        if visit.voter is not None:
            visit.voter_id = visit.voter.pk
    visits = Visit.objects.bulk_create([visit for visit, _items in visit_rows])
    RaisedItem.objects.bulk_create(
        [
            RaisedItem(visit=visit, text=text, position=position)
            for visit, (_v, items) in zip(visits, visit_rows, strict=True)
            for position, text in enumerate(items)
        ]
    )
    ReceptionDay.objects.bulk_update([day for day in days if day.visitor_count is not None], ["visitor_count"])
    return {"days": len(days), "visits": len(visits), "created": len(days)}
