"""Home pages: each role's page leads with what waits for them, and every number on it links to
a list showing exactly the rows it counts."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from liaison import services as network_services
from representatives.services import corrections as correction_services
from representatives.services import mobile_register as register_services
from representatives.services import refresh as refresh_services
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register

PERIOD = datetime.date(2025, 7, 1)  # due 2025-08-31: long past, still open


@pytest.fixture
def county_data(network):
    reg = build_register(network)
    campaign = refresh_services.register_refresh_open(period_start=PERIOD)
    county = network.users["county"]
    # One check-in verified by the town host; the others wait.
    checked_in = reg.entry("县甲进城社区")
    register_services.register_entry_update(actor=county, entry=checked_in, checked_in_on=datetime.date(2025, 3, 1))
    register_services.register_entry_verify(actor=county, entry=reg.entry("县甲进城社区"))
    # One confirmation done at station B.
    done = campaign.confirmations.filter(station=network.station_b).first()
    refresh_services.register_refresh_confirm(actor=county, confirmation=done)
    own = reg.reps["乡甲进城"]
    user = network.users["representative"]
    correction_services.correction_request(actor=user, representative=own, proposed={"occupation": "城东社区网格员"})
    answered = correction_services.correction_request(actor=user, representative=own, message="民族应为畲族")
    correction_services.correction_decide(actor=county, correction=answered, decision="reject", reason="以选举登记为准")
    other = make_representative(network, name="乙站代表", station=network.station_b, township=network.township_b)
    correction_services.correction_request(actor=county, representative=other, proposed={"phone": "13812345678"})
    for name in ("officer", "township", "county", "representative"):
        network_services.notify(recipient=network.users[name], kind="t", key=f"hello-{name}", title="你好")
    return reg, campaign


def stats(client):
    response = client.get(reverse("liaison:dashboard"))
    assert response.status_code == 200
    return [(panel.title, stat) for panel in response.context["panels"] for stat in panel.stats]


def rows_shown(client, url):
    """How many rows the linked page lists (all pages together)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    query = parse_qs(urlsplit(url).query)
    if query.get("late") == ["1"]:
        return len(context["progress"]["stations"])
    if urlsplit(url).path == reverse("liaison:station_tree"):
        return context["station_count"]
    if urlsplit(url).path == reverse("representatives:refresh_mine"):
        return 1 if context["confirmation"] else 0
    return context["page_obj"].paginator.count


@pytest.mark.parametrize("role", ["officer", "township", "county", "representative"])
def test_every_number_links_to_exactly_its_rows(network, county_data, client_for, role):
    client = client_for(network.users[role])
    numbers = [(title, stat) for title, stat in stats(client) if isinstance(stat.value, int)]
    assert numbers
    for title, stat in numbers:
        assert stat.url, f"{title} / {stat.label} is not a link"
        assert rows_shown(client, stat.url) == stat.value, f"{role}: {title} / {stat.label} ({stat.url})"


def test_the_officer_home_leads_with_the_work_waiting(network, county_data, client_for):
    client = client_for(network.users["officer"])
    response = client.get(reverse("liaison:dashboard"))
    panels = response.context["panels"]
    assert panels[0].title == "待办事项"
    labels = {stat.label: stat for stat in panels[0].stats}
    # Station A is the origin of four waiting entries; check-ins it hosts wait for verification.
    assert labels["待确认的登记信息"].value == 4
    assert labels["待确认的登记信息"].hint.startswith("已逾期")
    assert labels["待处理更正申请"].value == 1
    assert "待核实的报到" in labels
    page = response.content.decode()
    assert reverse("representatives:correction_list") + "?status=open" in page
    assert "lives_in_county_town=true" in page


def test_county_staff_see_the_late_stations(network, county_data, client_for):
    _reg, campaign = county_data
    client = client_for(network.users["county"])
    labels = {stat.label: stat for _title, stat in stats(client)}
    # Station A still has entries waiting; station B confirmed its only one.
    assert labels["更新逾期的联络站"].value == 1
    response = client.get(labels["更新逾期的联络站"].url)
    assert [row["station__name"] for row in response.context["progress"]["late_stations"]] == ["甲镇联络站"]
    assert "甲镇联络站（4 条待确认）" in response.content.decode()


def test_the_representative_home_shows_their_entry_and_their_requests(network, county_data, client_for):
    client = client_for(network.users["representative"])
    response = client.get(reverse("liaison:dashboard"))
    first = response.context["panels"][0]
    assert first.title == "我的履职信息"
    labels = {stat.label: stat.value for stat in first.stats}
    assert labels["待确认的登记信息"] == 1
    assert labels["待处理的更正申请"] == 1
    assert labels["已答复的更正申请"] == 1
    answered = client.get(reverse("representatives:correction_list") + "?status=resolved").content.decode()
    assert "未采纳" in answered
