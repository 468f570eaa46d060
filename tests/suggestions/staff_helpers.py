"""Suggestions for the staff-page tests, written directly (the services have their own tests)."""

from __future__ import annotations

import itertools

from suggestions.models import Category, CoSigner, Suggestion, Transition
from tests.voters.reception_helpers import rep_with_account

_n = itertools.count(1)


def category() -> Category:
    return Category.objects.filter(is_active=True).first() or Category.objects.create(name="城乡建设", position=1)


def make_suggestion(network, *, station=None, status=Suggestion.Status.SUBMITTED, **fields) -> Suggestion:
    station = station or network.station_a
    n = next(_n)
    values = {
        "kind": Suggestion.Kind.OPINION,
        "source": Suggestion.Source.OFFICER,
        "title": f"村口道路破损{n}",
        "content": "下雨天积水，希望修补。",
        "category": category(),
        "station": station,
        "township": station.division if station.division.is_township_level else None,
        "contact_name": "张三",
        "contact_phone": f"1380000{n:04d}",
        "status": status,
    }
    values.update(fields)
    suggestion = Suggestion.objects.create(**values)
    Transition.objects.create(suggestion=suggestion, action="submit", to_status=Suggestion.Status.SUBMITTED)
    return suggestion


def own_rep(network):
    """The network's representative account with a roster record at station A."""
    return rep_with_account(network, "", user=network.users["representative"])


def make_proposal(network, rep, *, cosigners=(), **fields) -> Suggestion:
    suggestion = make_suggestion(
        network,
        kind=Suggestion.Kind.PROPOSAL,
        source=Suggestion.Source.REPRESENTATIVE,
        representative=rep,
        contact_name="",
        contact_phone="",
        station=rep.home_station,
        **fields,
    )
    for other in cosigners:
        CoSigner.objects.create(suggestion=suggestion, representative=other)
    return suggestion


# --- through the services (sugg-core's), for the pages' actions ---------------------------------


def created(network, *, actor=None, station=None, **fields) -> Suggestion:
    from suggestions.services import intake

    values = {
        "source": Suggestion.Source.OFFICER,
        "title": "村口路灯不亮",
        "content": "甲村村口的路灯坏了一个月。",
        "category_id": category().pk,
        "station_id": (station or network.station_a).pk,
        "contact_name": "李四",
        "contact_phone": "13812345678",
    }
    values.update(fields)
    return intake.suggestion_create(actor=actor or network.users["officer"], **values)


def assigned(network, suggestion=None, **fields) -> Suggestion:
    from suggestions.services import handling

    officer = network.users["officer"]
    suggestion = suggestion or created(network, **fields)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk)
    suggestion.refresh_from_db()
    return suggestion


def answered(network, suggestion=None, **fields) -> Suggestion:
    from suggestions.services import handling

    suggestion = assigned(network, suggestion, **fields)
    lead = suggestion.assignments.get(role="lead", status="active")
    handling.suggestion_answer(actor=network.users["unit"], assignment_id=lead.pk, text="已修复。", result="A")
    suggestion.refresh_from_db()
    return suggestion
