"""One instance for many counties: derivations by kind at province depth, and county isolation.

The fixture (tests/province.py) is province > city > two counties. County staff on one county see
that county's subtree only; staff on the city or the province see their subtree; another
county's object is a 404 on every page with an id, and no list shows another county's rows.
"""

import pytest
from django.urls import reverse

from liaison import access
from liaison.models import Division
from representatives.models import ImportBatch, MobileRegisterEntry, Representative, RepresentativeGroup
from tests.province import build_province


@pytest.fixture
def prov(db):
    return build_province()


# --- Derivations by kind ----------------------------------------------------------------------


def test_township_and_county_are_found_by_kind_at_any_depth(prov):
    east = prov.east
    fresh = Division.objects.get  # no cached parent: the kinds come from the database
    assert fresh(pk=east.village.pk).township_id() == east.township.pk
    assert fresh(pk=east.township.pk).township_id() == east.township.pk
    assert fresh(pk=east.county.pk).township_id() is None
    assert fresh(pk=prov.city.pk).township_id() is None
    assert fresh(pk=prov.province.pk).township_id() is None
    assert fresh(pk=east.village.pk).county_id() == east.county.pk
    assert fresh(pk=east.township.pk).county_id() == east.county.pk
    assert fresh(pk=east.county.pk).county_id() == east.county.pk
    assert fresh(pk=prov.city.pk).county_id() is None


def test_a_single_county_tree_still_derives_the_same(network):
    assert Division.objects.get(pk=network.village_a.pk).township_id() == network.township_a.pk
    assert Division.objects.get(pk=network.township_a.pk).county_id() == network.county.pk
    assert network.county.township_id() is None


def test_representatives_derive_mobility_and_congress_at_province_depth(prov):
    east = prov.east
    east.at_home.refresh_from_db()
    assert east.at_home.is_mobile is False
    assert east.at_home.congress_id == east.township.pk
    east.county_rep.refresh_from_db()
    assert east.county_rep.congress_id == east.county.pk  # the county's congress, not the province
    assert east.county_rep.is_mobile is False
    east.mobile.refresh_from_db()
    assert east.mobile.is_mobile is True
    entry = prov.entry(east.mobile)
    assert (entry.origin_station, entry.host_station) == (east.station, east.station2)
    assert not MobileRegisterEntry.objects.filter(representative=east.at_home).exists()
    crossing = prov.entry(prov.crossing)
    assert (crossing.origin_station, crossing.host_station) == (east.station, prov.west.station)


# --- Access tables ----------------------------------------------------------------------------


def _names(queryset):
    return set(queryset.values_list("name", flat=True))


EAST_STATIONS = {"东县总站", "东镇站", "东村点", "东乡站"}
WEST_STATIONS = {"西县总站", "西镇站", "西村点", "西乡站"}
EAST_REPS = {"东在家", "东县代表", "东外出", "东迁西"}
WEST_REPS = {"西在家", "西县代表", "西外出"}


@pytest.mark.parametrize(
    ("user", "stations", "representatives", "whole_instance"),
    [
        ("superuser", EAST_STATIONS | WEST_STATIONS, EAST_REPS | WEST_REPS, True),
        ("province", EAST_STATIONS | WEST_STATIONS, EAST_REPS | WEST_REPS, True),
        ("city", EAST_STATIONS | WEST_STATIONS, EAST_REPS | WEST_REPS, False),
        ("east", EAST_STATIONS, EAST_REPS, False),
        ("west", WEST_STATIONS, WEST_REPS, False),
        ("east_town", {"东镇站", "东村点"}, EAST_REPS, False),
        ("east_officer", {"东镇站", "东村点"}, EAST_REPS, False),
    ],
)
def test_scopes_at_province_depth(prov, user, stations, representatives, whole_instance):
    who = prov.users[user]
    assert _names(access.stations_visible(who)) == stations
    assert _names(access.representatives_visible(who)) == representatives
    assert _names(access.representatives_changeable(who)) == representatives
    assert access.is_county_wide(who) is whole_instance
    divisions = _names(access.divisions_visible(who))
    if user in ("east", "west"):
        side = prov.east if user == "east" else prov.west
        assert divisions == {side.county.name, side.township.name, side.village.name, side.township2.name,
                             side.village2.name}  # fmt: skip


def test_register_entries_are_held_by_origin_and_host_county_only(prov):
    east, west = prov.east, prov.west
    east_entries = set(access.register_entries_visible(prov.users["east"]))
    west_entries = set(access.register_entries_visible(prov.users["west"]))
    assert prov.entry(east.mobile) in east_entries and prov.entry(east.mobile) not in west_entries
    assert prov.entry(west.mobile) in west_entries and prov.entry(west.mobile) not in east_entries
    # The one who moved across counties is held by both: origin and host (dual management).
    assert prov.entry(prov.crossing) in east_entries and prov.entry(prov.crossing) in west_entries


def test_county_staff_may_set_up_a_general_station_in_their_own_county_only(prov):
    from django.core.exceptions import ValidationError

    from liaison import services

    east = prov.users["east"]
    station = services.station_create(
        actor=east, name="东县第二总站", kind="general", division=prov.east.county, slug="east-general-2"
    )
    assert station.pk
    with pytest.raises(ValidationError) as excinfo:
        services.station_create(actor=east, name="越界总站", kind="general", division=prov.west.county, slug="x-g")
    assert "division" in excinfo.value.message_dict


def test_a_staff_member_who_is_also_a_representative_elsewhere_still_sees_their_own_record(prov):
    from tests.factories import UserFactory, grant

    officer = UserFactory(username="west_officer")
    grant(officer, access.Role.STATION_OFFICER, station=prov.west.station)
    # (The linking service refuses an account with another role; the record may predate the role.)
    Representative.objects.filter(pk=prov.east.at_home.pk).update(user=officer)
    visible = _names(access.representatives_visible(officer))
    assert visible == WEST_REPS | {"东在家"}
    assert "东在家" not in _names(access.representatives_changeable(officer))


# --- Isolation on every page --------------------------------------------------------------------


def _id_pages(side, prov):
    """Every page with an id that shows or changes one of this county's objects."""
    group = RepresentativeGroup.objects.get(station=side.station)
    batch = ImportBatch.objects.get(file_name=f"{side.county.name}.xlsx")
    entry = prov.entry(side.mobile)
    pages = []
    for station in (side.general, side.station, side.point, side.station2):
        pages += [reverse("liaison:station_detail", args=[station.pk]),
                  reverse("liaison:station_update", args=[station.pk])]  # fmt: skip
    for rep in (side.at_home, side.mobile, side.county_rep):
        pages += [
            reverse(f"representatives:{name}", args=[rep.pk])
            for name in ("detail", "update", "end_service", "link_user")
        ]
    pages += [reverse(f"representatives:{name}", args=[entry.pk])
              for name in ("register_detail", "register_update", "register_verify")]  # fmt: skip
    pages += [reverse(f"representatives:{name}", args=[group.pk])
              for name in ("group_detail", "group_update", "group_members")]  # fmt: skip
    pages += [reverse(f"representatives:{name}", args=[batch.pk])
              for name in ("import_detail", "import_confirm", "import_resolve", "import_progress")]  # fmt: skip
    return pages


@pytest.mark.parametrize(("user", "other"), [("east", "west"), ("west", "east")])
def test_another_countys_objects_are_404_on_every_page_with_an_id(prov, client_for, user, other):
    client = client_for(prov.users[user])
    for url in _id_pages(getattr(prov, other), prov):
        response = client.get(url)
        if response.status_code == 405:  # a POST-only action
            response = client.post(url, {})
        assert response.status_code == 404, url
    # ... while the user's own county's pages open (imports are the uploader's own).
    own = getattr(prov, user)
    for url in _id_pages(own, prov):
        if "/import/" in url:
            continue  # the uploader's own (another user's upload is a 404 even in one county)
        assert client.get(url).status_code in (200, 405), url


WEST_ONLY = ("西在家", "西县代表", "西外出", "西村点", "西乡站", "西县总站", "西县代表小组", "西县.xlsx")
LIST_PAGES = [
    "liaison:station_tree",
    "liaison:dashboard",
    "representatives:list",
    "representatives:register",
    "representatives:group_list",
    "representatives:mobility_report",
    "representatives:import",
]


@pytest.mark.parametrize("page", LIST_PAGES)
def test_lists_do_not_show_another_countys_rows(prov, client_for, page):
    client = client_for(prov.users["east"])
    html = client.get(reverse(page)).content.decode()
    # (西镇站 may show: it hosts 东迁西, who moved there from 东县, on the register.)
    for name in WEST_ONLY:
        assert name not in html, (page, name)


def test_city_staff_see_both_counties_in_the_lists(prov, client_for):
    html = client_for(prov.users["city"]).get(reverse("representatives:list")).content.decode()
    assert "西在家" in html and "东在家" in html
    assert Representative.objects.count() == 7


def test_a_representative_living_in_the_county_itself_is_hosted_by_that_countys_general_station(prov):
    from representatives.services.mobile_register import host_station_for

    assert host_station_for(prov.west.county) == prov.west.general
    assert host_station_for(prov.east.county) == prov.east.general


def test_an_imported_county_representative_belongs_to_the_county_congress_at_province_depth(prov):
    from representatives import tasks
    from representatives.services import imports
    from tests.representatives.import_helpers import row, xlsx_bytes

    east, admin = prov.east, prov.users["east"]
    data = xlsx_bytes(
        [
            row(
                姓名="东县新代表",
                代表层级="县",
                选区="东镇选区",
                所属联络站=east.station.name,
                居住地="东村",
                居住地址="东村 1 号",
                手机号码="13911112222",
            )
        ]
    )
    batch = imports.import_upload(actor=admin, name="东县.xlsx", data=data)
    batch.refresh_from_db()
    assert batch.counts["new"] == 1, batch.report
    imports.import_confirm(actor=admin, batch=batch)
    tasks.import_apply(batch.pk)  # what the worker runs, called in-process
    rep = Representative.objects.get(name="东县新代表")
    assert rep.congress_id == east.county.pk


def test_the_mobility_report_of_several_counties_has_a_row_per_county_that_opens_its_townships(prov, client_for):
    from representatives.selectors.reports import mobility_report

    url = reverse("representatives:mobility_report")
    client = client_for(prov.users["province"])
    response = client.get(url)
    report = response.context["report"]
    assert report["by_county"]
    rows = {(row.level, row.township): row.total for section in report["sections"] for row in section.rows}
    assert {name for _, name in rows} == {"东县", "西县"}
    # The same figures as the townships add up to, county by county.
    east = mobility_report(user=prov.users["province"], county_id=prov.east.county.pk)
    assert not east["by_county"] and east["county"]["name"] == "东县"
    assert east["total"].total == sum(total for (_, name), total in rows.items() if name == "东县")
    assert {row.township for section in east["sections"] for row in section.rows} <= {"东镇", "东乡"}
    html = response.content.decode()
    assert f"?county={prov.east.county.pk}" in html
    opened = client.get(url, {"county": prov.east.county.pk})
    assert opened.context["report"]["total"].total == east["total"].total
    # One county's staff see their townships, as before; another county's id shows them nothing.
    own = client_for(prov.users["east"]).get(url).context["report"]
    assert not own["by_county"] and own["total"].total == east["total"].total
    other = client_for(prov.users["east"]).get(url, {"county": prov.west.county.pk})
    assert other.context["report"]["total"].total == 0 and "西县" not in other.content.decode()


def test_the_mobility_report_of_several_counties_is_kept_a_few_minutes_and_says_when_it_was_counted(
    prov, client_for, settings
):
    settings.MOBILITY_REPORT_CACHE_SECONDS = 300
    url = reverse("representatives:mobility_report")
    client = client_for(prov.users["province"])
    first = client.get(url, {"fresh": "1"})  # counted now (whatever an earlier run left in Redis)
    total = first.context["report"]["total"].total
    assert not first.context["report"]["from_cache"]
    html = first.content.decode()
    assert "跨多个县的报表最多每 5 分钟重新统计一次" in html and "立即重新统计" in html and "fresh=1" in html
    as_of = first.context["report"]["as_of"]
    assert f'data-testid="mobility-as-of">{as_of:%Y-%m-%d %H:%M}<' in html
    Representative.objects.filter(pk=prov.east.at_home.pk).update(
        status=Representative.Status.RESIGNED, status_date=as_of.date()
    )
    # Within the period the kept figures are shown, with the time they were counted...
    kept = client.get(url).context["report"]
    assert kept["from_cache"] and kept["total"].total == total and kept["as_of"] == as_of
    # ...and "recount now" counts afresh (and keeps the new figures).
    recounted = client.get(url, {"fresh": "1"}).context["report"]
    assert not recounted["from_cache"] and recounted["total"].total == total - 1
    assert client.get(url).context["report"]["total"].total == total - 1
    # One county's report (its own staff, or a county opened) is never kept.
    east = client_for(prov.users["east"]).get(url)
    assert not east.context["report"]["recount_minutes"] and "立即重新统计" not in east.content.decode()
    opened = client.get(url, {"county": prov.east.county.pk}).context["report"]
    assert not opened["from_cache"] and not opened["recount_minutes"]
