"""Reception pages issue the same number of queries however many days, visits or messages they show:
the month calendar, a reception day, the logging page, the visit list, my duties, and the inbox."""

import datetime

from django.urls import reverse
from django.utils import timezone

from liaison import services as liaison_services
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.voters.reception_helpers import make_day, rep_with_account
from voters.services import visits as services


def add_days(network, rep, how_many, *, start=0):
    month_start = timezone.localdate().replace(day=1)
    days = []
    for i in range(start, start + how_many):
        day = make_day(
            network.station_a if i % 2 else network.point_a, month_start + datetime.timedelta(days=i % 27), rep
        )
        days.append(day)
    return days


def add_visits(user, day, how_many, *, start=0):
    for i in range(start, start + how_many):
        services.visit_log(
            actor=user,
            day_id=day.pk,
            phone=f"1390000{i:04d}" if i % 3 else "",
            name=f"选民{i}" if i % 3 else "",
            items=["事项一", "事项二"],
            received_by_id=None,
            outcome="settled" if i % 2 else "follow_up",
        )


def test_calendar_queries_do_not_grow_with_days(network, client_for):
    rep = rep_with_account(network, "rep1")
    add_days(network, rep, 2)
    for role in ("county", "officer"):
        client = client_for(network.users[role])
        url = reverse("voters:reception_calendar")
        small, response = count_queries(client, url)
        before = len(response.context["days"])
        add_days(network, rep, 20, start=100 if role == "county" else 200)
        large, response = count_queries(client, url)
        assert len(response.context["days"]) == before + 20
        assert large == small


def test_visit_list_day_and_log_pages_do_not_grow_with_visits(network, client_for):
    rep = rep_with_account(network, "", user=network.users["representative"])
    day = make_day(network.station_a, timezone.localdate(), rep)
    officer = network.users["officer"]
    add_visits(officer, day, 1)
    for role in ("officer", "county", "representative"):
        client = client_for(network.users[role])
        for url in (
            reverse("voters:visit_list"),
            reverse("voters:reception_detail", args=[day.pk]),
            reverse("voters:reception_log", args=[day.pk]),
        ):
            small, _response = count_queries(client, url)
            add_visits(officer, day, 6, start=100 * len(url) + hash(role) % 50)
            large, _response = count_queries(client, url)
            assert large == small, (role, url)


def test_my_duties_and_inbox_do_not_grow(network, client_for):
    rep = rep_with_account(network, "", user=network.users["representative"])
    user = network.users["representative"]
    client = client_for(user)
    for i in range(2):
        liaison_services.notify(recipient=user, kind="t", key=f"k{i}", title="提醒")
    future = timezone.localdate() + datetime.timedelta(days=3)
    make_day(network.station_a, future, rep)
    make_day(network.station_a, timezone.localdate() - datetime.timedelta(days=1), rep)  # a day to log
    waiting = reverse("voters:reception_list") + "?waiting="
    urls = [reverse("voters:reception_mine"), reverse("liaison:inbox"), "/", waiting + "to_answer", waiting + "to_log"]
    small = [count_queries(client, url)[0] for url in urls]
    for i in range(2, 20):
        liaison_services.notify(recipient=user, kind="t", key=f"k{i}", title="提醒")
        make_day(network.station_a, future + datetime.timedelta(days=i), rep)
        make_day(network.station_a, timezone.localdate() - datetime.timedelta(days=i + 1), rep)
    large = [count_queries(client, url)[0] for url in urls]
    assert large == small
