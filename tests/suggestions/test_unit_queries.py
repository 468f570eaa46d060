"""The unit's list and item page issue the same number of queries however many items they show."""

from django.urls import reverse

from suggestions.models import Assignment
from suggestions.services import handling
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.suggestions.core_helpers import make_suggestion, make_unit


def _assign(network, how_many, *, co_unit=None):
    officer = network.users["officer"]
    for i in range(how_many):
        suggestion = make_suggestion(network, title=f"建议{i}", kind="opinion" if i % 2 else "proposal")
        handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
        handling.suggestion_assign(
            actor=officer,
            suggestion_id=suggestion.pk,
            lead_unit_id=network.unit.pk,
            co_unit_ids=[co_unit.pk] if co_unit else [],
        )


def test_unit_list_queries_do_not_grow_with_items(network, client_for):
    client = client_for(network.users["unit"])
    _assign(network, 1)
    url = reverse("suggestions:unit_list")
    small, response = count_queries(client, url)
    assert len(response.context["assignments"]) == 1
    _assign(network, 12)
    large, response = count_queries(client, url)
    assert len(response.context["assignments"]) == 13
    assert large == small


def test_item_page_queries_do_not_grow_with_co_handlers_and_timeline(network, client_for):
    co_unit, _ = make_unit(network)
    _assign(network, 1, co_unit=co_unit)
    client = client_for(network.users["unit"])
    lead = Assignment.objects.get(role="lead")
    small, _ = count_queries(client, reverse("suggestions:unit_detail", args=[lead.pk]))
    for _i in range(4):
        other, _ = make_unit(network)
        Assignment.objects.create(
            suggestion=lead.suggestion, unit=other, role="co", assigned_at=lead.assigned_at, due_on=lead.due_on
        )
    handling.extension_request(actor=network.users["unit"], assignment_id=lead.pk, reason="需要时间")
    large, _ = count_queries(client, reverse("suggestions:unit_detail", args=[lead.pk]))
    assert large == small
