"""Two people acting on one suggestion at once, on two real PostgreSQL connections: the first
holds the row lock; the second waits for it, then reads the new state and is refused with a
message. Exactly one wins; nothing is written twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from suggestions.models import Answer, Rating, Suggestion
from suggestions.services import answering, common, handling
from tests.suggestions.core_helpers import answered, assigned, lead_assignment

# serialized_rollback: the categories and deadline rules seeded by migration 0003 are restored after
# the flush, for the tests that run later.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _race(monkeypatch, modules, first, second):
    """Run `first` in a thread until it holds the lock (its first timeline step), then `second` in
    another thread; release `first` only once `second` is blocked on the row lock."""
    holding, go_on = threading.Event(), threading.Event()
    real_step = common.step
    calls = []

    def step_and_wait(*args, **kwargs):
        if not calls:
            calls.append(1)
            holding.set()
            go_on.wait(timeout=60)
        return real_step(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, "step", step_and_wait)
    outcomes: dict[str, object] = {}

    def run(name, call):
        try:
            outcomes[name] = call()
        except ValidationError as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()  # this thread's own connection

    one = threading.Thread(target=run, args=("first", first))
    one.start()
    assert holding.wait(timeout=60)
    two = threading.Thread(target=run, args=("second", second))
    two.start()
    blocked = False
    for _ in range(600):
        blocked = _waiting_for_a_lock()
        if blocked:
            break
        threading.Event().wait(0.05)
    go_on.set()
    one.join(timeout=60)
    two.join(timeout=60)
    assert blocked, "the second call waited for the first one's row lock"
    return outcomes


def test_two_answers_at_once_one_wins_the_other_is_told(network, monkeypatch):
    suggestion = assigned(network)
    lead = lead_assignment(suggestion)
    unit = network.users["unit"]
    outcomes = _race(
        monkeypatch,
        [answering],
        lambda: handling.suggestion_answer(actor=unit, assignment_id=lead.pk, text="第一份答复", result="A"),
        lambda: handling.suggestion_answer(actor=unit, assignment_id=lead.pk, text="第二份答复", result="B"),
    )
    assert isinstance(outcomes["first"], Answer)
    assert isinstance(outcomes["second"], ValidationError)
    assert "已答复" in outcomes["second"].messages[0]
    assert list(Answer.objects.values_list("text", flat=True)) == ["第一份答复"]
    row = Suggestion.objects.get(pk=suggestion.pk)
    assert (row.status, row.result) == ("answered", "A")
    assert row.timeline.filter(action="answer").count() == 1


def test_two_ratings_at_once_one_wins_the_other_is_told(network, monkeypatch):
    suggestion = answered(network)
    opened = suggestion.version  # both pages were opened on this version
    officer = network.users["officer"]
    outcomes = _race(
        monkeypatch,
        [handling],
        lambda: handling.suggestion_rate(suggestion_id=suggestion.pk, value="satisfied", by="voter", version=opened),
        lambda: handling.suggestion_rate(
            suggestion_id=suggestion.pk, value="unsatisfied", by="phone", actor=officer, version=opened
        ),
    )
    assert isinstance(outcomes["first"], Rating)
    refused = outcomes["second"]
    assert isinstance(refused, ValidationError)
    assert refused.messages[0].startswith("此建议已被他人处理（") and "选民" in refused.messages[0]
    assert Rating.objects.count() == 1
    row = Suggestion.objects.get(pk=suggestion.pk)
    assert (row.status, row.satisfaction, row.reopened_count) == ("closed", "satisfied", 0)
