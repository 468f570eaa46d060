"""No console page renders an unbounded list: every list page, at 300 stations and 1,000
representatives (a slice of a province, from the scale generator), renders at most 200 table rows
or cards and at most 200 `<option>`s, and stays under HTML_BOUND.

HTML_BOUND = 400 KB: a page of 50 roster rows is about 35 KB at county scale, the widest list
(the register, 10 columns) about 90 KB with its filters; 400 KB leaves room for 200 rows of the
widest table and a filter form, and is an order of magnitude below what the unbounded pages were
at province scale (the station tree 3.8 MB, the register 6.1 MB, the refresh progress 3.1 MB).
A page that grows with the data crosses it long before a province; one that is bounded never does.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison.models import Division, RoleGrant, Station
from liaison.scale_seed import BENCH_USERS, Profile, Seeder

MAX_ROWS = 200
MAX_OPTIONS = 200
HTML_BOUND = 400 * 1024

# 3 counties of 101 stations (a general station, 12 township stations, a county-town station and
# 87 points): 303 stations; 334 representatives a county: 1,002.
BOUNDS_PROFILE = Profile(
    "bounds",
    cities=1,
    counties=3,
    townships_per_county=12,
    villages_per_township=8,
    points_per_county=87,
    representatives_per_county=334,
)

ROW = re.compile(r"<tr[\s>]|class=\"list-group-item[\s\"]|class=\"card[\s\"]")
OPTION = re.compile(r"<option[\s>]")


class World:
    users: dict
    ids: dict


def _build() -> World:
    from django.contrib.auth import get_user_model

    from liaison import services as liaison_services
    from liaison.activities.services import activities as activity_services
    from liaison.activities.services import funds
    from representatives.models import ImportBatch, MobileRegisterEntry, RefreshCampaign, Representative
    from representatives.services import corrections, groups
    from representatives.services.roster import representative_link_user
    from suggestions.models import HandlingUnit
    from tests.factories import UserFactory, grant
    from tests.voters.reception_helpers import make_day
    from voters.services import grid, people

    Seeder(BOUNDS_PROFILE, log=lambda line: None).run()
    User = get_user_model()
    world = World()
    users = {key: User.objects.get(username=name) for key, name in BENCH_USERS.items()}
    county = RoleGrant.objects.get(user=users["county"]).division
    station = Station.objects.get(officer_of_grants(users["officer"]))
    township = station.division  # the officer's township-level place
    users["township"] = UserFactory(username="bounds-township")
    grant(users["township"], RoleGrant.Role.TOWNSHIP_STAFF, division=township)
    users["superuser"] = UserFactory(username="bounds-admin", is_superuser=True, is_staff=True)
    unit = HandlingUnit.objects.create(name="测试住建局", division=county)
    users["unit"] = UserFactory(username="bounds-unit")
    grant(users["unit"], RoleGrant.Role.HANDLING_UNIT, handling_unit=unit)
    admin = users["superuser"]

    reps = list(Representative.objects.filter(home_station=station).order_by("pk"))
    own = reps[0]
    users["representative"] = UserFactory(username="bounds-rep")
    grant(users["representative"], RoleGrant.Role.REPRESENTATIVE)
    representative_link_user(actor=admin, representative=own, user=users["representative"])

    # Voters and households, the grid with visits.
    village = Division.objects.filter(path__startswith=station.division.path, kind=Division.Kind.VILLAGE).first()
    for i in range(240):
        people.voter_create(
            actor=admin, name=f"选民{i}", phone=str(13600000000 + i), station=station, division=village,
            address=f"幸福路 {i} 号", consents_to_contact=True,
        )  # fmt: skip
    serving = Representative.objects.filter(status="serving", district_township=township).order_by("pk")
    county_reps = list(serving.filter(level="county")[:3])
    township_reps = list(serving.filter(level="township")[:12])
    for c, county_rep in enumerate(county_reps):
        for rep in township_reps[c * 4 : c * 4 + 4]:
            grid.grid_link_add(actor=admin, county_representative=county_rep, township_representative=rep)
    for i in range(220):
        household = people.household_create(
            actor=admin, station=station, division=village, head_name=f"户主{i}", address=f"{i} 号", member_count=3,
            note="",
        )  # fmt: skip
        rep = township_reps[i % len(township_reps)]
        grid.household_link_add(actor=admin, representative=rep, household=household)
        grid.household_visit_log(
            actor=admin, household=household, representative=rep, visited_on=datetime.date(2026, 3, 1)
        )
    # Reception days, past and coming, with duties.
    today = timezone.localdate()
    for i in range(60):
        make_day(station, today + datetime.timedelta(days=i - 30), own, duty_status="invited")
    # Activities with every representative of the station invited; budgets.
    for i in range(60):
        activity = activity_services.activity_create(
            actor=admin, station=station, kind="training", title=f"履职培训{i}",
            starts_at=timezone.now() + datetime.timedelta(days=i - 30), location="镇政府",
        )  # fmt: skip
        if i < 3:
            activity_services.activity_invite(actor=admin, activity=activity, stations=[station])
    for purpose in ("general", "mobile", "training"):
        funds.budget_set(actor=admin, station=station, year=today.year, purpose=purpose, amount="1000")
    # Groups, corrections, notifications, imports.
    for i in range(220):
        groups.group_create(actor=admin, name=f"代表小组{i}", kind="group", station=station, description="")
    for rep in reps[1:30]:
        corrections.correction_request(actor=admin, representative=rep, message="电话已换")
    for i in range(240):
        liaison_services.notify(recipient=users["wide"], kind="t", key=f"bounds-{i}", title=f"消息{i}")
        if i < 60:
            liaison_services.notify(recipient=users["officer"], kind="t", key=f"bounds-o-{i}", title=f"消息{i}")
    for i in range(15):
        ImportBatch.objects.create(uploaded_by=users["officer"], file_name=f"名册{i}.xlsx")
    world.users = users
    world.ids = {
        "station": station.pk,
        "general": station.parent_id,
        "campaign": RefreshCampaign.objects.get().pk,
        "entry": MobileRegisterEntry.objects.order_by("pk").first().pk,
        "township": township.pk,
        "county_rep": county_reps[0].pk,
        "group": groups_first(station),
        "station_slug": station.slug,
    }
    return world


def officer_of_grants(user):
    from django.db.models import Q

    return Q(pk__in=RoleGrant.objects.filter(user=user, role=RoleGrant.Role.STATION_OFFICER).values("station"))


def groups_first(station):
    from representatives.models import RepresentativeGroup

    return RepresentativeGroup.objects.filter(station=station).order_by("pk").first().pk


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = _build()
        yield built
        call_command("flush", interactive=False, verbosity=0)


# (role, url name, args from world.ids, query string)
PAGES = [
    ("wide", "representatives:list", (), ""),
    ("wide", "representatives:list", (), "q=王"),
    ("wide", "representatives:list", (), "page=15"),
    ("county", "representatives:list", (), ""),
    ("officer", "representatives:list", (), ""),
    ("wide", "liaison:station_tree", (), ""),
    ("wide", "liaison:station_tree", (), "kind=point"),
    ("wide", "liaison:station_tree", (), "q=联络"),
    ("wide", "liaison:station_children", ("general",), ""),
    ("wide", "liaison:station_detail", ("general",), ""),
    ("wide", "liaison:station_detail", ("station",), ""),
    ("wide", "representatives:register", (), ""),
    ("county", "representatives:register", (), ""),
    ("wide", "representatives:register_print", (), ""),
    ("wide", "representatives:refresh_list", (), ""),
    ("wide", "representatives:refresh_detail", ("campaign",), ""),
    ("county", "representatives:refresh_detail", ("campaign",), ""),
    ("wide", "representatives:mobility_report", (), ""),
    ("county", "representatives:mobility_report", (), ""),
    ("officer", "representatives:group_list", (), ""),
    ("wide", "representatives:group_list", (), ""),
    ("officer", "representatives:group_detail", ("group",), ""),
    ("wide", "representatives:correction_list", (), ""),
    ("officer", "representatives:import", (), ""),
    ("wide", "voters:voter_list", (), ""),
    ("officer", "voters:voter_list", (), ""),
    ("wide", "voters:household_list", (), ""),
    ("wide", "voters:grid_coverage", (), ""),
    ("wide", "voters:grid_township", ("township",), ""),
    ("wide", "voters:grid_representative", ("county_rep",), ""),
    ("wide", "voters:grid_visit_list", (), ""),
    ("wide", "voters:reception_calendar", (), ""),
    ("officer", "voters:reception_calendar", (), ""),
    ("officer", "voters:reception_list", (), "waiting=station_to_log"),
    ("representative", "voters:reception_mine", (), ""),
    ("wide", "voters:visit_list", (), ""),
    ("wide", "activities:list", (), ""),
    ("officer", "activities:list", (), ""),
    ("representative", "activities:mine", (), ""),
    ("wide", "activities:budget_report", (), ""),
    ("wide", "liaison:inbox", (), ""),
    ("officer", "liaison:inbox", (), ""),
    ("wide", "liaison:dashboard", (), ""),
    ("county", "liaison:dashboard", (), ""),
    ("township", "liaison:dashboard", (), ""),
    ("officer", "liaison:dashboard", (), ""),
    ("representative", "liaison:dashboard", (), ""),
    ("unit", "liaison:dashboard", (), ""),
    ("superuser", "liaison:dashboard", (), ""),
    ("wide", "representatives:performance_list", (), ""),
    ("officer", "representatives:performance_list", (), ""),
    ("representative", "representatives:performance_mine", (), ""),
    ("wide", "representatives:quarterly_points", (), ""),
    ("wide", "representatives:report_back_plan", (), ""),
    ("officer", "representatives:report_back_plan", (), ""),
    ("wide", "representatives:evaluation_list", (), ""),
    ("township", "representatives:evaluation_list", (), ""),
    ("wide", "suggestions:list", (), ""),
    ("officer", "suggestions:list", (), ""),
    ("wide", "suggestions:staff_create", (), ""),
    ("representative", "suggestions:staff_mine", (), ""),
    ("unit", "suggestions:unit_list", (), ""),
    ("wide", "suggestions:review_figures", (), ""),
    ("wide", "suggestions:review_list", (), ""),
    ("wide", "suggestions:review_deadlines", (), ""),
    ("wide", "suggestions:review_supervision", (), ""),
    ("wide", "public:station", ("station_slug",), ""),
    ("wide", "public:representative", ("county_rep",), ""),
]


def _case(role, name, args, query):
    return pytest.param(role, name, args, query, id=f"{role}-{name.split(':')[1]}{'-' + query if query else ''}")


def _measure(world, client, role, name, args, query) -> tuple[int, int, int]:
    client.force_login(world.users[role])
    url = reverse(name, args=[world.ids[arg] for arg in args])
    response = client.get(f"{url}?{query}" if query else url)
    assert response.status_code == 200, url
    html = response.content.decode()
    rows, options, size = len(ROW.findall(html)), len(OPTION.findall(html)), len(response.content)
    print(f"BOUNDS {role:15} {name:40} {query:20} rows={rows:5} options={options:6} KB={size // 1024:5}")
    return rows, options, size


@pytest.mark.django_db
@pytest.mark.parametrize("role, name, args, query", [_case(*page) for page in PAGES])
def test_list_page_is_bounded(world, client, role, name, args, query):
    rows, options, size = _measure(world, client, role, name, args, query)
    assert rows <= MAX_ROWS, f"{rows} rows"
    assert size <= HTML_BOUND, f"{size // 1024} KB"
    assert options <= MAX_OPTIONS, f"{options} <option>s"


def test_the_fixture_is_a_slice_of_a_province(world):
    from representatives.models import Representative

    assert Station.objects.count() >= 300
    assert Representative.objects.count() >= 1000
