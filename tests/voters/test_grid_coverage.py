"""The 1+M+N grid on a known fixture: coverage numbers per township, linking rules, the visit log."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.representatives.factories import make_representative
from tests.voters.factories import link_households, make_household
from voters.models import GridLink, HouseholdLink, HouseholdVisit
from voters.selectors.grid import grid_coverage, household_visits_for_performance
from voters.services import grid


@pytest.fixture
def fixture(network):
    """Township A: county representatives c1 (links t1, t2, t3: in range) and c2 (links none:
    under); township representatives t1 (10 households: in range), t2 (2: under), t3 (21: over),
    t4 (none, and no county representative); 5 households linked to no one. Township B: 1
    household, unlinked."""
    county = network.users["county"]
    c1 = make_representative(network, name="县代表一", level="county")
    c2 = make_representative(network, name="县代表二", level="county")
    t = [make_representative(network, name=f"镇代表{i}") for i in range(1, 5)]
    for rep in t[:3]:
        grid.grid_link_add(actor=county, county_representative=c1, township_representative=rep)
    link_households(network, t[0], 10)
    link_households(network, t[1], 2)
    link_households(network, t[2], 21)
    for _i in range(5):
        make_household(network)
    make_household(network, station=network.station_b)
    return {"c1": c1, "c2": c2, "t": t}


def test_coverage_numbers_per_township(network, fixture):
    rows = {row.township.name: row for row in grid_coverage(user=network.users["county"])}
    a, b = rows["甲镇"], rows["乙乡"]
    assert (a.households, a.households_unlinked, a.households_linked, a.percent_linked) == (38, 5, 33, 87)
    assert a.township_reps == 4
    assert [r["name"] for r in a.township_reps_under] == ["镇代表2", "镇代表4"]
    assert [(r["name"], r["n"]) for r in a.township_reps_over] == [("镇代表3", 21)]
    assert a.township_reps_unlinked == 1
    assert a.county_reps == 2
    assert [r["name"] for r in a.county_reps_under] == ["县代表二"]
    assert a.county_reps_over == []
    assert (b.households, b.households_unlinked, b.township_reps) == (1, 1, 0)


def test_the_coverage_report_shows_the_numbers(network, fixture, client_for):
    html = client_for(network.users["township"]).get(reverse("voters:grid_coverage")).content.decode()
    assert "乙乡" not in html  # another township is not in their report
    assert 'data-testid="unlinked-households">5<' in html
    assert 'data-testid="township-over">1<' in html
    assert 'data-testid="county-under">1<' in html


def test_ranges_come_from_settings(network, fixture, settings):
    settings.GRID_RANGES = {"township_per_county": (1, 2), "households_per_township": (2, 30)}
    row = next(r for r in grid_coverage(user=network.users["county"]) if r.township.name == "甲镇")
    assert [r["name"] for r in row.township_reps_under] == ["镇代表4"]
    assert row.township_reps_over == []
    assert [r["name"] for r in row.county_reps_over] == ["县代表一"]


def test_linking_beyond_the_range_warns_but_links(network, fixture):
    extra = make_representative(network, name="镇代表5")
    c1, county = fixture["c1"], network.users["county"]
    grid.grid_link_add(actor=county, county_representative=c1, township_representative=fixture["t"][3])
    grid.grid_link_add(actor=county, county_representative=c1, township_representative=extra)
    sixth = make_representative(network, name="镇代表6")
    warning = grid.grid_link_add(actor=county, county_representative=c1, township_representative=sixth)
    assert "6" in warning
    assert GridLink.objects.filter(county_representative=c1).count() == 6


def test_a_township_representative_has_one_county_representative(network, fixture):
    with pytest.raises(ValidationError) as info:
        grid.grid_link_add(
            actor=network.users["county"], county_representative=fixture["c2"], township_representative=fixture["t"][0]
        )
    assert "县代表一" in str(info.value)


def test_levels_and_townships_must_fit(network, fixture):
    county = network.users["county"]
    other = make_representative(network, name="乙代表", station=network.station_b)
    with pytest.raises(ValidationError):  # another township's representative
        grid.grid_link_add(actor=county, county_representative=fixture["c1"], township_representative=other)
    with pytest.raises(ValidationError):  # a county representative is not a township one
        grid.grid_link_add(actor=county, county_representative=fixture["c1"], township_representative=fixture["c2"])
    household_b = make_household(network, station=network.station_b)
    with pytest.raises(ValidationError):  # a household of another township
        grid.household_link_add(actor=county, representative=fixture["t"][3], household=household_b)


def test_a_household_has_one_representative(network, fixture):
    household = HouseholdLink.objects.filter(representative=fixture["t"][0]).first().household
    with pytest.raises(ValidationError) as info:
        grid.household_link_add(actor=network.users["county"], representative=fixture["t"][3], household=household)
    assert "镇代表1" in str(info.value)


def test_assignment_page_links_and_removes_a_household(network, fixture, client_for):
    household = make_household(network, head_name="新户主")
    client = client_for(network.users["officer"])
    url = reverse("voters:grid_representative", args=[fixture["t"][3].pk])
    response = client.post(url, {"household": household.pk})
    assert response.status_code == 302
    link = HouseholdLink.objects.get(household=household)
    assert link.representative == fixture["t"][3] and link.created_by == network.users["officer"]
    assert "新户主" in client.get(url).content.decode()
    assert client.post(url, {"remove": link.pk}).status_code == 302
    assert not HouseholdLink.objects.filter(pk=link.pk).exists()


def test_assignment_page_refuses_bad_input_in_chinese(network, fixture, client_for):
    client = client_for(network.users["officer"])
    url = reverse("voters:grid_representative", args=[fixture["c2"].pk])
    for value in ["", "abc", "99999999999999999999999", str(fixture["c1"].pk)]:
        response = client.post(url, {"township_representative": value})
        assert response.status_code == 200
    assert not GridLink.objects.filter(county_representative=fixture["c2"]).exists()
    response = client.post(url, {"township_representative": fixture["t"][3].pk})
    assert response.status_code == 302
    assert GridLink.objects.filter(county_representative=fixture["c2"]).count() == 1


def test_household_visit_log(network, fixture, client_for):
    household = HouseholdLink.objects.filter(representative=fixture["t"][0]).first().household
    client = client_for(network.users["officer"])
    today = timezone.localdate()
    data = {"household": household.pk, "representative": fixture["t"][0].pk, "visited_on": today, "note": "了解用水"}
    assert client.post(reverse("voters:grid_visit_create"), data).status_code == 302
    visit = HouseholdVisit.objects.get()
    assert (visit.household, visit.representative, visit.note, visit.created_by) == (
        household,
        fixture["t"][0],
        "了解用水",
        network.users["officer"],
    )
    future = dict(data, visited_on=today + datetime.timedelta(days=1))
    assert client.post(reverse("voters:grid_visit_create"), future).status_code == 200
    assert HouseholdVisit.objects.count() == 1
    assert "了解用水" in client.get(reverse("voters:grid_visit_list")).content.decode()
    seam = household_visits_for_performance(representative_ids=[fixture["t"][0].pk], start=today, end=today)
    assert list(seam) == [visit]


def test_a_representative_logs_a_visit_to_their_own_household_only(network, client_for):
    from representatives.services.roster import representative_link_user

    me = make_representative(network, name="本人代表")
    representative_link_user(actor=network.users["superuser"], representative=me, user=network.users["representative"])
    mine = link_households(network, me, 2)
    other = link_households(network, make_representative(network, name="别的代表"), 1)[0]
    client = client_for(network.users["representative"])
    url = reverse("voters:grid_mine")
    html = client.get(url).content.decode()
    assert mine[0].head_name in html
    assert f'value="{other.pk}"' not in html
    today = timezone.localdate()
    assert client.post(url, {"household": other.pk, "visited_on": today}).status_code == 200
    assert not HouseholdVisit.objects.exists()
    assert client.post(url, {"household": mine[1].pk, "visited_on": today, "note": "看望"}).status_code == 302
    visit = HouseholdVisit.objects.get()
    assert (visit.household, visit.representative, visit.created_by) == (mine[1], me, network.users["representative"])


@pytest.mark.parametrize(("role", "expected"), [("officer", 404), ("unit", 404), ("representative", 200)])
def test_my_households_page_is_for_representatives(network, client_for, role, expected):
    from representatives.services.roster import representative_link_user

    me = make_representative(network, name="本人代表")
    representative_link_user(actor=network.users["superuser"], representative=me, user=network.users["representative"])
    assert client_for(network.users[role]).get(reverse("voters:grid_mine")).status_code == expected
