"""Suggestions built through the services (sugg-core's tests), on the network of tests.factories."""

from __future__ import annotations

import itertools

from liaison.models import RoleGrant
from suggestions.models import Category, HandlingUnit, Suggestion
from suggestions.services import handling, intake
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative

_units = itertools.count(1)


def category() -> Category:
    """The first category (seeded by migration 0003; a transactional test's flush removes it)."""
    return Category.objects.order_by("position").first() or Category.objects.create(name="道路交通")


def make_suggestion(network, *, actor=None, station=None, **fields) -> Suggestion:
    values = {
        "source": Suggestion.Source.OFFICER,
        "title": "村口路灯不亮",
        "content": "甲村村口的路灯坏了一个月，晚上出行不便。",
        "category_id": category().pk,
        "station_id": (station or network.station_a).pk,
        "contact_name": "李四",
        "contact_phone": "13812345678",
    }
    values.update(fields)
    return intake.suggestion_create(actor=actor or network.users["officer"], **values)


def make_unit(network, name=None) -> tuple[HandlingUnit, object]:
    """Another handling unit and a user answering for it."""
    n = next(_units)
    unit = HandlingUnit.objects.create(name=name or f"县测试局{n}", division=network.county)
    user = UserFactory(username=f"unit_user_{n}")
    grant(user, RoleGrant.Role.HANDLING_UNIT, handling_unit=unit)
    return unit, user


def assigned(network, **fields) -> Suggestion:
    """An opinion of station A accepted and assigned to the network's unit."""
    officer = network.users["officer"]
    suggestion = make_suggestion(network, **fields)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk)
    suggestion.refresh_from_db()
    return suggestion


def lead_assignment(suggestion):
    return suggestion.assignments.get(role="lead", status="active")


def answered(network, **fields) -> Suggestion:
    suggestion = assigned(network, **fields)
    handling.suggestion_answer(
        actor=network.users["unit"], assignment_id=lead_assignment(suggestion).pk, text="已修复路灯。", result="A"
    )
    suggestion.refresh_from_db()
    return suggestion


def representative_user(network, user=None, **fields):
    """A representative of station A linked to `user` (default: the network's representative user)."""
    from representatives.models import Representative

    rep = make_representative(network, **fields)
    Representative.objects.filter(pk=rep.pk).update(user=user or network.users["representative"])
    rep.refresh_from_db()
    return rep
