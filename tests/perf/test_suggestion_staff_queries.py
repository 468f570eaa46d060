"""The staff list of suggestions, a suggestion's page, a representative's own list and the reception
day page with its convert forms issue the same number of queries however many rows they show."""

from django.urls import reverse
from django.utils import timezone

from suggestions.models import Assignment, CoSigner, Transition
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.suggestions.staff_helpers import answered, make_proposal, make_suggestion, own_rep
from tests.voters.reception_helpers import make_day, rep_with_account
from voters.services import visits


def add(network, how_many, **fields):
    for _ in range(how_many):
        make_suggestion(network, **fields)


def test_list_queries_do_not_grow_with_rows(network, client_for):
    voter_backed = {"contact_phone": ""}
    add(network, 1)
    for role in ("officer", "township", "county"):
        client = client_for(network.users[role])
        for query in ("", "?status=submitted&overdue=false&q=道路", "?kind=opinion&due_soon=false"):
            url = reverse("suggestions:list") + query
            small, response = count_queries(client, url)
            before = len(response.context["suggestions"])
            add(network, 5)
            add(network, 2, station=network.point_a, **voter_backed)
            large, response = count_queries(client, url)
            assert len(response.context["suggestions"]) > before or before == 30
            assert large == small, (role, query)


def test_detail_queries_do_not_grow_with_timeline_assignments_or_cosigners(network, client_for):
    suggestion = answered(network)
    officer = client_for(network.users["officer"])
    county = client_for(network.users["county"])
    url = reverse("suggestions:detail", args=[suggestion.pk])
    small_officer, _ = count_queries(officer, url)
    small_county, _ = count_queries(county, url)
    for i in range(5):
        Transition.objects.create(suggestion=suggestion, action="supervise", to_status="answered", note=f"记录{i}")
        Assignment.objects.create(
            suggestion=suggestion,
            unit=network.unit,
            role="co",
            round=1,
            status="done",
            assigned_at=timezone.now(),
            due_on=timezone.localdate(),
        )
    assert count_queries(officer, url)[0] == small_officer
    assert count_queries(county, url)[0] == small_county


def test_proposal_page_and_my_list_do_not_grow_with_cosigners(network, client_for):
    rep = own_rep(network)
    proposal = make_proposal(network, rep)
    client = client_for(network.users["representative"])
    url = reverse("suggestions:detail", args=[proposal.pk])
    mine = reverse("suggestions:staff_mine")
    small, _ = count_queries(client, url)
    small_mine, _ = count_queries(client, mine)
    for i in range(4):
        other = rep_with_account(network, f"co{i}", name=f"附议{i}")
        CoSigner.objects.create(suggestion=proposal, representative=other)
        make_proposal(network, rep)
        make_proposal(network, other, cosigners=[rep])
    assert count_queries(client, url)[0] == small
    assert count_queries(client, mine)[0] == small_mine


def test_reception_day_page_with_convert_forms_does_not_grow_with_items(network, client_for):
    day = make_day(network.station_a, timezone.localdate())
    officer = network.users["officer"]
    visits.visit_log(actor=officer, day_id=day.pk, items=["一件事"])
    client = client_for(officer)
    url = reverse("voters:reception_detail", args=[day.pk])
    small, _ = count_queries(client, url)
    for i in range(4):
        visits.visit_log(actor=officer, day_id=day.pk, items=[f"事项{i}", f"另一事项{i}"])
    large, response = count_queries(client, url)
    assert response.content.decode().count('data-testid="convert-item"') == 9
    assert large == small
