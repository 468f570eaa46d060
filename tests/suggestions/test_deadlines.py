"""Deadlines on China's working calendar (chinesecalendar), through the rules and the services.

2026 per the State Council (and the installed chinesecalendar): Spring Festival holiday 15-23
February; Saturdays 14 and 28 February are adjusted working days."""

import datetime

import chinese_calendar
import pytest
from django.utils import timezone

from suggestions import deadlines
from suggestions.models import Assignment, DeadlineRule
from suggestions.services import handling
from tests.suggestions.core_helpers import assigned, lead_assignment

D = datetime.date


def test_the_installed_calendar_knows_the_2026_spring_festival():
    assert not any(chinese_calendar.is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert chinese_calendar.is_workday(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5
    assert chinese_calendar.is_workday(D(2026, 2, 28)) and D(2026, 2, 28).weekday() == 5


def test_working_days_skip_the_holiday_and_count_the_adjusted_saturdays():
    # From Friday 13 Feb: Sat 14 (worked) is the 1st, 24-28 Feb the 2nd to 6th (Sat 28 worked)...
    assert deadlines.due_date(D(2026, 2, 13), 15, "working_days") == deadlines.Deadline(D(2026, 3, 12), False)
    assert deadlines.due_date(D(2026, 2, 12), 10, "working_days") == deadlines.Deadline(D(2026, 3, 4), False)
    # Monday to Friday alone would have said 6 March.
    assert deadlines.due_date(D(2026, 2, 13), 1, "working_days").due_on == D(2026, 2, 14)


def test_a_month_ending_in_the_holiday_moves_to_the_first_working_day_after_it():
    assert deadlines.due_date(D(2026, 1, 16), 1, "months").due_on == D(2026, 2, 24)
    # ...but a month ending on an adjusted working Saturday stays there.
    assert deadlines.due_date(D(2026, 1, 28), 1, "months").due_on == D(2026, 2, 28)
    assert deadlines.due_date(D(2026, 1, 14), 1, "months").due_on == D(2026, 2, 14)


def test_past_the_calendars_last_year_deadlines_are_weekdays_only_and_provisional():
    last = deadlines.last_known_year()
    start = D(last, 12, 28)
    due = deadlines.due_date(start, 15, "working_days")
    assert due.provisional
    weekdays, day = 0, start
    while weekdays < 15:
        day += datetime.timedelta(days=1)
        weekdays += day.weekday() < 5
    assert due.due_on == day
    inside = deadlines.due_date(D(last, 3, 2), 15, "working_days")
    assert not inside.provisional


def test_rules_are_data(db):
    DeadlineRule.objects.update_or_create(key="opinion_answer", defaults={"amount": 5, "unit": "days"})
    assert deadlines.due_by_rule("opinion_answer", D(2026, 3, 2)).due_on == D(2026, 3, 9)  # Sat 7 -> Mon 9


@pytest.fixture
def on_day(monkeypatch):
    """on_day(date): the services' clock at 10:00 on that date (Asia/Shanghai)."""

    def move(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


@pytest.mark.django_db
def test_an_opinion_assigned_before_the_holiday_is_due_after_it(network, on_day):
    on_day(D(2026, 2, 13))
    suggestion = assigned(network)
    lead = lead_assignment(suggestion)
    assert (lead.due_on, lead.due_provisional, suggestion.due_on) == (D(2026, 3, 12), False, D(2026, 3, 12))
    assert lead.return_by == D(2026, 3, 5)  # 10 working days: 14, 24-28 Feb, 2-5 Mar
    assert suggestion.assignments.count() == 1


@pytest.mark.django_db
def test_provisional_deadlines_are_recomputed_once_the_calendar_knows_the_year(network, on_day, monkeypatch):
    on_day(D(2026, 2, 13))
    real_last = deadlines.last_known_year()
    monkeypatch.setattr(deadlines, "last_known_year", lambda: 2025)  # as if the package stopped at 2025
    suggestion = assigned(network)
    lead = lead_assignment(suggestion)
    assert (lead.due_on, lead.due_provisional) == (D(2026, 3, 6), True)  # weekdays only
    assert handling.deadlines_recompute_provisional() == 0  # still unknown: left alone
    monkeypatch.setattr(deadlines, "last_known_year", lambda: real_last)  # the package upgraded
    assert handling.deadlines_recompute_provisional() == 1
    lead.refresh_from_db()
    suggestion.refresh_from_db()
    assert (lead.due_on, lead.due_provisional, suggestion.due_on) == (D(2026, 3, 12), False, D(2026, 3, 12))
    assert handling.deadlines_recompute_provisional() == 0
    assert Assignment.objects.filter(due_provisional=True).count() == 0
