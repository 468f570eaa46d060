"""The roster: creating, changing and ending representatives, and correction requests."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since, stored_values
from liaison.models import Division, Station
from liaison.text import check_lengths, normalize_multiline, normalize_text
from representatives.models import RecordCorrection, Representative, Specialty


def _account_not_linkable() -> str:
    return _(
        "No account with this user name can be linked. Ask the system administrator for an account "
        "for the representative: it must have no other role."
    )


# A correction request is a note, not a letter (the form allows as much).
CORRECTION_MAX_LENGTH = 1000
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
SPECIALTY_SPLIT_RE = re.compile(r"[、,，;；/\s]+")

ROSTER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "phone",
    "level",
    "congress",
    "term",
    "electoral_district",
    "district_township",
    "home_station",
    "residence_division",
    "residence_address",
    "occupation",
)
# What an edit form carries as its version (see liaison.edit_conflicts).
VERSIONED_FIELDS = (*ROSTER_FIELDS, "specialties")


# --- Normalisation shared by the forms and the import ------------------------------------------


def normalize_phone(value) -> str:
    """'１３８ ０００-１２３４' -> '13800001234'. Does not validate."""
    text = normalize_text(value)
    if text.endswith(".0"):  # a number cell read from Excel as a float
        text = text[:-2]
    return re.sub(r"[\s\-]", "", text)


def split_specialties(value) -> list[str]:
    """'法律、农业,教育' -> ['法律', '农业', '教育'] (order kept, duplicates dropped)."""
    names = [part for part in SPECIALTY_SPLIT_RE.split(normalize_text(value)) if part]
    return list(dict.fromkeys(names))


def name_initials(name: str) -> str:
    """Pinyin initials, lower case: 王建国 -> wjg."""
    return "".join(syllable[0] for syllable in lazy_pinyin(name, style=Style.FIRST_LETTER) if syllable).lower()[:20]


def township_of(division: Division) -> int | None:
    return division.township_id()


# --- Validation ------------------------------------------------------------------------------


def validate_representative(*, actor, representative: Representative) -> None:
    """The roster's rules; raises ValidationError keyed by field, in Chinese."""
    rep = representative
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    rep.name = normalize_text(rep.name)
    rep.phone = normalize_phone(rep.phone)
    rep.ethnicity = normalize_text(rep.ethnicity) or "汉族"
    rep.term = normalize_text(rep.term)
    rep.electoral_district = normalize_text(rep.electoral_district)
    rep.residence_address = normalize_text(rep.residence_address)
    rep.occupation = normalize_text(rep.occupation)
    if not rep.name:
        add("name", _("Enter the representative's name."))
    if rep.phone and not PHONE_RE.match(rep.phone):
        add("phone", _("Enter an 11-digit mobile number starting with 1."))
    this_year = timezone.localdate().year
    if rep.birth_year is not None and not (1920 <= rep.birth_year <= this_year - 18):
        add("birth_year", _("Enter a birth year between 1920 and %(year)s.") % {"year": this_year - 18})
    if rep.district_township_id and not rep.district_township.is_township_level:
        add("district_township", _("The electoral district must belong to a township or subdistrict."))
    for field in ("gender", "level", "district_township", "home_station", "residence_division"):
        if not getattr(rep, f"{field}_id" if field not in ("gender", "level") else field, None):
            add(field, _("This field is required."))
    if (
        rep.level == Representative.Level.TOWNSHIP
        and rep.district_township_id
        and rep.district_township.kind != Division.Kind.TOWNSHIP
    ):
        add(
            "level",
            _("Subdistricts and development zones have no congress of their own: only county representatives."),
        )
    if rep.district_township_id and rep.district_township.is_township_level:
        # The congress follows from the level: the county's, or the district township's own.
        if rep.level == Representative.Level.COUNTY:
            # The county above the township, at whatever depth the tree puts it.
            rep.congress_id = rep.district_township.county_id() or rep.district_township.ancestor_ids()[0]
        else:
            rep.congress_id = rep.district_township_id
    if rep.home_station_id:
        if not rep.home_station.is_active:
            add("home_station", _("This liaison station has been deactivated."))
        if not access.stations_changeable(actor).filter(pk=rep.home_station_id).exists():
            add("home_station", _("You may not keep representatives of this station."))
    if rep.phone and rep.level and rep.term:
        clash = (
            Representative.objects.filter(level=rep.level, term=rep.term, phone=rep.phone)
            .exclude(pk=rep.pk)
            .only("name")
            .first()
        )
        if clash and not access.representatives_visible(actor).filter(pk=clash.pk).exists():
            # Another station's representative: say so without naming them.
            add(
                "phone",
                _("This mobile number belongs to a representative of another station in the same congress and term."),
            )
        elif clash:
            add(
                "phone",
                _("This mobile number already belongs to %(name)s in the same congress and term.")
                % {"name": clash.name},
            )
    if errors:
        raise ValidationError(errors)
    # Related objects arrive as instances the caller took from scoped querysets: no re-check here.
    # The unique phone was checked above and both constraints hold in the database anyway.
    rep.full_clean(
        exclude=["specialties", "user", "congress", "district_township", "home_station", "residence_division"],
        validate_unique=False,
        validate_constraints=False,
    )


def _derive(rep: Representative) -> None:
    """Fields the services keep: pinyin initials, mobile or not, living in the county town."""
    rep.name_initials = name_initials(rep.name)
    rep.is_mobile = township_of(rep.residence_division) != rep.district_township_id
    rep.lives_in_county_town = rep.residence_division.is_county_town


def validate_specialties(names: list[str]) -> None:
    """Each specialty fits its column (30 characters); ValidationError in Chinese otherwise."""
    limit = Specialty._meta.get_field("name").max_length
    too_long = [name for name in names if len(name) > limit]
    if too_long:
        raise ValidationError(
            {
                "specialties": [
                    _("A specialty can be at most %(max)d characters long: %(name)s")
                    % {"max": limit, "name": too_long[0][:limit] + "…"}
                ]
            }
        )


def specialties_for(names: list[str]) -> list[Specialty]:
    validate_specialties(names)
    existing = {s.name: s for s in Specialty.objects.filter(name__in=names)}
    missing = [Specialty(name=name) for name in names if name not in existing]
    if missing:
        Specialty.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.name: s for s in Specialty.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def _save(rep: Representative, specialties: list[str] | None) -> None:
    """Save fields and specialties, then write ONE history record of the whole new state.

    Without this, django-simple-history would write one record for the save and another for the
    specialties, and the history page would show an empty change.
    """
    created = rep.pk is None
    rep.skip_history_when_saving = True
    try:
        with transaction.atomic():
            rep.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": [_("This mobile number is already on the roster.")]}) from exc
    finally:
        del rep.skip_history_when_saving
    if specialties is not None:
        rep.skip_history_when_saving = True
        rep.specialties.set(specialties_for(specialties))
        del rep.skip_history_when_saving
    # simple-history writes its record from post_save: send it once, now that everything is set.
    post_save.send(sender=Representative, instance=rep, created=created, update_fields=None, raw=False, using="default")


def _after_places_changed(*, actor, rep: Representative) -> None:
    """Keep the mobile register in step with where the representative lives."""
    from representatives.services import register

    register.register_sync(actor=actor, representative=rep)


# --- Use cases -------------------------------------------------------------------------------


@transaction.atomic
def representative_create(*, actor, specialties: list[str] | None = None, **fields) -> Representative:
    rep = Representative(**{name: value for name, value in fields.items() if name in ROSTER_FIELDS})
    unknown = set(fields) - set(ROSTER_FIELDS)
    if unknown:
        raise TypeError(f"representative_create() got unexpected fields {sorted(unknown)}")
    validate_specialties(specialties or [])
    validate_representative(actor=actor, representative=rep)
    _derive(rep)
    rep._history_user = actor
    _save(rep, specialties or [])
    _after_places_changed(actor=actor, rep=rep)
    return rep


@transaction.atomic
def representative_update(
    *,
    actor,
    representative: Representative,
    specialties: list[str] | None = None,
    opened: dict | None = None,
    **fields,
) -> Representative:
    """Change a record. `opened`: the stored values the form was opened with; a save over a change
    made since is refused (EditConflict). Saving unchanged values writes nothing, not even history."""
    rep = representative
    unknown = set(fields) - set(ROSTER_FIELDS)
    if unknown:
        raise TypeError(f"representative_update() got unexpected fields {sorted(unknown)}")
    validate_specialties(specialties or [])
    refuse_if_changed_since(rep, opened=opened, fields=VERSIONED_FIELDS)
    stored = Representative.objects.get(pk=rep.pk)
    before = (stored.residence_division_id, stored.district_township_id, stored.home_station_id)
    stored_fields = stored_values(stored, ROSTER_FIELDS)
    for name, value in fields.items():
        setattr(rep, name, value)
    validate_representative(actor=actor, representative=rep)
    _derive(rep)
    if stored_values(rep, ROSTER_FIELDS) == stored_fields and (
        specialties is None or set(specialties) == set(stored.specialties.values_list("name", flat=True))
    ):
        return rep
    rep._history_user = actor
    _save(rep, specialties)
    if (rep.residence_division_id, rep.district_township_id, rep.home_station_id) != before:
        _after_places_changed(actor=actor, rep=rep)
    return rep


@transaction.atomic
def representative_end_service(
    *, actor, representative: Representative, status: str, date: datetime.date, reason: str
) -> Representative:
    """Resignation or termination: the record stays, with the date and the reason."""
    rep = representative
    if status not in (Representative.Status.RESIGNED, Representative.Status.TERMINATED):
        raise ValidationError({"status": [_("Choose resigned or terminated.")]})
    if not normalize_text(reason):
        raise ValidationError({"status_reason": [_("Give the reason.")]})
    if date > timezone.localdate():
        raise ValidationError({"status_date": [_("The date cannot be in the future.")]})
    if not rep.is_serving:
        raise ValidationError(_("This representative's service has already ended."))
    rep.status, rep.status_date, rep.status_reason = status, date, normalize_text(reason)
    check_lengths(rep, fields=["status_reason"])
    rep._history_user = actor
    rep.save(update_fields=["status", "status_date", "status_reason", "updated_at"])
    _after_places_changed(actor=actor, rep=rep)
    return rep


@transaction.atomic
def representative_link_user(*, actor, representative: Representative, user) -> Representative:
    """Give a representative a sign-in account (and the representative role)."""
    from liaison.models import RoleGrant

    if not access.accounts_linkable(actor).filter(pk=user.pk).exists():
        raise ValidationError({"username": [_account_not_linkable()]})
    other = Representative.objects.filter(user=user).exclude(pk=representative.pk).only("name").first()
    if other is not None:
        raise ValidationError({"username": [_("This account already belongs to another representative.")]})
    representative.user = user
    representative._history_user = actor
    representative.save(update_fields=["user", "updated_at"])
    RoleGrant.objects.get_or_create(user=user, role=RoleGrant.Role.REPRESENTATIVE)
    return representative


@transaction.atomic
def representative_link_username(*, actor, representative: Representative, username: str) -> Representative:
    """Link the account with this user name (typed by the officer) to the representative."""
    # One query whatever the reason: the answer is the same whether or not the account exists.
    user = access.accounts_linkable(actor).filter(username=normalize_text(username)).first()
    if user is None:
        raise ValidationError({"username": [_account_not_linkable()]})
    return representative_link_user(actor=actor, representative=representative, user=user)


# --- Correction requests -----------------------------------------------------------------------

# Fields a representative may propose new values for (the rest is kept by their station).
CORRECTABLE_FIELDS = ("phone", "residence_address", "occupation", "specialties")
CORRECTION_TEXT_LIMITS = {"residence_address": 200, "occupation": 200}


def correction_field_label(name: str) -> str:
    return str(Representative._meta.get_field(name).verbose_name)


def correction_current_values(representative: Representative) -> dict:
    """The record's values of the correctable fields, in the form `proposed` keeps them."""
    rep = representative
    return {
        "phone": rep.phone,
        "residence_address": rep.residence_address,
        "occupation": rep.occupation,
        "specialties": [s.name for s in rep.specialties.all()],
    }


def _normalize_proposed(proposed: dict) -> dict:
    unknown = set(proposed) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise TypeError(f"correction_request() got fields that cannot be proposed: {sorted(unknown)}")
    values = {}
    for name, value in proposed.items():
        if name == "phone":
            values[name] = normalize_phone(value)
        elif name == "specialties":
            values[name] = split_specialties("、".join(value) if isinstance(value, list | tuple) else value)
        else:
            values[name] = normalize_text(value)
    return values


@transaction.atomic
def correction_request(
    *, actor, representative: Representative, message: str = "", proposed: dict | None = None
) -> RecordCorrection:
    """A representative asks their station to correct their record; the officer is told.

    `proposed` holds new values per field (see CORRECTABLE_FIELDS); values equal to the record are
    not proposals. The record's values of the proposed fields are kept, so the officer sees later
    whether the record changed in between.
    """
    from django.urls import reverse

    from liaison.services import notify

    message = normalize_multiline(message)
    current = correction_current_values(representative)
    values = {name: value for name, value in _normalize_proposed(proposed or {}).items() if value != current[name]}
    errors: dict[str, list[str]] = {}
    if values.get("phone") and not PHONE_RE.match(values["phone"]):
        errors.setdefault("phone", []).append(_("Enter an 11-digit mobile number starting with 1."))
    for name, limit in CORRECTION_TEXT_LIMITS.items():
        if len(values.get(name, "")) > limit:
            errors.setdefault(name, []).append(_("Keep this under %(limit)s characters.") % {"limit": limit})
    if len(message) > CORRECTION_MAX_LENGTH:
        errors.setdefault("message", []).append(
            _("Keep the request under %(max)d characters.") % {"max": CORRECTION_MAX_LENGTH}
        )
    if not values and not message:
        errors.setdefault("message", []).append(_("Change at least one value, or say what should be corrected."))
    if errors:
        raise ValidationError(errors)
    correction = RecordCorrection.objects.create(
        representative=representative,
        message=message,
        proposed=values,
        original={name: current[name] for name in values},
        created_by=actor,
    )
    station: Station = representative.home_station
    if station.officer_id:
        summary = "；".join(
            f"{correction_field_label(name)}：{'、'.join(value) if isinstance(value, list) else value or '—'}"
            for name, value in values.items()
        )
        notify(
            recipient=station.officer,
            kind="record_correction",
            key=f"record_correction:{correction.pk}",
            title=_("%(name)s asks to correct their record") % {"name": representative.name},
            body="\n".join(part for part in (summary, message) if part),
            url=reverse("representatives:correction_detail", args=[correction.pk]),
        )
    return correction


class CorrectionDecision:
    ACCEPT = "accept"
    REJECT = "reject"


@transaction.atomic
def correction_decide(
    *, actor, correction: RecordCorrection, decision: str, fields: list[str] | None = None, reason: str = ""
) -> RecordCorrection:
    """Apply a correction request in one step: all or some of the proposed values, or none.

    Accepted values go through representative_update, so the record's history names the officer.
    Any value not applied (a rejection, or accepting only some) needs a reason, which the
    representative reads in the notification they get either way.
    """
    from django.core.exceptions import PermissionDenied

    if not access.corrections_resolvable(actor).filter(pk=correction.pk).exists():
        raise PermissionDenied
    correction = RecordCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.resolved_at is not None:
        raise ValidationError(_("This correction request has already been handled."))
    reason = normalize_text(reason)
    if len(reason) > 200:
        raise ValidationError({"reason": [_("Keep the reason under 200 characters.")]})
    fields = list(dict.fromkeys(fields or []))
    if decision == CorrectionDecision.REJECT:
        if not reason:
            raise ValidationError({"reason": [_("Give the reason for rejecting the request.")]})
        outcome, accepted = RecordCorrection.Outcome.REJECTED, []
    elif decision == CorrectionDecision.ACCEPT:
        if set(fields) - set(correction.proposed):
            raise ValidationError({"fields": [_("Choose among the values the representative proposed.")]})
        if correction.proposed and not fields:
            raise ValidationError({"fields": [_("Choose at least one value to apply, or reject the request.")]})
        accepted = [name for name in correction.proposed if name in fields]
        partly = len(accepted) < len(correction.proposed)
        if partly and not reason:
            raise ValidationError({"reason": [_("Say why the other values are not applied.")]})
        outcome = RecordCorrection.Outcome.PARTLY_ACCEPTED if partly else RecordCorrection.Outcome.ACCEPTED
    else:
        raise ValidationError(_("Choose whether to apply or reject the request."))
    rep = (
        Representative.objects.select_related(
            "home_station", "district_township", "residence_division", "congress", "user"
        )
        .prefetch_related("specialties")
        .get(pk=correction.representative_id)
    )
    current = correction_current_values(rep)
    changes = {name: correction.proposed[name] for name in accepted if correction.proposed[name] != current[name]}
    if changes:
        specialties = changes.pop("specialties", None)
        representative_update(actor=actor, representative=rep, specialties=specialties, **changes)
    correction.outcome = outcome
    correction.applied_fields = accepted
    correction.resolved_at = timezone.now()
    correction.resolved_by = actor
    correction.resolution_note = reason
    correction.save(update_fields=["outcome", "applied_fields", "resolved_at", "resolved_by", "resolution_note"])
    _notify_correction_outcome(correction=correction, representative=rep)
    return correction


def _notify_correction_outcome(*, correction: RecordCorrection, representative: Representative) -> None:
    from django.urls import reverse

    from liaison.models import Notification
    from liaison.services import notify

    if representative.user_id is None or not representative.user.is_active:
        return
    titles = {
        RecordCorrection.Outcome.ACCEPTED: _("Your correction request was accepted"),
        RecordCorrection.Outcome.PARTLY_ACCEPTED: _("Your correction request was partly accepted"),
        RecordCorrection.Outcome.REJECTED: _("Your correction request was not accepted"),
    }
    parts = []
    if correction.applied_fields:
        parts.append(
            _("Updated: %(fields)s.")
            % {"fields": "、".join(correction_field_label(name) for name in correction.applied_fields)}
        )
    if correction.resolution_note:
        parts.append(_("Note from your station: %(note)s") % {"note": correction.resolution_note})
    notify(
        recipient=representative.user,
        kind="record_correction_resolved",
        key=f"record_correction_resolved:{correction.pk}",
        title=titles[correction.outcome],
        body=" ".join(parts),
        url=reverse("representatives:correction_detail", args=[correction.pk]),
        channels=(Notification.Channel.INBOX, Notification.Channel.SMS),
    )


@transaction.atomic
def correction_resolve(*, actor, correction: RecordCorrection, note: str = "") -> RecordCorrection:
    """Accept a request as it stands (all proposed values); a handled request stays as it is."""
    if correction.resolved_at is not None:
        return correction
    return correction_decide(
        actor=actor,
        correction=correction,
        decision=CorrectionDecision.ACCEPT,
        fields=list(correction.proposed),
        reason=note,
    )
