"""The voter and household lists, the grid's pages and the visit log issue the same number of
queries whatever the number of rows they show."""

import datetime

from django.urls import reverse

from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative
from tests.voters.factories import link_households, make_household, make_voter
from voters.services import grid


def add_voters(network, how_many, *, start=0):
    stations = [network.station_a, network.point_a, network.station_a_town]
    households = [make_household(network), None]
    for i in range(start, start + how_many):
        make_voter(
            network,
            name=f"选民{i}",
            station=stations[i % 3],
            division=network.village_a if i % 2 else None,
            household=households[i % 2],
        )


def test_voter_list_queries_do_not_grow_with_voters(network, client_for):
    for role in ("county", "officer"):
        client = client_for(network.users[role])
        add_voters(network, 1, start=0 if role == "county" else 100)
        small, response = count_queries(client, reverse("voters:voter_list"))
        add_voters(network, 29, start=1 if role == "county" else 101)
        large, response = count_queries(client, reverse("voters:voter_list"))
        assert len(response.context["voters"]) > 1
        assert small == large, role


def test_household_list_queries_do_not_grow_with_households(network, client_for):
    client = client_for(network.users["county"])
    rep = make_representative(network, name="镇代表")
    link_households(network, rep, 1)
    small, _response = count_queries(client, reverse("voters:household_list"))
    link_households(network, rep, 15)
    for _i in range(15):
        make_household(network)
    large, response = count_queries(client, reverse("voters:household_list"))
    assert len(response.context["households"]) == 31
    assert small == large


def grid_of(network, county_reps, township_reps_each, households_each, *, start=0):
    county = network.users["county"]
    for c in range(county_reps):
        county_rep = make_representative(network, name=f"县代表{start + c}", level="county")
        for t in range(township_reps_each):
            rep = make_representative(network, name=f"镇代表{start + c}-{t}")
            grid.grid_link_add(actor=county, county_representative=county_rep, township_representative=rep)
            households = link_households(network, rep, households_each)
            grid.household_visit_log(
                actor=county, household=households[0], representative=rep, visited_on=datetime.date(2026, 3, 1)
            )
            if t == 0:
                last_rep = rep
        last_county = county_rep
    return last_county, last_rep


def test_grid_pages_queries_do_not_grow_with_the_grid(network, client_for):
    client = client_for(network.users["township"])
    county_rep, township_rep = grid_of(network, 1, 1, 1)
    make_household(network)
    urls = lambda: [  # noqa: E731
        reverse("voters:grid_coverage"),
        reverse("voters:grid_township", args=[network.township_a.pk]),
        reverse("voters:grid_representative", args=[county_rep.pk]),
        reverse("voters:grid_representative", args=[township_rep.pk]),
        reverse("voters:grid_visit_list"),
    ]
    small = [count_queries(client, url)[0] for url in urls()]
    county_rep, township_rep = grid_of(network, 2, 4, 3, start=10)
    for _i in range(5):
        make_household(network)
    make_representative(network, name="未挂钩代表")
    large = [count_queries(client, url)[0] for url in urls()]
    assert small == large
