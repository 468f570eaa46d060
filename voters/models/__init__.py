"""The voters app's models, one module per subject, all importable from `voters.models`."""

from voters.models.grid import GridLink, HouseholdLink, HouseholdVisit
from voters.models.people import Household, Voter

__all__ = ["GridLink", "Household", "HouseholdLink", "HouseholdVisit", "Voter"]
