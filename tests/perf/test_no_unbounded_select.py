"""No page renders a <select> of every row: with 300 stations and 1,000 representatives, every page
with a choice of a station, a place, a representative, a household or a group renders at most 50
<option> elements (the choice is a search box: liaison.widgets)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from liaison import services
from liaison.models import Division
from representatives.models import Representative, RepresentativeGroup
from representatives.services import roster
from tests.activities.helpers import make_activity
from tests.representatives.factories import make_representative
from tests.voters.factories import make_household, make_voter
from tests.voters.reception_helpers import make_day

MAX_OPTIONS = 50


def add_stations(network, how_many, start=0):
    """Points under stations A and B, each with a village of its own (so many places too)."""
    admin = network.users["superuser"]
    for i in range(start, start + how_many):
        parent = network.station_a if i % 2 else network.station_b
        village = services.division_create(name=f"规模村{i}", kind=Division.Kind.VILLAGE, parent=parent.division)
        services.station_create(
            actor=admin, name=f"规模联络点{i}", kind="point", division=village, parent=parent, slug=f"scale-{i}"
        )


def add_representatives(network, how_many):
    """Serving representatives written in bulk (their derived fields by the roster's own rule)."""
    reps = []
    for i in range(how_many):
        station = network.station_a if i % 2 else network.station_b
        township = network.township_a if i % 2 else network.township_b
        rep = Representative(
            name=f"规模代表{i}",
            gender="male",
            ethnicity="汉族",
            birth_year=1970,
            phone=str(14700000000 + i),
            level="township",
            congress=township,
            term="第十八届",
            electoral_district="规模选区",
            district_township=township,
            home_station=station,
            residence_division=township,
            residence_address="一号",
        )
        roster._derive(rep)
        reps.append(rep)
    Representative.objects.bulk_create(reps)


def option_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return len(re.findall(r"<option\b", response.content.decode()))


def test_no_page_renders_more_than_50_options_at_300_stations_and_1000_representatives(network, client_for):
    add_stations(network, 300 - 6)
    add_representatives(network, 1000)
    rep = make_representative(network, name="规模编辑")
    group = RepresentativeGroup.objects.create(name="规模组", station=network.station_a)
    voter = make_voter(network)
    household = make_household(network)
    activity = make_activity(network)
    day = make_day(network.station_a, timezone.localdate() + datetime.timedelta(days=10))
    pages = [
        reverse("representatives:list"),
        reverse("representatives:list") + f"?home_station={network.station_a.pk}",
        reverse("representatives:create"),
        reverse("representatives:update", args=[rep.pk]),
        reverse("representatives:register"),
        reverse("representatives:group_create"),
        reverse("representatives:group_detail", args=[group.pk]),
        reverse("representatives:group_update", args=[group.pk]),
        reverse("voters:voter_list"),
        reverse("voters:voter_create"),
        reverse("voters:voter_update", args=[voter.pk]),
        reverse("voters:household_list"),
        reverse("voters:household_create"),
        reverse("voters:household_update", args=[household.pk]),
        reverse("voters:grid_visit_create"),
        reverse("voters:reception_calendar"),
        reverse("voters:reception_schedule"),
        reverse("voters:reception_schedule") + f"?station={network.station_a.pk}",
        reverse("voters:reception_detail", args=[day.pk]),
        reverse("liaison:station_create"),
        reverse("liaison:station_update", args=[network.station_a.pk]),
        reverse("activities:create"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:update", args=[activity.pk]),
        reverse("activities:budget_set"),
    ]
    client = client_for(network.users["county"])
    counts = {url: option_count(client, url) for url in pages}
    assert {url: n for url, n in counts.items() if n > MAX_OPTIONS} == {}


def count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_search_endpoints_issue_the_same_queries_for_few_or_many_matches(network, client_for):
    client = client_for(network.users["county"])
    searches = [
        ("liaison:search_stations", {"q": "规模"}),
        ("liaison:search_divisions", {"q": "规模"}),
        ("liaison:search_representatives", {"q": "规模"}),
    ]
    add_stations(network, 3)
    add_representatives(network, 3)
    few = [count_queries(client, reverse(name), params) for name, params in searches]
    add_stations(network, 40, start=3)
    Representative.objects.filter(name__startswith="规模代表").delete()
    add_representatives(network, 40)
    many = [count_queries(client, reverse(name), params) for name, params in searches]
    assert few == many
