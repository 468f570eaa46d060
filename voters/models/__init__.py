"""The voters app's models, one module per subject, all importable from `voters.models`."""

from voters.models.grid import GridLink, HouseholdLink, HouseholdVisit
from voters.models.people import Household, Voter
from voters.models.reception import (
    CalendarFeed,
    DutyAssignment,
    RaisedItem,
    ReceptionDay,
    ReceptionSeries,
    Visit,
    VisitDraft,
)

__all__ = [
    "CalendarFeed",
    "DutyAssignment",
    "GridLink",
    "Household",
    "HouseholdLink",
    "HouseholdVisit",
    "RaisedItem",
    "ReceptionDay",
    "ReceptionSeries",
    "Visit",
    "VisitDraft",
    "Voter",
]
