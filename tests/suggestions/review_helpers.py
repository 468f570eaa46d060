"""Suggestions written straight into the tables with chosen dates (the figures need exact
answers), for the review console's tests. The services' own tests go through the services."""

import datetime

import pytest
from django.utils import timezone

from suggestions.models import Answer, Assignment, Category, Rating, Suggestion, Transition


@pytest.fixture(autouse=False)
def reference_data(db):
    """The categories of migration 0003: a transactional test (the browser's) empties the tables."""
    from suggestions.demo import ensure_categories

    ensure_categories()


BASE = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))


def at(days: float) -> datetime.datetime:
    return BASE + datetime.timedelta(days=days)


def make_suggestion(
    station, *, title="路灯不亮", status=Suggestion.Status.SUBMITTED, submitted=0, phone="13800001234", **fields
):
    s = Suggestion.objects.create(
        source=Suggestion.Source.STATION_CODE,
        title=title,
        content="村口路灯坏了三个月。",
        category=fields.pop("category", None) or Category.objects.order_by("pk").first(),
        station=station,
        township_id=fields.pop("township_id", None) or _township_id(station),
        contact_name="张三",
        contact_phone=phone,
        status=status,
        **fields,
    )
    Suggestion.objects.filter(pk=s.pk).update(submitted_at=at(submitted))
    Transition.objects.create(suggestion=s, action="submit", to_status=Suggestion.Status.SUBMITTED, actor_label="选民")
    s.refresh_from_db()
    return s


def _township_id(station):
    return station.division.township_id()


def assign(s, unit, *, assigned=1, due=15, round=1, status=Assignment.Status.ACTIVE):
    a = Assignment.objects.create(
        suggestion=s,
        unit=unit,
        role=Assignment.Role.LEAD,
        round=round,
        status=status,
        assigned_at=at(assigned),
        due_on=at(due).date(),
    )
    Suggestion.objects.filter(pk=s.pk).update(status=Suggestion.Status.ASSIGNED, due_on=a.due_on)
    return a


def answer(a, *, answered, result="A", rating=None, public_answer="已修复。"):
    ans = Answer.objects.create(suggestion=a.suggestion, assignment=a, text="已处理", result=result)
    Answer.objects.filter(pk=ans.pk).update(answered_at=at(answered))
    Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.DONE)
    fields = {
        "status": Suggestion.Status.ANSWERED,
        "result": result,
        "answered_at": at(answered),
        "public_answer": public_answer,
    }
    if rating:
        Rating.objects.create(suggestion=a.suggestion, answer=ans, value=rating, by=Rating.By.VOTER)
        fields.update(satisfaction=rating, status=Suggestion.Status.CLOSED)
    Suggestion.objects.filter(pk=a.suggestion_id).update(**fields)
    return ans
