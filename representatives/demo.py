"""Demo representatives for the Yunhe-like county (seed 001): 78 county and 293 township ones.

Shares living in the county town follow the seed: 68 of 78 county representatives (87.18%) and
189 of 293 township representatives (64.51%). Idempotent: existing demo phones are skipped.
"""

from __future__ import annotations

import random

from django.db import transaction

from liaison.models import Division, Station
from representatives.models import GroupMembership, Representative, RepresentativeGroup
from representatives.services import corrections as correction_services
from representatives.services import roster

TERM = "第十八届"
SURNAMES = "叶王李吴陈刘周徐蓝雷钟柳毛潘季梅魏张杨朱何项郑林金胡沈".replace("", " ").split()
GIVEN = "建国华明丽芳志强海燕伟军晓东红梅新民永平秀英文斌玉兰春生卫东德福金水国庆少华丽萍俊杰雪琴立新".replace(
    "", " "
).split()
SHE_SURNAMES = {"蓝", "雷", "钟"}
OCCUPATIONS = [
    "{place}党支部书记",
    "{place}村民委员会主任",
    "{township}农业服务中心干部",
    "云和县木制玩具企业总经理",
    "云和县人民医院医生",
    "{township}中心学校教师",
    "家庭农场主",
    "民宿经营者",
    "个体工商户",
    "云和县供电公司职工",
    "{township}卫生院院长",
    "食用菌专业合作社社长",
]
SPECIALTIES = ["法律", "农业", "教育", "医疗卫生", "企业管理", "乡村旅游", "社会治理", "财务", "建筑工程", "生态环保"]

# Township congresses (subdistricts and the zone have none): how many township representatives.
TOWNSHIP_SEATS = {"崇头镇": 58, "石塘镇": 62, "紧水滩镇": 55, "赤石乡": 38, "安溪畲族乡": 42, "雾溪畲族乡": 38}
# County representatives elected in each district.
COUNTY_SEATS = {
    "崇头镇": 8,
    "石塘镇": 8,
    "紧水滩镇": 7,
    "赤石乡": 5,
    "安溪畲族乡": 6,
    "雾溪畲族乡": 5,
    "浮云街道": 12,
    "元和街道": 10,
    "凤凰山街道": 8,
    "白龙山街道": 5,
    "云和经济开发区": 4,
}
IN_TOWN = {Representative.Level.COUNTY: 68, Representative.Level.TOWNSHIP: 189}


def _name(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given, surname


@transaction.atomic
def seed_representatives(*, admin, network: dict) -> dict:
    rng = random.Random(2026)
    townships: dict[str, Division] = network["townships"]
    stations: dict[str, Station] = network["stations"]
    station_of = {
        s.division_id: s for s in stations.values() if s.kind == Station.Kind.STATION and not s.in_county_town
    }
    villages = {
        name: list(Division.objects.filter(parent=township).order_by("pk")) for name, township in townships.items()
    }
    town_places = list(Division.objects.filter(is_county_town=True).exclude(kind=Division.Kind.COUNTY))
    town_communities = [d for d in town_places if d.kind == Division.Kind.COMMUNITY] or town_places
    existing = set(Representative.objects.filter(term=TERM).values_list("level", "phone"))
    # As in real use, a station's officer (or else the county staff) keeps its roster.
    clerk = _county_clerk(admin)
    # The demo login `daibiao` is a mobile township representative of 石塘镇: created with its name.
    daibiao = _unlinked_demo_representative_user()

    seats = [(Representative.Level.COUNTY, name, n) for name, n in COUNTY_SEATS.items()] + [
        (Representative.Level.TOWNSHIP, name, n) for name, n in TOWNSHIP_SEATS.items()
    ]
    plan: list[tuple[str, str]] = [(level, name) for level, name, n in seats for _ in range(n)]
    # Those elected in the county town itself come first, so that the selection sampling below
    # picks exactly IN_TOWN[level] county-town residents in all.
    plan.sort(key=lambda item: not townships[item[1]].is_county_town)
    in_town_left = dict(IN_TOWN)
    per_level_total = {level: sum(1 for lv, _ in plan if lv == level) for level in IN_TOWN}
    seen_per_level = dict.fromkeys(IN_TOWN, 0)
    created = 0
    for index, (level, township_name) in enumerate(plan):
        township = townships[township_name]
        # Spread the county-town residents evenly over the list for each level.
        seen_per_level[level] += 1
        remaining = per_level_total[level] - seen_per_level[level] + 1
        lives_in_town = in_town_left[level] > 0 and rng.random() < in_town_left[level] / remaining
        if township.is_county_town and not lives_in_town:
            lives_in_town = True  # subdistricts are the county town itself
        if lives_in_town:
            in_town_left[level] -= 1
        phone = f"139{5780000 + index:08d}"
        if (level, phone) in existing:
            continue
        name, surname = _name(rng)
        places = villages[township_name] or [township]
        if lives_in_town:
            residence = (
                rng.choice([d for d in town_communities if d.path.startswith(township.path)] or [None])
                if township.is_county_town
                else None
            ) or rng.choice(town_communities)
        else:
            residence = rng.choice(places)
        place = rng.choice(places)
        home_station = station_of[township.pk]
        if (
            daibiao is not None
            and home_station == stations["shitang"]
            and level == Representative.Level.TOWNSHIP
            and residence.township_id() != township.pk
        ):
            name = daibiao.full_name
            daibiao = None
        rep = roster.representative_create(
            actor=home_station.officer or clerk,
            name=name,
            gender=rng.choice([Representative.Gender.MALE] * 3 + [Representative.Gender.FEMALE] * 2),
            ethnicity="畲族" if surname in SHE_SURNAMES and "畲族" in township_name else "汉族",
            birth_year=rng.randint(1962, 1995),
            phone=phone,
            level=level,
            term=TERM,
            electoral_district=f"{place.name}选区" if place != township else f"{township_name}第{index % 9 + 1}选区",
            district_township=township,
            home_station=home_station,
            residence_division=residence,
            residence_address=f"{residence.name}{rng.randint(1, 60)}幢{rng.randint(101, 602)}室",
            occupation=rng.choice(OCCUPATIONS).format(place=place.name, township=township_name),
            specialties=rng.sample(SPECIALTIES, k=rng.choice([1, 1, 2, 2, 3])),
        )
        created += 1
        del rep
    _seed_groups(rng=rng, stations=stations, clerk=clerk)
    _link_demo_representative(station=stations["shitang"], clerk=clerk)
    _verify_and_meet(admin=clerk, rng=rng)
    _open_refresh(admin=clerk, rng=rng)
    _request_corrections(admin=clerk)
    return {"created": created, "total": Representative.objects.count()}


def _request_corrections(*, admin) -> None:
    """The demo representative has one correction request waiting and one answered."""
    from representatives.models import RecordCorrection

    rep = Representative.objects.filter(user__username="daibiao").select_related("user").first()
    if rep is None or RecordCorrection.objects.filter(representative=rep).exists():
        return
    answered = correction_services.correction_request(
        actor=rep.user, representative=rep, message="民族登记有误，应为畲族。"
    )
    correction_services.correction_decide(
        actor=admin, correction=answered, decision="reject", reason="请携带身份证到联络站核实后更正。"
    )
    correction_services.correction_request(
        actor=rep.user,
        representative=rep,
        proposed={"occupation": "城东社区网格员", "specialties": ["农业", "社区治理"]},
        message="已到城东社区工作。",
    )


GROUPS = [
    (
        "chongtou",
        RepresentativeGroup.Kind.RELOCATION_HELP,
        ["产业服务帮搬团", "就业服务帮搬团", "教育服务帮搬团", "生活服务帮搬团"],
    ),
    ("fuyun", RepresentativeGroup.Kind.CO_GOVERNANCE, ["城东共治组", "城西共治组", "解放共治组", "新村共治组"]),
    ("shitang", RepresentativeGroup.Kind.GROUP, ["石塘镇城区代表小组", "石塘镇农业代表小组"]),
    ("jinshuitan", RepresentativeGroup.Kind.GROUP, ["紧水滩镇“代表+网格”小组"]),
    ("yuanhe", RepresentativeGroup.Kind.GROUP, ["“代表来了”民生小组"]),
]


def _county_clerk(admin):
    """The demo's county staff member (周晓岚), who keeps what no station officer does."""
    from django.contrib.auth import get_user_model

    from liaison.models import RoleGrant

    clerk = (
        get_user_model()
        .objects.filter(role_grants__role=RoleGrant.Role.COUNTY_STAFF, is_superuser=False)
        .order_by("pk")
        .first()
    )
    return clerk or admin


def _unlinked_demo_representative_user():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="daibiao").first()
    if user is None or Representative.objects.filter(user=user).exists():
        return None
    return user


def _seed_groups(*, rng: random.Random, stations: dict[str, Station], clerk) -> None:
    from representatives.services import groups

    for slug, kind, names in GROUPS:
        station = stations[slug]
        actor = station.officer or clerk
        members = list(Representative.objects.filter(home_station=station).order_by("pk"))
        for name in names:
            if RepresentativeGroup.objects.filter(station=station, name=name).exists():
                continue
            group = groups.group_create(actor=actor, station=station, name=name, kind=kind)
            if not members:
                continue
            chosen = rng.sample(members, k=min(len(members), rng.randint(4, 8)))
            for i, rep in enumerate(chosen):
                role = GroupMembership.Role.LEADER if i == 0 else GroupMembership.Role.MEMBER
                groups.group_add_member(actor=actor, group=group, representative=rep, role=role)


def _link_demo_representative(*, station: Station, clerk) -> None:
    """Link the login `daibiao` to the representative created with its name (see above)."""
    user = _unlinked_demo_representative_user()
    if user is None:
        return
    rep = (
        Representative.objects.filter(
            home_station=station, level=Representative.Level.TOWNSHIP, is_mobile=True, name=user.full_name, user=None
        )
        .order_by("pk")
        .first()
    )
    if rep is not None:
        roster.representative_link_user(actor=station.officer or clerk, representative=rep, user=user)


def _open_refresh(*, admin, rng: random.Random) -> None:
    """One open half-yearly refresh, about a third of it already confirmed."""
    from django.utils import timezone

    from representatives.models import RefreshConfirmation
    from representatives.services import refresh as refresh_services

    campaign = refresh_services.register_refresh_open(
        actor=admin, period_start=refresh_services.half_year_start(timezone.localdate())
    )
    if campaign.confirmations.exclude(status=RefreshConfirmation.Status.PENDING).exists():
        return
    pending = list(campaign.confirmations.order_by("pk"))
    for confirmation in rng.sample(pending, k=len(pending) // 3):
        refresh_services.register_refresh_confirm(actor=admin, confirmation=confirmation)


def _verify_and_meet(*, admin, rng: random.Random) -> None:
    """Hosts have verified most check-ins; about half the station pairs met this year."""
    import datetime

    from django.utils import timezone

    from representatives.models import JointMeeting, MobileRegisterEntry
    from representatives.services import mobile_register

    if MobileRegisterEntry.objects.filter(verified_at__isnull=False).exists():
        return
    today = timezone.localdate()
    entries = list(MobileRegisterEntry.objects.filter(is_active=True, community__isnull=False).order_by("pk"))
    for entry in rng.sample(entries, k=len(entries) * 2 // 3):
        checked_in = today - datetime.timedelta(days=rng.randint(30, 600))
        mobile_register.register_entry_update(actor=admin, entry=entry, checked_in_on=checked_in)
        mobile_register.register_entry_verify(actor=admin, entry=entry)
    if JointMeeting.objects.exists():
        return
    pairs = sorted({(e.origin_station_id, e.host_station_id) for e in entries})
    stations = {s.pk: s for s in Station.objects.filter(pk__in={pk for pair in pairs for pk in pair})}
    for origin_id, host_id in rng.sample(pairs, k=len(pairs) // 2):
        mobile_register.joint_meeting_record(
            actor=admin,
            origin_station=stations[origin_id],
            host_station=stations[host_id],
            held_on=today - datetime.timedelta(days=rng.randint(10, 200)),
            summary="通报流动代表履职情况，商定下半年联合走访选民安排。",
        )
