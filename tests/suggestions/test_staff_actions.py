"""Every action on a suggestion's staff page, POSTed as the page does: it moves the suggestion and
adds a timeline step; a refused one (a stale version, an impossible state, bad input) shows the
service's message on the page and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions.models import Assignment, ExtensionRequest, Suggestion, Transition
from suggestions.services import handling
from tests.suggestions.staff_helpers import answered, assigned, created


def act(client, suggestion, action, **data):
    data.setdefault("version", suggestion.version)
    return client.post(reverse("suggestions:staff_action", args=[suggestion.pk, action]), data, follow=True)


def snapshot(suggestion):
    suggestion.refresh_from_db()
    return (suggestion.status, suggestion.version, suggestion.timeline.count(), suggestion.decline_reason)


@pytest.fixture
def officer(network, client_for):
    return client_for(network.users["officer"])


def test_accept_through_the_page_moves_it_and_adds_a_timeline_step(network, officer):
    suggestion = created(network)
    response = act(officer, suggestion, "accept")
    assert response.redirect_chain[-1][0] == reverse("suggestions:detail", args=[suggestion.pk])
    assert "已受理。" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    step = suggestion.timeline.order_by("-pk").first()
    assert (step.from_status, step.to_status, step.actor) == ("submitted", "accepted", network.users["officer"])
    # The page shows who, when, from and to.
    page = response.content.decode()
    assert page.count('data-testid="timeline-step"') == 2
    assert network.users["officer"].full_name in page


def test_a_stale_version_is_refused_with_the_message_and_changes_nothing(network, client_for, officer):
    suggestion = created(network)
    opened = suggestion.version
    # Someone else accepts it first.
    handling.suggestion_accept(actor=network.users["township"], suggestion_id=suggestion.pk)
    before = snapshot(suggestion)
    response = officer.post(
        reverse("suggestions:staff_action", args=[suggestion.pk, "decline"]), {"version": opened, "reason": "重复"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    refusal = page.split('data-testid="refusal"', 1)[1].split("</div>", 1)[0]
    # The service's message names the step that came first.
    assert network.users["township"].full_name in refusal
    assert snapshot(suggestion) == before


def test_an_impossible_transition_is_refused_and_changes_nothing(network, officer):
    suggestion = created(network)
    handling.suggestion_decline(actor=network.users["officer"], suggestion_id=suggestion.pk, reason="不属实")
    before = snapshot(suggestion)
    response = act(officer, suggestion, "accept", version=before[1])
    assert response.status_code == 200
    assert 'data-testid="refusal"' in response.content.decode()
    assert snapshot(suggestion) == before
    # And the page offers no action a declined suggestion cannot take.
    page = officer.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'data-testid="action-accept"' not in page


def test_decline_needs_a_reason_and_keeps_it_for_the_voter(network, officer):
    suggestion = created(network)
    before = snapshot(suggestion)
    response = act(officer, suggestion, "decline", reason="")
    assert response.status_code == 200
    assert snapshot(suggestion) == before
    act(officer, suggestion, "decline", reason="不属于人大代表联络站受理范围")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decline_reason) == ("declined", "不属于人大代表联络站受理范围")


def test_merge_into_an_open_one_found_by_code(network, officer):
    survivor = created(network, title="幸福路路灯")
    duplicate = created(network)
    found = officer.get(reverse("suggestions:staff_merge_search") + f"?field=into&into_q={survivor.code.lower()}")
    assert survivor.title in found.content.decode()
    assert duplicate.title not in found.content.decode()
    response = act(officer, duplicate, "merge", into=survivor.pk)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", survivor.pk)
    assert 'data-testid="merged-into"' in response.content.decode()


def test_merge_into_itself_or_another_stations_is_refused(network, officer):
    suggestion = created(network)
    other = created(network, actor=network.users["superuser"], station=network.station_b)
    before = snapshot(suggestion)
    for into in (suggestion.pk, other.pk, "x"):
        assert act(officer, suggestion, "merge", into=into).status_code == 200
        assert snapshot(suggestion) == before


def test_settle_on_the_spot(network, officer):
    suggestion = created(network)
    act(officer, suggestion, "settle", note="当场解释了政策")
    suggestion.refresh_from_db()
    assert suggestion.status == "settled"
    assert suggestion.timeline.filter(to_status="settled", note="当场解释了政策").exists()


def test_assign_a_lead_unit_and_a_co_handler(network, officer):
    from suggestions.models import HandlingUnit

    co = HandlingUnit.objects.create(name="县交通局", division=network.county)
    suggestion = created(network)
    handling.suggestion_accept(actor=network.users["officer"], suggestion_id=suggestion.pk)
    suggestion.refresh_from_db()
    # The lead unit cannot also be a co-handler: refused, nothing assigned.
    act(officer, suggestion, "assign", lead_unit=network.unit.pk, co_units=[network.unit.pk])
    assert not suggestion.assignments.exists()
    response = act(officer, suggestion, "assign", lead_unit=network.unit.pk, co_units=[co.pk])
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned"
    roles = set(suggestion.assignments.values_list("unit__name", "role"))
    assert roles == {("县住建局", "lead"), ("县交通局", "co")}
    page = response.content.decode()
    assert "县交通局" in page and suggestion.due_on.strftime("%Y-%m-%d") in page


def test_a_provisional_deadline_is_marked(network, officer):
    suggestion = assigned(network)
    Assignment.objects.filter(suggestion=suggestion).update(due_provisional=True)
    page = officer.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'data-testid="provisional"' in page


def test_a_rating_taken_by_phone_closes_a_satisfied_opinion(network, officer):
    suggestion = answered(network)
    act(officer, suggestion, "rate_phone", value="satisfied", comment="电话回访，满意")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.satisfaction) == ("closed", "satisfied")
    assert suggestion.ratings.get().by == "phone"


def test_close_is_for_county_staff(network, client_for):
    suggestion = answered(network)
    township = client_for(network.users["township"])
    assert (
        'data-testid="action-close"'
        not in township.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    )
    assert act(township, suggestion, "close", note="x").status_code == 403
    county = client_for(network.users["county"])
    act(county, suggestion, "close", note="答复后未评价，电话联系不上")
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"


def test_supervision_start_and_end(network, client_for):
    suggestion = assigned(network)
    county = client_for(network.users["county"])
    next_check = timezone.localdate() + datetime.timedelta(days=10)
    response = act(
        county,
        suggestion,
        "supervise_start",
        supervisor=network.users["county"].pk,
        next_check_on=next_check.isoformat(),
        note="重点督办",
    )
    assert 'data-testid="supervision"' in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.supervision.ended_at is None
    act(county, suggestion, "supervise_end", note="已落实")
    suggestion.supervision.refresh_from_db()
    assert suggestion.supervision.ended_at is not None


def test_an_extension_request_is_decided_by_county_staff(network, client_for):
    suggestion = created(network, kind="proposal")
    assigned(network, suggestion)
    lead = suggestion.assignments.get(role="lead")
    handling.extension_request(actor=network.users["unit"], assignment_id=lead.pk, reason="需要协调多个部门")
    request = ExtensionRequest.objects.get()
    county = client_for(network.users["county"])
    page = county.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'data-testid="action-extension"' in page
    suggestion.refresh_from_db()
    act(county, suggestion, "extension", request_id=request.pk, approve="1", note="同意")
    request.refresh_from_db()
    assert request.approved is True


def test_contact_full_for_the_station_masked_for_county_staff(network, client_for):
    suggestion = created(network, contact_phone="13812345678")
    url = reverse("suggestions:detail", args=[suggestion.pk])
    assert "13812345678" in client_for(network.users["officer"]).get(url).content.decode()
    county_page = client_for(network.users["county"]).get(url).content.decode()
    assert "13812345678" not in county_page and "138****5678" in county_page


def test_offered_actions_follow_state_and_role(network, client_for):
    suggestion = created(network)
    url = reverse("suggestions:detail", args=[suggestion.pk])
    page = client_for(network.users["officer"]).get(url).content.decode()
    for name in ("accept", "decline", "merge", "settle"):
        assert f'data-testid="action-{name}"' in page
    assert 'data-testid="action-assign"' not in page
    # Every action form carries the version the page showed.
    assert f'name="version" value="{suggestion.version}"' in page
    assert Transition.objects.filter(suggestion=suggestion).count() == 1
    assert Suggestion.objects.get(pk=suggestion.pk).status == "submitted"


@pytest.mark.parametrize("version", ["", "abc", "0", "99999999999999999999999"])
def test_a_missing_or_crafted_version_is_refused_on_the_page(network, officer, version):
    suggestion = created(network)
    before = snapshot(suggestion)
    response = officer.post(reverse("suggestions:staff_action", args=[suggestion.pk, "accept"]), {"version": version})
    assert response.status_code == 200
    assert 'data-testid="refusal"' in response.content.decode()
    assert snapshot(suggestion) == before
