"""The 1+M+N grid: link representatives and households, log household visits.

The ranges are settings (`settings.GRID_RANGES`). Linking beyond the upper bound is allowed (a
village may need it) but the service says so: it returns a warning the page shows, and the
coverage report lists the representative as over the range.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.text import normalize_multiline
from representatives.models import PerformanceKind, Representative
from representatives.services.performance import (
    performance_record_add_for_source,
    performance_records_remove_for_source,
)
from voters.models import GridLink, Household, HouseholdLink, HouseholdVisit
from voters.selectors.grid import grid_range

EARLIEST_VISIT = datetime.date(2000, 1, 1)


def _may_keep(actor, rep: Representative) -> bool:
    return access.grid_representatives(actor).filter(pk=rep.pk).exists()


@transaction.atomic
def grid_link_add(*, actor, county_representative: Representative, township_representative: Representative) -> str:
    """Link a township representative to a county representative. Returns a warning ("" if none)."""
    county, town = county_representative, township_representative
    errors: dict[str, list[str]] = {}
    if county.level != Representative.Level.COUNTY or not county.is_serving:
        errors.setdefault("county_representative", []).append(_("Choose a serving county representative."))
    elif not access.representatives_visible(actor).filter(pk=county.pk).exists():
        errors.setdefault("county_representative", []).append(_("You may not choose this representative."))
    if town.level != Representative.Level.TOWNSHIP or not town.is_serving:
        errors.setdefault("township_representative", []).append(_("Choose a serving township representative."))
    elif not _may_keep(actor, town):
        errors.setdefault("township_representative", []).append(_("You may not choose this representative."))
    elif county.district_township_id != town.district_township_id:
        errors.setdefault("township_representative", []).append(_("Link representatives elected in the same township."))
    if not errors:
        existing = GridLink.objects.filter(township_representative=town).select_related("county_representative")
        existing = existing.first()
        if existing is not None:
            errors["township_representative"] = [
                _("%(name)s is already linked to county representative %(county)s: remove that link first.")
                % {"name": town.name, "county": existing.county_representative.name}
            ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            GridLink.objects.create(county_representative=county, township_representative=town, created_by=actor)
    except IntegrityError as exc:
        raise ValidationError({"township_representative": [_("This representative was just linked.")]}) from exc
    count = GridLink.objects.filter(county_representative=county).count()
    _low, high = grid_range("township_per_county")
    if count > high:
        return _("%(name)s now links %(count)d township representatives, more than the %(max)d expected.") % {
            "name": county.name,
            "count": count,
            "max": high,
        }
    return ""


@transaction.atomic
def grid_link_remove(*, actor, link: GridLink) -> None:
    if not access.grid_links_visible(actor).filter(pk=link.pk).exists():
        raise PermissionDenied(_("You may not change this link."))
    link.delete()


@transaction.atomic
def household_link_add(*, actor, representative: Representative, household: Household) -> str:
    """Link a household to a township representative. Returns a warning ("" if none)."""
    rep = representative
    errors: dict[str, list[str]] = {}
    if rep.level != Representative.Level.TOWNSHIP or not rep.is_serving:
        errors.setdefault("representative", []).append(_("Choose a serving township representative."))
    elif not _may_keep(actor, rep):
        errors.setdefault("representative", []).append(_("You may not choose this representative."))
    if not access.households_changeable(actor).filter(pk=household.pk).exists():
        errors.setdefault("household", []).append(_("You may not choose this household."))
    elif not errors and household.township_id != rep.district_township_id:
        errors.setdefault("household", []).append(
            _("The household must live in the township where the representative was elected.")
        )
    if not errors:
        existing = HouseholdLink.objects.filter(household=household).select_related("representative").first()
        if existing is not None:
            errors["household"] = [
                _("This household is already linked to %(name)s: remove that link first.")
                % {"name": existing.representative.name}
            ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            HouseholdLink.objects.create(representative=rep, household=household, created_by=actor)
    except IntegrityError as exc:
        raise ValidationError({"household": [_("This household was just linked.")]}) from exc
    count = HouseholdLink.objects.filter(representative=rep).count()
    _low, high = grid_range("households_per_township")
    if count > high:
        return _("%(name)s is now linked to %(count)d households, more than the %(max)d expected.") % {
            "name": rep.name,
            "count": count,
            "max": high,
        }
    return ""


@transaction.atomic
def household_link_remove(*, actor, link: HouseholdLink) -> None:
    if not access.household_links_visible(actor).filter(pk=link.pk).exists():
        raise PermissionDenied(_("You may not change this link."))
    link.delete()


@transaction.atomic
def household_visit_log(
    *, actor, household: Household, representative: Representative, visited_on: datetime.date, note: str = ""
) -> HouseholdVisit:
    """Record that a representative visited a household (走访)."""
    errors: dict[str, list[str]] = {}
    own = representative.user_id == actor.pk and access.own_grid_households(actor).filter(pk=household.pk).exists()
    if not own and not access.households_visible(actor).filter(pk=household.pk).exists():
        errors.setdefault("household", []).append(_("You may not choose this household."))
    if not own and not access.representatives_visible(actor).filter(pk=representative.pk).exists():
        errors.setdefault("representative", []).append(_("You may not choose this representative."))
    if visited_on is None:
        errors.setdefault("visited_on", []).append(_("This field is required."))
    elif visited_on > timezone.localdate():
        errors.setdefault("visited_on", []).append(_("A visit cannot be logged before it happens."))
    elif visited_on < EARLIEST_VISIT:
        errors.setdefault("visited_on", []).append(_("Enter a date in 2000 or later."))
    note = normalize_multiline(note)
    if len(note) > 1000:
        errors.setdefault("note", []).append(_("Keep the note under 1000 characters."))
    if errors:
        raise ValidationError(errors)
    visit = HouseholdVisit.objects.create(
        household=household, representative=representative, visited_on=visited_on, note=note, created_by=actor
    )
    performance_record_add_for_source(
        representative=representative, kind=PerformanceKind.HOUSEHOLD_VISIT, source=visit, date=visited_on, actor=actor
    )
    return visit


@transaction.atomic
def household_visit_delete(*, actor, visit: HouseholdVisit) -> None:
    """Remove a household visit logged by mistake (by whoever logged it, or staff over it); its
    performance record goes with it."""
    if visit.created_by_id != actor.pk and not access.household_visits_visible(actor).filter(pk=visit.pk).exists():
        raise PermissionDenied(_("You may not change this visit."))
    performance_records_remove_for_source(source=visit)
    visit.delete()
