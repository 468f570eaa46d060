"""Deadlines from rules that are data (`DeadlineRule`), on China's working calendar.

Public holidays and the adjusted working days (调休, e.g. a Saturday worked before the Spring
Festival) come from the maintained `chinesecalendar` package, never from a hand-typed list.

- "N working days": the N-th working day after the start day.
- "N days" / "N months": that calendar date; if it is not a working day, the deadline moves to
  the next working day (as for statutory periods: a period ending on a holiday ends on the first
  working day after it).

Past the last year the package knows (it is updated each year once the State Council publishes the
next year's holidays), the count uses Monday to Friday with no holidays, and the deadline is
marked provisional (`Deadline.provisional`); `suggestions.services` recomputes provisional
deadlines when a newer package knows the year (the daily deadline watch does it), so an upgrade of
the package is all it takes.
"""

import datetime
from dataclasses import dataclass
from functools import cache

import chinese_calendar
from dateutil.relativedelta import relativedelta

from suggestions.models import DeadlineRule

DEFAULT_RULES: dict[str, tuple[int, str]] = {
    DeadlineRule.Key.PROPOSAL_ANSWER: (3, DeadlineRule.Unit.MONTHS),
    DeadlineRule.Key.PROPOSAL_EXTENDED: (6, DeadlineRule.Unit.MONTHS),
    DeadlineRule.Key.OPINION_ANSWER: (15, DeadlineRule.Unit.WORKING_DAYS),
    DeadlineRule.Key.CO_HANDLER_OPINION: (1, DeadlineRule.Unit.MONTHS),
    DeadlineRule.Key.MISROUTE_RETURN: (10, DeadlineRule.Unit.WORKING_DAYS),
    DeadlineRule.Key.REHANDLE: (1, DeadlineRule.Unit.MONTHS),
}


@dataclass(frozen=True)
class Deadline:
    due_on: datetime.date
    provisional: bool


@cache
def last_known_year() -> int:
    """The last year whose holidays the installed calendar package knows."""
    return max(day.year for day in chinese_calendar.holidays)


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(is it a working day, is that known from the holiday calendar rather than assumed)."""
    if day.year > last_known_year() or day.year < 2004:
        return day.weekday() < 5, False
    return chinese_calendar.is_workday(day), True


def next_working_day(day: datetime.date) -> tuple[datetime.date, bool]:
    """`day` itself if it is a working day, else the first working day after it."""
    known = True
    while True:
        working, certain = is_working_day(day)
        known = known and certain
        if working:
            return day, known
        day += datetime.timedelta(days=1)


def add_working_days(start: datetime.date, count: int) -> tuple[datetime.date, bool]:
    """The `count`-th working day after `start` (start itself not counted)."""
    day, known, left = start, True, count
    while left > 0:
        day += datetime.timedelta(days=1)
        working, certain = is_working_day(day)
        known = known and certain
        if working:
            left -= 1
    return day, known


def due_date(start: datetime.date, amount: int, unit: str) -> Deadline:
    """When a step started on `start` is due, by a rule of `amount` `unit`s."""
    if unit == DeadlineRule.Unit.WORKING_DAYS:
        day, known = add_working_days(start, amount)
        return Deadline(day, not known)
    if unit == DeadlineRule.Unit.MONTHS:
        end = start + relativedelta(months=amount)
    elif unit == DeadlineRule.Unit.CALENDAR_DAYS:
        end = start + datetime.timedelta(days=amount)
    else:
        raise ValueError(f"unknown deadline unit {unit!r}")
    day, known = next_working_day(end)
    return Deadline(day, not known)


def rule(key: str) -> tuple[int, str]:
    """(amount, unit) of a rule: the stored one, or the default if county staff removed it."""
    stored = DeadlineRule.objects.filter(key=key).values_list("amount", "unit").first()
    return stored or DEFAULT_RULES[key]


def due_by_rule(key: str, start: datetime.date) -> Deadline:
    amount, unit = rule(key)
    return due_date(start, amount, unit)
