"""Activity list, the attendance page and the funds report: queries do not grow with rows."""

import datetime

from django.urls import reverse
from django.utils import timezone

from liaison.activities.services import activities as activity_services
from liaison.activities.services import funds as fund_services
from tests.activities.helpers import local, make_activity
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative


def test_activity_list_queries_are_constant(network, client_for):
    client = client_for(network.users["county"])
    url = reverse("activities:list")
    a = make_activity(network)
    make_representative(network)
    activity_services.activity_invite(actor=network.users["superuser"], activity=a, stations=[network.station_a])
    client.get(url)  # the first request after signing in stamps the session
    small, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 1
    reps = [make_representative(network, name=f"代表{i}") for i in range(5)]
    for i in range(30):
        activity = make_activity(network, station=network.station_b if i % 2 else network.station_a_town)
        activity_services.activity_invite(
            actor=network.users["superuser"], activity=activity, representative_ids=[r.pk for r in reps]
        )
    large, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 31
    assert small == large


def test_attendance_page_queries_are_constant(network, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = network.users["superuser"]
    client = client_for(network.users["officer"])
    activity = make_activity(network, starts_at=timezone.now() - datetime.timedelta(hours=1))
    url = reverse("activities:detail", args=[activity.pk])
    first = make_representative(network, name="代表甲")
    activity_services.activity_invite(actor=admin, activity=activity, representative_ids=[first.pk])
    fund_services.expense_record(
        actor=admin, activity=activity, amount="1", purpose="general", spent_on=timezone.localdate()
    )
    small, _ = count_queries(client, url + "?q=代表")
    reps = [make_representative(network, name=f"代表{i}", station=network.point_a) for i in range(40)]
    activity_services.activity_invite(actor=admin, activity=activity, representative_ids=[r.pk for r in reps])
    invitations = list(activity.invitations.values_list("pk", flat=True))
    activity_services.activity_attendance_record(actor=admin, activity=activity, attended_ids=invitations[::2])
    for i in range(20):
        fund_services.expense_record(
            actor=admin, activity=activity, amount=f"{i}.5", purpose="mobile", spent_on=timezone.localdate()
        )
    large, response = count_queries(client, url + "?q=代表")
    assert len(response.context["invitations"]) == 41
    assert small == large


def test_funds_report_queries_are_constant(network, client_for):
    from tests.perf.test_station_and_roster_page_queries import add_points

    admin = network.users["superuser"]
    client = client_for(network.users["county"])
    url = reverse("activities:budget_report") + "?year=2031"
    fund_services.budget_set(actor=admin, station=network.station_a, year=2031, purpose="general", amount="100")
    small, response = count_queries(client, url)
    assert len(response.context["report"]["stations"]) == 1
    add_points(network, 20, township="b")
    from liaison.models import Station

    for station in Station.objects.filter(kind="point"):
        fund_services.budget_set(actor=admin, station=station, year=2031, purpose="mobile", amount="50.50")
        activity = make_activity(network, station=station, starts_at=local(2031, 5, 1))
        fund_services.expense_record(
            actor=admin, activity=activity, amount="10.10", purpose="mobile", spent_on=timezone.localdate()
        )
    large, response = count_queries(client, url)
    assert len(response.context["report"]["stations"]) == 23
    assert small == large
