"""Voters and households: every write, validated in Chinese, attributable (history records who).

Duplicate detection is by mobile number: one contact record per number in the instance. A second
record with the same number is refused; the message names the existing record when the user may
see it (the view links to it) and otherwise only says it exists elsewhere, naming no one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since, stored_values
from liaison.models import Division, Station
from liaison.text import normalize_text
from representatives.services.roster import PHONE_RE, name_initials, normalize_phone
from voters.models import Household, Voter

VOTER_FIELDS = ("station", "name", "phone", "division", "address", "household", "consents_to_contact", "note")
HOUSEHOLD_FIELDS = ("station", "division", "head_name", "address", "member_count", "note")

# ValidationError codes of the duplicate-phone refusal (the view links to the existing record).
DUPLICATE_IN_SCOPE = "duplicate_in_scope"
DUPLICATE_ELSEWHERE = "duplicate_elsewhere"


def phone_owner(*, phone: str, exclude_pk: int | None = None) -> Voter | None:
    """The voter already holding this number, if any (duplicate detection)."""
    phone = normalize_phone(phone)
    if not phone:
        return None
    return Voter.objects.filter(phone=phone).exclude(pk=exclude_pk).only("pk", "name", "station_id").first()


def duplicate_error(*, actor, owner: Voter) -> ValidationError:
    if access.voters_visible(actor).filter(pk=owner.pk).exists():
        return ValidationError(
            _("This mobile number is already recorded for voter %(name)s: open that record instead."),
            code=DUPLICATE_IN_SCOPE,
            params={"name": owner.name, "pk": owner.pk},
        )
    return ValidationError(
        _("This mobile number is already recorded by another station. Ask the county staff if it must move."),
        code=DUPLICATE_ELSEWHERE,
    )


def _check_station(actor, station: Station | None, errors: dict) -> None:
    if station is None:
        errors.setdefault("station", []).append(_("This field is required."))
    elif not access.voter_stations(actor).filter(pk=station.pk).exists():
        errors.setdefault("station", []).append(_("You may not keep records of this station."))


def _check_division(actor, division: Division | None, errors: dict, *, required: bool) -> None:
    if division is None:
        if required:
            errors.setdefault("division", []).append(_("This field is required."))
        return
    if division.kind not in Division.GRASSROOTS_LEVEL:
        errors.setdefault("division", []).append(_("Choose a village or a community."))
    elif not access.divisions_visible(actor).filter(pk=division.pk).exists():
        errors.setdefault("division", []).append(_("You may not choose this village or community."))


def validate_voter(*, actor, voter: Voter) -> None:
    errors: dict[str, list] = {}
    voter.name = normalize_text(voter.name)
    voter.phone = normalize_phone(voter.phone)
    voter.address = normalize_text(voter.address)
    voter.note = normalize_text(voter.note)
    if not voter.name:
        errors.setdefault("name", []).append(_("Enter the voter's name."))
    if voter.phone and not PHONE_RE.match(voter.phone):
        errors.setdefault("phone", []).append(_("Enter an 11-digit mobile number starting with 1."))
    elif voter.phone:
        owner = phone_owner(phone=voter.phone, exclude_pk=voter.pk)
        if owner is not None:
            errors.setdefault("phone", []).append(duplicate_error(actor=actor, owner=owner))
    _check_station(actor, voter.station if voter.station_id else None, errors)
    _check_division(actor, voter.division if voter.division_id else None, errors, required=False)
    if voter.household_id and not access.households_visible(actor).filter(pk=voter.household_id).exists():
        errors.setdefault("household", []).append(_("You may not choose this household."))
    if errors:
        raise ValidationError(errors)
    voter.full_clean(exclude=["station", "division", "household"], validate_unique=False, validate_constraints=False)


def _save_voter(voter: Voter) -> None:
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError as exc:  # two officers saving the same number at the same moment
        raise ValidationError({"phone": [_("This mobile number was just recorded for another voter.")]}) from exc


def _record_consent(*, actor, voter: Voter, before: bool | None) -> None:
    """Who recorded the consent (or its withdrawal), and when."""
    if before is None and not voter.consents_to_contact:
        return
    if before != voter.consents_to_contact:
        voter.consent_recorded_by = actor
        voter.consent_recorded_at = timezone.now()


@transaction.atomic
def voter_create(*, actor, **fields) -> Voter:
    unknown = set(fields) - set(VOTER_FIELDS)
    if unknown:
        raise TypeError(f"voter_create() got unexpected fields {sorted(unknown)}")
    voter = Voter(**fields)
    validate_voter(actor=actor, voter=voter)
    voter.name_initials = name_initials(voter.name)
    voter.created_by = actor
    _record_consent(actor=actor, voter=voter, before=None)
    voter._history_user = actor
    _save_voter(voter)
    return voter


@transaction.atomic
def voter_update(*, actor, voter: Voter, opened: dict | None = None, **fields) -> Voter:
    """Change a voter's record.

    `opened`: the stored values the form was opened with; a save over a change made since is
    refused (EditConflict). Saving unchanged values writes nothing, not even history.
    """
    unknown = set(fields) - set(VOTER_FIELDS)
    if unknown:
        raise TypeError(f"voter_update() got unexpected fields {sorted(unknown)}")
    if not access.voters_changeable(actor).filter(pk=voter.pk).exists():
        raise PermissionDenied(_("You may not change this voter's record."))
    refuse_if_changed_since(voter, opened=opened, fields=VOTER_FIELDS)
    old = Voter.objects.select_for_update().get(pk=voter.pk)
    before = old.consents_to_contact
    for name, value in fields.items():
        setattr(voter, name, value)
    validate_voter(actor=actor, voter=voter)
    if stored_values(voter, VOTER_FIELDS) == stored_values(old, VOTER_FIELDS):
        return voter
    voter.name_initials = name_initials(voter.name)
    _record_consent(actor=actor, voter=voter, before=before)
    voter._history_user = actor
    _save_voter(voter)
    return voter


def validate_household(*, actor, household: Household) -> None:
    errors: dict[str, list] = {}
    household.head_name = normalize_text(household.head_name)
    household.address = normalize_text(household.address)
    household.note = normalize_text(household.note)
    if not household.head_name:
        errors.setdefault("head_name", []).append(_("Enter the name of the head of household."))
    if not household.address:
        errors.setdefault("address", []).append(_("Enter the address."))
    if household.member_count is not None and not 1 <= household.member_count <= 50:
        errors.setdefault("member_count", []).append(_("Enter a number of members between 1 and 50."))
    _check_station(actor, household.station if household.station_id else None, errors)
    _check_division(actor, household.division if household.division_id else None, errors, required=True)
    if not errors and household.division.township_id() != household.station.division.township_id():
        errors.setdefault("division", []).append(_("The village or community must be in the station's township."))
    if errors:
        raise ValidationError(errors)
    household.full_clean(exclude=["station", "division", "township"], validate_unique=False)


@transaction.atomic
def household_create(*, actor, **fields) -> Household:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"household_create() got unexpected fields {sorted(unknown)}")
    household = Household(**fields)
    validate_household(actor=actor, household=household)
    household.township_id = household.division.township_id()
    household.created_by = actor
    household._history_user = actor
    household.save()
    return household


@transaction.atomic
def household_update(*, actor, household: Household, opened: dict | None = None, **fields) -> Household:
    """Change a household.

    `opened`: the stored values the form was opened with; a save over a change made since is
    refused (EditConflict). Saving unchanged values writes nothing, not even history.
    """
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"household_update() got unexpected fields {sorted(unknown)}")
    if not access.households_changeable(actor).filter(pk=household.pk).exists():
        raise PermissionDenied(_("You may not change this household."))
    refuse_if_changed_since(household, opened=opened, fields=HOUSEHOLD_FIELDS)
    old = Household.objects.select_for_update().get(pk=household.pk)
    old_township = old.township_id
    for name, value in fields.items():
        setattr(household, name, value)
    validate_household(actor=actor, household=household)
    if stored_values(household, HOUSEHOLD_FIELDS) == stored_values(old, HOUSEHOLD_FIELDS):
        return household
    household.township_id = household.division.township_id()
    if old_township != household.township_id and hasattr(household, "grid_link"):
        # A household that moves to another township leaves its representative there.
        household.grid_link.delete()
    household._history_user = actor
    household.save()
    return household
