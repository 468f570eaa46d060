"""Home pages and the correction list issue the same number of queries however many rows there are."""

import datetime

import pytest
from django.urls import reverse

from representatives.services import corrections as correction_services
from representatives.services import refresh as refresh_services
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register


def grow(network, reg, start, how_many):
    county = network.users["county"]
    for i in range(start, start + how_many):
        rep = make_representative(
            network,
            name=f"进城代表{i}",
            residence=reg.community,
            station=network.station_a if i % 2 else network.station_a_town,
        )
        correction = correction_services.correction_request(
            actor=county, representative=rep, proposed={"occupation": f"职务{i}"}
        )
        if i % 3 == 0:
            correction_services.correction_decide(actor=county, correction=correction, decision="reject", reason="不符")
        correction_services.correction_request(actor=county, representative=rep, message=f"请更正{i}")
    refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))


@pytest.mark.parametrize("role", ["officer", "township", "county", "representative"])
def test_home_page_queries_are_constant(network, client_for, role):
    reg = build_register(network)
    refresh_services.register_refresh_open(period_start=datetime.date(2025, 7, 1))
    user = network.users[role]
    client = client_for(user)
    correction_services.correction_request(actor=user, representative=reg.reps["乡甲进城"], message="请更正")
    small, _ = count_queries(client, reverse("liaison:dashboard"))
    grow(network, reg, 0, 25)
    large, response = count_queries(client, reverse("liaison:dashboard"))
    assert small == large
    if role != "representative":
        (open_corrections,) = [
            stat for panel in response.context["panels"] for stat in panel.stats if stat.label == "待处理更正申请"
        ]
        assert open_corrections.value > 25


def test_correction_list_queries_are_constant(network, client_for):
    reg = build_register(network)
    client = client_for(network.users["officer"])
    url = reverse("representatives:correction_list")
    grow(network, reg, 0, 2)
    small, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 4
    grow(network, reg, 2, 30)
    large, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 64
    assert small == large


@pytest.mark.parametrize("role", ["county", "officer"])
def test_the_dashboard_counts_unread_messages_once_for_its_panel_and_the_badge(network, client_for, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.models import Notification

    user = network.users[role]
    for i in range(3):
        Notification.objects.create(recipient=user, kind="test", key=f"unread-{role}-{i}", title=f"消息{i}")
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("liaison:dashboard"))
    unread_queries = [q for q in ctx.captured_queries if '"liaison_notification"' in q["sql"]]
    assert len(unread_queries) == 1
    (inbox,) = [stat for panel in response.context["panels"] for stat in panel.stats if stat.label == "未读消息"]
    assert inbox.value == 3
    assert b'data-testid="unread-count">3<' in response.content
    # Any other page still shows the badge (counted when the layout renders it).
    other = client.get(reverse("liaison:inbox"))
    assert b'data-testid="unread-count">3<' in other.content
