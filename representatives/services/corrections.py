"""Correction requests: a representative proposes new values for their record, their station
applies (all or some) or rejects them with a reason, and each side is told."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Notification, User
from liaison.selectors import station_officers
from liaison.services import notify
from liaison.text import normalize_multiline, normalize_text
from representatives.models import RecordCorrection, Representative
from representatives.selectors.corrections import CORRECTABLE_FIELDS, correction_current_values, correction_field_label
from representatives.services.roster import representative_update
from representatives.text import PHONE_RE, normalize_phone, split_specialties

# A correction request is a note, not a letter (the form allows as much).
CORRECTION_MAX_LENGTH = 1000
CORRECTION_TEXT_LIMITS = {"residence_address": 200, "occupation": 200}


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
    *, actor: User, representative: Representative, message: str = "", proposed: dict | None = None
) -> RecordCorrection:
    """A representative asks their station to correct their record; the officer is told.

    `proposed` holds new values per field (see CORRECTABLE_FIELDS); values equal to the record are
    not proposals. The record's values of the proposed fields are kept, so the officer sees later
    whether the record changed in between.
    """

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
    # The officers of the home station: the one named on the station and every officer grant on it
    # (liaison.selectors.station_officers, the same rule as the refresh reminders).
    officers = station_officers([representative.home_station_id]).get(representative.home_station_id, [])
    summary = "；".join(
        f"{correction_field_label(name)}：{'、'.join(value) if isinstance(value, list) else value or '—'}"
        for name, value in values.items()
    )
    for officer in officers:
        notify(
            recipient=officer,
            kind="record_correction",
            key=f"record_correction:{correction.pk}:{officer.pk}",
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
    *, actor: User, correction: RecordCorrection, decision: str, fields: list[str] | None = None, reason: str = ""
) -> RecordCorrection:
    """Apply a correction request in one step: all or some of the proposed values, or none.

    Accepted values go through representative_update, so the record's history names the officer.
    Any value not applied (a rejection, or accepting only some) needs a reason, which the
    representative reads in the notification they get either way.
    """

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
def correction_resolve(*, actor: User, correction: RecordCorrection, note: str = "") -> RecordCorrection:
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
