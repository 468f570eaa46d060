"""Every action of the state machine from every state, through the services: an allowed one moves
the suggestion to its target and adds one timeline step; a forbidden one is refused with a message
and changes nothing (state, version, timeline, assignments, answers, ratings, extension requests)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from suggestions import workflow
from suggestions.models import (
    Answer,
    Assignment,
    ExtensionRequest,
    Rating,
    Suggestion,
    Supervision,
    Transition,
)
from suggestions.services import handling
from tests.suggestions.core_helpers import make_suggestion, make_unit

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def _in_state(network, status, action=""):
    """A proposal of station A in `status`, with what the actions need: a lead assignment (to the
    network's unit) and a co-handler, active while it is assigned; an undecided extension request
    (but for testing the request itself) and an unrated answer."""
    co_unit, co_user = make_unit(network)
    other = make_suggestion(network)
    suggestion = make_suggestion(network, kind="proposal")
    now = datetime.datetime.now(datetime.UTC)
    state = "active" if status == S.ASSIGNED else "done"
    lead = Assignment.objects.create(
        status=state,
        suggestion=suggestion,
        unit=network.unit,
        role="lead",
        assigned_at=now,
        due_on=datetime.date.today() + datetime.timedelta(days=60),
        return_by=datetime.date.today() + datetime.timedelta(days=10),
    )
    Assignment.objects.create(
        suggestion=suggestion, unit=co_unit, role="co", status=state, assigned_at=now, due_on=datetime.date.today()
    )
    if action != "extension_request":
        ExtensionRequest.objects.create(assignment=lead, reason="需要立项", requested_by=network.users["unit"])
    Answer.objects.create(suggestion=suggestion, assignment=lead, text="答复", result="A")
    Suggestion.objects.filter(pk=suggestion.pk).update(status=status, merged_into=other if status == S.MERGED else None)
    return Suggestion.objects.get(pk=suggestion.pk), other, co_user


def _run(action, network, suggestion, other, co_user):
    users = network.users
    officer, county, unit = users["officer"], users["county"], users["unit"]
    pk = suggestion.pk
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    calls = {
        "submit": lambda: workflow.check("submit", suggestion.status),  # only creation submits
        "accept": lambda: handling.suggestion_accept(actor=officer, suggestion_id=pk),
        "decline": lambda: handling.suggestion_decline(actor=officer, suggestion_id=pk, reason="重复提交"),
        "merge": lambda: handling.suggestion_merge(actor=officer, suggestion_id=pk, into_id=other.pk),
        "settle": lambda: handling.suggestion_settle(actor=officer, suggestion_id=pk, note="当场解答"),
        "assign": lambda: handling.suggestion_assign(actor=officer, suggestion_id=pk, lead_unit_id=network.unit.pk),
        "return": lambda: handling.assignment_return(actor=unit, assignment_id=lead.pk, reason="交办错误"),
        "co_opinion": lambda: handling.assignment_co_opinion(actor=co_user, assignment_id=co.pk, text="同意"),
        "extension_request": lambda: handling.extension_request(actor=unit, assignment_id=lead.pk, reason="需要时间"),
        "extension_decide": lambda: handling.extension_decide(
            actor=county, request_id=ExtensionRequest.objects.get(assignment=lead).pk, approve=True
        ),
        "answer": lambda: handling.suggestion_answer(actor=unit, assignment_id=lead.pk, text="已办理", result="B"),
        "rate": lambda: handling.suggestion_rate(suggestion_id=pk, value="satisfied", by="voter"),
        "close": lambda: handling.suggestion_close(actor=county, suggestion_id=pk, note="办结"),
        "supervise": lambda: handling.supervision_start(
            actor=county, suggestion_id=pk, supervisor_id=county.pk, next_check_on=datetime.date.today()
        ),
    }
    assert set(calls) == set(workflow.ACTIONS), "every action of the workflow is tried"
    calls[action]()


def _snapshot(suggestion):
    row = Suggestion.objects.get(pk=suggestion.pk)
    return {
        "row": (row.status, row.version, row.due_on, row.merged_into_id, row.result, row.satisfaction),
        "timeline": Transition.objects.filter(suggestion=suggestion).count(),
        "assignments": sorted(Assignment.objects.filter(suggestion=suggestion).values_list("pk", "status", "due_on")),
        "answers": Answer.objects.filter(suggestion=suggestion).count(),
        "ratings": Rating.objects.filter(suggestion=suggestion).count(),
        "extensions": list(ExtensionRequest.objects.values_list("pk", "approved")),
        "supervision": Supervision.objects.filter(suggestion=suggestion).count(),
    }


# The state each allowed action leads to here (rate: "satisfied", so closed).
EXPECTED = {
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "merge": S.MERGED,
    "settle": S.SETTLED,
    "assign": S.ASSIGNED,
    "return": S.ACCEPTED,
    "answer": S.ANSWERED,
    "rate": S.CLOSED,
    "close": S.CLOSED,
}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_each_action_from_each_state(network, action, status):
    suggestion, other, co_user = _in_state(network, status, action)
    before = _snapshot(suggestion)
    allowed = status in workflow.ACTIONS[action].sources
    if not allowed:
        with pytest.raises(ValidationError) as exc:
            _run(action, network, suggestion, other, co_user)
        assert exc.value.messages[0]  # a message the user reads
        assert _snapshot(suggestion) == before
        return
    _run(action, network, suggestion, other, co_user)
    row = Suggestion.objects.get(pk=suggestion.pk)
    assert row.status == EXPECTED.get(action, status)
    assert row.version == suggestion.version + 1
    last = Transition.objects.filter(suggestion=suggestion).order_by("-pk").first()
    assert (last.action, last.from_status, last.to_status) == (action, status, row.status)
    assert _snapshot(suggestion)["timeline"] == before["timeline"] + 1


def test_assign_is_refused_while_another_lead_is_active(network):
    # Not a state question: the assigned state already has its lead. Assigning again is refused.
    suggestion, other, co_user = _in_state(network, S.ASSIGNED)
    with pytest.raises(ValidationError):
        handling.suggestion_assign(
            actor=network.users["officer"], suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk
        )
