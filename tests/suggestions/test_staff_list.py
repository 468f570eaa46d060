"""The staff list: scoped to the user's stations, filtered (status, kind, category, station,
overdue, due soon, period, code or title), contacts masked, bad filters ignored (never a 500)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from suggestions.models import Category, Suggestion
from tests.suggestions.staff_helpers import make_suggestion


def titles(response):
    return {s.title for s in response.context["suggestions"]}


def test_the_list_shows_the_users_stations_only_with_phones_masked(network, client_for):
    mine = make_suggestion(network, title="甲镇的事", contact_phone="13812345678")
    make_suggestion(network, station=network.station_b, title="乙乡的事")
    response = client_for(network.users["officer"]).get(reverse("suggestions:list"))
    assert titles(response) == {"甲镇的事"}
    page = response.content.decode()
    assert "13812345678" not in page and "138****5678" in page
    assert mine.code in page
    county = client_for(network.users["county"]).get(reverse("suggestions:list"))
    assert titles(county) == {"甲镇的事", "乙乡的事"}
    assert "13812345678" not in county.content.decode()


def test_filters(network, client_for):
    today = timezone.localdate()
    other_category = Category.objects.create(name="教育医疗测试", position=99)
    make_suggestion(network, title="逾期", status="assigned", due_on=today - datetime.timedelta(days=1))
    make_suggestion(network, title="快到期", status="assigned", due_on=today + datetime.timedelta(days=3))
    make_suggestion(network, title="不急", status="assigned", due_on=today + datetime.timedelta(days=30))
    proposal = make_suggestion(network, title="代表的建议", kind="proposal", category=other_category)
    make_suggestion(network, title="点上的事", station=network.point_a)
    old = make_suggestion(network, title="去年的事")
    Suggestion.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=400))
    client = client_for(network.users["officer"])
    url = reverse("suggestions:list")
    assert titles(client.get(url + "?overdue=true")) == {"逾期"}
    assert titles(client.get(url + "?due_soon=true")) == {"快到期"}
    assert titles(client.get(url + "?status=assigned")) == {"逾期", "快到期", "不急"}
    assert titles(client.get(url + "?kind=proposal")) == {"代表的建议"}
    assert titles(client.get(url + f"?category={other_category.pk}")) == {"代表的建议"}
    assert titles(client.get(url + f"?station={network.point_a.pk}")) == {"点上的事"}
    assert titles(client.get(url + f"?q={proposal.code.lower()}")) == {"代表的建议"}
    assert titles(client.get(url + "?q=到期")) == {"快到期"}
    since = (today - datetime.timedelta(days=30)).isoformat()
    assert "去年的事" not in titles(client.get(url + f"?submitted_after={since}"))
    assert titles(client.get(url + f"?submitted_before={since}")) == {"去年的事"}


def test_bad_filters_are_ignored_with_a_note(network, client_for):
    make_suggestion(network, title="甲镇的事")
    client = client_for(network.users["officer"])
    for query in (
        "?status=<script>",
        f"?station={network.station_b.pk}",
        "?station=99999999999999999999999",
        "?submitted_after=2024-13-45",
        "?overdue=perhaps&page=abc",
        "?q=" + "长" * 500,
    ):
        response = client.get(reverse("suggestions:list") + query)
        assert response.status_code == 200, query


def test_many_stations_make_the_station_filter_a_search_field(network, client_for):
    from liaison import services

    for i in range(51):
        services.station_create(
            actor=network.users["superuser"],
            name=f"甲村联络点{i}",
            kind="point",
            division=network.village_a,
            parent=network.station_a,
            slug=f"p{i}",
        )
    response = client_for(network.users["township"]).get(reverse("suggestions:list"))
    assert response.context["filter"].station_is_search
    assert 'data-testid="search-choice-station"' in response.content.decode()
    found = client_for(network.users["township"]).get(reverse("suggestions:staff_station_search") + "?q=联络点1")
    assert "甲村联络点1" in found.content.decode()
