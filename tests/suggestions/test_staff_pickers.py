"""Choices among many on the staff pages are search fields: handling units past 50 (the lead unit
one of them, co-handlers picked one by one), scoped search endpoints, never a 500 on odd input."""

from django.urls import reverse

from suggestions.models import HandlingUnit
from suggestions.services import handling
from tests.suggestions.staff_helpers import created


def test_many_units_make_the_assign_form_search_fields(network, client_for):
    HandlingUnit.objects.bulk_create([HandlingUnit(name=f"县第{i}局", division=network.county) for i in range(55)])
    suggestion = created(network)
    handling.suggestion_accept(actor=network.users["officer"], suggestion_id=suggestion.pk)
    suggestion.refresh_from_db()
    client = client_for(network.users["officer"])
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'data-testid="search-choice-lead_unit"' in page
    assert 'data-testid="search-choice-co_units"' in page
    assert page.count("县第1") < 5  # not every unit listed
    found = client.get(reverse("suggestions:staff_unit_search") + "?field=co_units&multiple=1&co_units_q=第12局")
    co = HandlingUnit.objects.get(name="县第12局")
    assert f'type="checkbox" name="co_units" value="{co.pk}"' in found.content.decode()
    for bad in ("", "x", "-1", "99999999999999999999999", "<script>"):
        odd = client.get(reverse("suggestions:staff_unit_search") + f"?field=co_units&multiple=1&co_units_q={bad}")
        assert odd.status_code == 200
    response = client.post(
        reverse("suggestions:staff_action", args=[suggestion.pk, "assign"]),
        {"version": suggestion.version, "lead_unit": network.unit.pk, "co_units": [co.pk]},
    )
    assert response.status_code == 302
    assert set(suggestion.assignments.values_list("unit_id", "role")) == {(network.unit.pk, "lead"), (co.pk, "co")}


def test_a_refused_assignment_keeps_the_chosen_co_handlers(network, client_for):
    HandlingUnit.objects.bulk_create([HandlingUnit(name=f"县第{i}局", division=network.county) for i in range(55)])
    co = HandlingUnit.objects.get(name="县第7局")
    suggestion = created(network)
    handling.suggestion_accept(actor=network.users["officer"], suggestion_id=suggestion.pk)
    suggestion.refresh_from_db()
    response = client_for(network.users["officer"]).post(
        reverse("suggestions:staff_action", args=[suggestion.pk, "assign"]),
        {"version": suggestion.version, "lead_unit": "", "co_units": [co.pk]},
    )
    assert response.status_code == 200
    assert f'name="co_units" value="{co.pk}" checked' in response.content.decode()
    assert not suggestion.assignments.exists()


def test_search_endpoints_answer_odd_input_without_error(network, client_for):
    client = client_for(network.users["officer"])
    for name in ("staff_station_search", "staff_merge_search", "staff_unit_search", "staff_voter_search"):
        for query in ("", "?q=", "?field=<x>&q=%00", "?q=" + "字" * 300, "?exclude=abc&q=路"):
            assert client.get(reverse(f"suggestions:{name}") + query).status_code == 200, (name, query)
