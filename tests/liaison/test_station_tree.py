"""The station tree at scale: the top levels first, a node's stations fetched when it is opened
(htmx), a flat paged list with each station's path when filtered or searched by name."""

from django.urls import reverse

from liaison import services
from liaison.models import Division
from tests.perf.test_station_and_roster_page_queries import add_points


def test_the_tree_renders_the_top_and_opens_a_node_on_demand(network, client_for):
    client = client_for(network.users["county"])
    response = client.get(reverse("liaison:station_tree"))
    html = response.content.decode()
    assert [s.name for s in response.context["stations"]] == ["县联络总站"]
    assert response.context["station_count"] == 6
    children_url = reverse("liaison:station_children", args=[network.general.pk])
    assert f'hx-get="{children_url}"' in html
    assert "甲村联络点" not in html  # not rendered until its branch is opened
    opened = client.get(children_url)
    rows = opened.content.decode()
    # The node's own row comes back opened, followed by the stations under it, each openable.
    assert rows.index("县联络总站") < rows.index("甲镇联络站") < rows.index("乙乡联络站")
    assert 'data-testid="station-opened"' in rows
    assert reverse("liaison:station_children", args=[network.station_a.pk]) in rows
    deeper = client.get(reverse("liaison:station_children", args=[network.station_a.pk])).content.decode()
    assert "甲村联络点" in deeper and "甲镇城区联络站" in deeper


def test_a_node_with_many_stations_pages_them(network, client_for):
    client = client_for(network.users["county"])
    add_points(network, 130, township="b")
    url = reverse("liaison:station_children", args=[network.station_b.pk])
    first = client.get(url)
    assert len(first.context["stations"]) == 100
    html = first.content.decode()
    assert 'data-testid="station-more"' in html and f"{url}?page=2" in html
    second = client.get(f"{url}?page=2")
    assert len(second.context["stations"]) == 31
    assert 'data-testid="station-opened"' not in second.content.decode()  # the node's row only once
    # Without scripts the link opens the station's page, whose list of stations under it is paged too.
    detail = client.get(reverse("liaison:station_detail", args=[network.station_b.pk]))
    assert detail.context["page_obj"].paginator.count == 131
    assert len(detail.context["children"]) == 100


def test_search_by_name_finds_a_deep_station_with_its_path(network, client_for):
    village = services.division_create(name="深村", kind=Division.Kind.VILLAGE, parent=network.township_a)
    services.station_create(
        actor=network.users["superuser"],
        name="深处联络点",
        kind="point",
        division=village,
        parent=network.station_a_town,
        slug="deep",
    )
    client = client_for(network.users["county"])
    response = client.get(reverse("liaison:station_tree"), {"q": "深处"})
    assert [s.name for s in response.context["stations"]] == ["深处联络点"]
    html = response.content.decode()
    assert "县联络总站 › 甲镇联络站 › 甲镇城区联络站" in html
    # The officer of another township finds nothing outside their scope.
    b_officer = network.users["township"]
    assert client_for(b_officer).get(reverse("liaison:station_tree"), {"q": "乙"}).context["station_count"] == 0


def test_odd_input_on_the_tree_is_not_an_error(network, client_for):
    client = client_for(network.users["county"])
    for params in ({"q": "x" * 500}, {"page": "-1"}, {"page": "九"}, {"q": "\u202e"}, {"inactive": "1", "page": "99"}):
        assert client.get(reverse("liaison:station_tree"), params).status_code == 200, params


def test_the_township_dropdown_is_left_out_past_its_bound(network, client_for, monkeypatch):
    from liaison import views

    client = client_for(network.users["county"])
    url = reverse("liaison:station_tree")
    assert 'name="township"' in client.get(url).content.decode()
    monkeypatch.setattr(views, "TOWNSHIP_CHOICES", 1)  # two townships: one too many
    html = client.get(url).content.decode()
    assert 'id="township"' not in html
    # A township filter arriving from a link still applies, and is kept by the form.
    response = client.get(url, {"township": network.township_b.pk})
    assert {s.name for s in response.context["stations"]} == {"乙乡联络站", "乙村联络点"}
    assert f'name="township" value="{network.township_b.pk}"' in response.content.decode()
