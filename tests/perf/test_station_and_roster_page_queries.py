"""List pages issue the same number of queries however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison import services
from liaison.models import Division


def add_points(network, how_many, *, start=0, township="a"):
    """Points with villages of their own; every other one with an officer named."""
    admin = network.users["superuser"]
    parent = network.station_a if township == "a" else network.station_b
    for i in range(start, start + how_many):
        village = services.division_create(name=f"村{i}", kind=Division.Kind.VILLAGE, parent=parent.division)
        services.station_create(
            actor=admin,
            name=f"测试联络点{i}",
            kind="point",
            division=village,
            parent=parent,
            slug=f"p-{i}",
            officer=network.users["officer"] if i % 2 else None,
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_station_tree_queries_do_not_grow_with_stations(network, client_for):
    client = client_for(network.users["county"])
    url = reverse("liaison:station_tree")
    children = reverse("liaison:station_children", args=[network.station_b.pk])
    searched = f"{url}?q=测试联络点"
    add_points(network, 4)  # 10 stations in all
    small, response = count_queries(client, url)
    assert response.context["station_count"] == 10
    small_children, response = count_queries(client, children)
    assert len(response.context["stations"]) == 1
    small_search, response = count_queries(client, searched)
    assert response.context["page_obj"].paginator.count == 4
    add_points(network, 190, start=4, township="b")
    large, response = count_queries(client, url)
    assert response.context["station_count"] == 200
    assert len(response.context["stations"]) == 1  # the county general station: the rest opens on demand
    large_children, response = count_queries(client, children)
    assert len(response.context["stations"]) == 100  # a page of the 191 under it
    large_search, response = count_queries(client, searched)
    assert response.context["page_obj"].paginator.count == 194
    assert len(response.context["stations"]) == 100
    assert (small, small_children, small_search) == (large, large_children, large_search)


def test_station_detail_and_dashboard_queries_are_constant(network, client_for):
    client = client_for(network.users["county"])
    detail = reverse("liaison:station_detail", args=[network.station_a.pk])
    small_detail, _ = count_queries(client, detail)
    small_dash, _ = count_queries(client, reverse("liaison:dashboard"))
    add_points(network, 30)
    large_detail, _ = count_queries(client, detail)
    large_dash, _ = count_queries(client, reverse("liaison:dashboard"))
    assert small_detail == large_detail
    assert small_dash == large_dash


def test_inbox_queries_are_constant(network, client_for):
    user = network.users["officer"]
    client = client_for(user)
    services.notify(recipient=user, kind="t", key="n-0", title="消息")
    small, _ = count_queries(client, reverse("liaison:inbox"))
    for i in range(1, 40):
        services.notify(recipient=user, kind="t", key=f"n-{i}", title="消息")
    large, _ = count_queries(client, reverse("liaison:inbox"))
    assert small == large


def test_roster_queries_do_not_grow_with_representatives(network, client_for):
    from tests.representatives.factories import make_representative

    client = client_for(network.users["county"])
    url = reverse("representatives:list")
    for i in range(10):
        make_representative(network, name=f"代表{i}", specialties=["农业", "法律"])
    small, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 10
    for i in range(10, 1000):
        station = network.station_b if i % 2 else network.station_a
        make_representative(network, name=f"代表{i}", station=station, specialties=["教育"])
    large, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 1000
    assert small == large


def test_representative_detail_queries_do_not_grow_with_history(network, client_for):
    from representatives.services import roster
    from tests.representatives.factories import make_representative

    client = client_for(network.users["county"])
    rep = make_representative(network)
    roster.representative_update(actor=network.users["county"], representative=rep, home_station=network.station_a_town)
    small, _ = count_queries(client, rep.get_absolute_url())
    for i in range(15):
        roster.representative_update(
            actor=network.users["county"],
            representative=rep,
            occupation=f"职务{i}",
            home_station=network.station_a_town if i % 2 else network.station_a,
        )
    large, _ = count_queries(client, rep.get_absolute_url())
    assert small == large
