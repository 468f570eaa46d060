"""The demo county, modelled on Yunhe county (seed 001): "1+11+N" stations and a user per role.

Every function here is idempotent: it looks things up by their natural key before creating them,
so `manage.py seed_demo` may run any number of times.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from liaison import services
from liaison.models import Division, RoleGrant, Station

DEMO_PASSWORD = "demo-2026"

COUNTY = "云和县"

# name, kind, slug, villages/communities (points), county-town station?
TOWNSHIPS: list[tuple[str, str, str, list[str], bool]] = [
    ("崇头镇", Division.Kind.TOWNSHIP, "chongtou", ["崇头村", "坑根村", "梅竹村", "黄家畲村"], True),
    ("石塘镇", Division.Kind.TOWNSHIP, "shitang", ["石塘村", "小顺村", "长汀村", "北山村"], True),
    ("紧水滩镇", Division.Kind.TOWNSHIP, "jinshuitan", ["紧水滩村", "石浦村", "下塆村"], True),
    ("赤石乡", Division.Kind.TOWNSHIP, "chishi", ["赤石村", "夏洞天村"], True),
    ("安溪畲族乡", Division.Kind.TOWNSHIP, "anxi", ["安溪村", "黄处村", "下垟村"], False),
    ("雾溪畲族乡", Division.Kind.TOWNSHIP, "wuxi", ["雾溪村", "坪垟岗村"], False),
    ("浮云街道", Division.Kind.SUBDISTRICT, "fuyun", ["城东社区", "城西社区", "解放社区", "新村社区"], False),
    ("元和街道", Division.Kind.SUBDISTRICT, "yuanhe", ["元和社区", "三港社区", "沙铺社区"], False),
    ("凤凰山街道", Division.Kind.SUBDISTRICT, "fenghuangshan", ["凤凰山社区", "新城社区", "大坪社区"], False),
    ("白龙山街道", Division.Kind.SUBDISTRICT, "bailongshan", ["白龙山社区", "龙门社区"], False),
    ("云和经济开发区", Division.Kind.DEVELOPMENT_ZONE, "jingkaiqu", ["园区社区"], False),
]

ENTERPRISES = [("云和经济开发区", "mowan-enterprise", "木玩产业代表驻企工作站")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    place: str


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("admin", "系统管理员", "superuser", ""),
    DemoLogin("county", "周晓岚", RoleGrant.Role.COUNTY_STAFF, COUNTY),
    DemoLogin("shitang", "叶建华", RoleGrant.Role.TOWNSHIP_STAFF, "石塘镇"),
    DemoLogin("officer", "蓝丽芳", RoleGrant.Role.STATION_OFFICER, "shitang"),
    DemoLogin("officer-fuyun", "柳俊", RoleGrant.Role.STATION_OFFICER, "fuyun"),
    DemoLogin("daibiao", "雷志强", RoleGrant.Role.REPRESENTATIVE, ""),
    DemoLogin("zhujian", "吴海燕", RoleGrant.Role.HANDLING_UNIT, "云和县住房和城乡建设局"),
]

HANDLING_UNITS = ["云和县住房和城乡建设局", "云和县交通运输局", "云和县农业农村局", "云和县教育局"]


def _division(name: str, kind: str, parent: Division | None, *, is_county_town: bool = False) -> Division:
    existing = Division.objects.filter(name=name, parent=parent).first()
    return existing or services.division_create(name=name, kind=kind, parent=parent, is_county_town=is_county_town)


def _station(actor, *, slug: str, **fields) -> Station:
    existing = Station.objects.filter(slug=slug).first()
    return existing or services.station_create(actor=actor, slug=slug, **fields)


def _user(username: str, full_name: str, *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "is_staff": superuser, "is_superuser": superuser}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_network() -> dict:
    """Divisions, the 1+11+N stations, handling units and the demo users. Returns lookups."""
    from suggestions.models import HandlingUnit

    admin = _user("admin", "系统管理员", superuser=True)
    county = _division(COUNTY, Division.Kind.COUNTY, None)
    general = _station(
        admin,
        slug="yunhe",
        name="云和县人大代表联络总站",
        kind=Station.Kind.GENERAL,
        division=county,
        address="云和县浮云街道解放街 88 号",
        opening_hours="周一至周五 8:30-17:00",
        phone="0578-5123456",
    )
    townships: dict[str, Division] = {}
    stations: dict[str, Station] = {"yunhe": general}
    for name, kind, slug, places, county_town in TOWNSHIPS:
        township = townships[name] = _division(name, kind, county, is_county_town=kind == Division.Kind.SUBDISTRICT)
        label = "人大代表联络站"
        station = stations[slug] = _station(
            admin,
            slug=slug,
            name=f"{name}{label}",
            kind=Station.Kind.STATION,
            division=township,
            parent=general,
            address=f"云和县{name}人民政府一楼",
            opening_hours="每月 15 日接待选民日；工作日 8:30-17:00",
            phone="0578-55" + str(10000 + len(stations))[-5:],
        )
        if county_town:
            stations[f"{slug}-town"] = _station(
                admin,
                slug=f"{slug}-town",
                name=f"{name}城区人大代表联络站",
                kind=Station.Kind.STATION,
                in_county_town=True,
                division=township,
                parent=station,
                address="云和县浮云街道城东社区服务中心",
                opening_hours="每周六 9:00-11:30",
            )
        place_kind = Division.Kind.COMMUNITY if name.endswith(("街道", "开发区")) else Division.Kind.VILLAGE
        for index, place in enumerate(places, start=1):
            division = _division(place, place_kind, township)
            stations[f"{slug}-{index}"] = _station(
                admin,
                slug=f"{slug}-{index}",
                name=f"{place}人大代表联络点",
                kind=Station.Kind.POINT,
                division=division,
                parent=station,
                address=f"{name}{place}村（居）委会",
                opening_hours="每月 15 日上午",
            )
    for township_name, slug, name in ENTERPRISES:
        stations[slug] = _station(
            admin,
            slug=slug,
            name=name,
            kind=Station.Kind.ENTERPRISE,
            division=townships[township_name],
            parent=stations["jingkaiqu"],
            address="云和经济开发区木玩城 6 号",
        )

    units = {
        name: HandlingUnit.objects.get_or_create(name=name, defaults={"division": county})[0] for name in HANDLING_UNITS
    }

    for login in DEMO_LOGINS:
        user = _user(login.username, login.full_name, superuser=login.role == "superuser")
        grant: dict = {}
        if login.role == RoleGrant.Role.COUNTY_STAFF:
            grant = {"division": county}
        elif login.role == RoleGrant.Role.TOWNSHIP_STAFF:
            grant = {"division": townships[login.place]}
        elif login.role == RoleGrant.Role.STATION_OFFICER:
            grant = {"station": stations[login.place]}
            if stations[login.place].officer_id is None:
                services.station_update(actor=admin, station=stations[login.place], officer=user)
                continue  # the service granted the officer role
        elif login.role == RoleGrant.Role.HANDLING_UNIT:
            grant = {"handling_unit": units[login.place]}
        if login.role != "superuser":
            RoleGrant.objects.get_or_create(user=user, role=login.role, **grant)
    return {"admin": admin, "county": county, "townships": townships, "stations": stations}
