"""How a suggestion comes in: registered by station staff or a representative, sent from the public
form, turned from an item raised at a reception day, or filed as a representative's proposal with
co-signers (who confirm or decline)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.ids import parse_ids
from liaison.models import Station
from liaison.text import normalize_multiline, normalize_text
from representatives.models import PerformanceKind, Representative
from representatives.services.performance import performance_record_add_for_source
from representatives.text import PHONE_RE, normalize_phone
from suggestions.models import Category, CoSigner, Suggestion
from suggestions.services.common import step, tell
from voters.models import RaisedItem, Visit

PUBLIC_SOURCES = (
    Suggestion.Source.WEB_FORM,
    Suggestion.Source.STATION_CODE,
    Suggestion.Source.REPRESENTATIVE_CODE,
)
STAFF_SOURCES = (Suggestion.Source.OFFICER, Suggestion.Source.RECEPTION, Suggestion.Source.REPRESENTATIVE)
MAX_COSIGNERS = 30


def _proposal_duties_changed(suggestion: Suggestion) -> None:
    """A proposal was filed, or one of its co-signers confirmed: each counts in the representatives'
    performance records (履职档案), dated the day it was filed or confirmed, once per source and
    representative (calling again changes nothing)."""
    if suggestion.representative_id is not None:
        performance_record_add_for_source(
            representative=suggestion.representative_id,
            kind=PerformanceKind.PROPOSAL_FILED,
            source=suggestion,
            date=timezone.localdate(suggestion.submitted_at),
            note=suggestion.title,
        )
    for cosigner in suggestion.cosigners.filter(confirmed_at__isnull=False):
        performance_record_add_for_source(
            representative=cosigner.representative_id,
            kind=PerformanceKind.PROPOSAL_COSIGNED,
            source=suggestion,
            date=timezone.localdate(cosigner.confirmed_at),
            note=suggestion.title,
        )


def _text_fields(title: str, content: str) -> tuple[str, str]:
    title, content = normalize_text(title), normalize_multiline(content)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the suggestion a short title.")]
    elif len(title) > 100:
        errors["title"] = [_("The title is too long (at most 100 characters).")]
    if not content:
        errors["content"] = [_("Describe the suggestion.")]
    elif len(content) > 5000:
        errors["content"] = [_("The text is too long (at most 5000 characters).")]
    if errors:
        raise ValidationError(errors)
    return title, content


def _category(category_id) -> Category:
    category = Category.objects.filter(pk=category_id, is_active=True).first() if category_id else None
    if category is None:
        raise ValidationError({"category_id": [_("Choose a category.")]})
    return category


def _contact(name: str, phone: str, *, required: bool) -> tuple[str, str]:
    name, phone = normalize_text(name), normalize_phone(phone)
    errors: dict[str, list[str]] = {}
    if required and not name:
        errors["contact_name"] = [_("Give your name so that the station can reach you.")]
    elif len(name) > 50:
        errors["contact_name"] = [_("The name is too long.")]
    if required and not phone:
        errors["contact_phone"] = [_("Give your mobile number: its last four digits let you rate the answer.")]
    elif phone and not PHONE_RE.match(phone):
        errors["contact_phone"] = [_("Enter an 11-digit mobile number.")]
    if errors:
        raise ValidationError(errors)
    return name, phone


def _checked(*checks):
    """Run each check (a callable); the values, or one ValidationError with every field's errors."""
    values, errors = [], {}
    for check in checks:
        try:
            values.append(check())
        except ValidationError as exc:
            errors.update(exc.message_dict)
            values.append(None)
    if errors:
        raise ValidationError(errors)
    return values


def _new(*, station: Station, actor, action_note: str = "", **fields) -> Suggestion:
    suggestion = Suggestion(station=station, township_id=station.division.township_id(), **fields)
    suggestion.status = ""  # before its first step
    suggestion.save()
    step(suggestion, "submit", actor=actor, to=Suggestion.Status.SUBMITTED, note=action_note)
    return suggestion


@transaction.atomic
def suggestion_create(
    *,
    actor,
    kind: str = Suggestion.Kind.OPINION,
    source: str,
    title: str,
    content: str,
    category_id,
    station_id,
    representative_id=None,
    voter_id=None,
    contact_name: str = "",
    contact_phone: str = "",
    publish_consent: bool = False,
) -> Suggestion:
    """Register an opinion: station staff for a station in their scope, or a representative for
    something they received (their own record, at their home station)."""
    own = access.own_representative_id(actor)
    staff = access.has_capability(actor, access.Capability.SUGGESTIONS)
    if not staff and own is None:
        raise PermissionDenied
    if kind not in Suggestion.Kind.values:
        raise ValidationError({"kind": [_("Choose what kind of suggestion this is.")]})
    if source not in Suggestion.Source.values:
        raise ValidationError({"source": [_("Choose where the suggestion came from.")]})
    (title, content), category, (contact_name, contact_phone) = _checked(
        lambda: _text_fields(title, content),
        lambda: _category(category_id),
        lambda: _contact(contact_name, contact_phone, required=False),
    )
    if staff:
        station = access.suggestion_stations(actor).select_related("division").filter(pk=station_id).first()
        if station is None:
            raise ValidationError({"station_id": [_("Choose one of your stations.")]})
        representative = None
        if representative_id:
            representative = Representative.objects.filter(pk=representative_id).first()
            if representative is None:
                raise ValidationError({"representative_id": [_("Choose a representative from the list.")]})
    else:
        assert own is not None  # not staff: a representative
        representative = Representative.objects.select_related("home_station__division").get(pk=own)
        station = representative.home_station
    voter = None
    if voter_id:
        voter = access.voters_visible(actor).filter(pk=voter_id).first()
        if voter is None:
            raise ValidationError({"voter_id": [_("Choose a voter from the list.")]})
    return _new(
        station=station,
        actor=actor,
        kind=kind,
        source=source,
        title=title,
        content=content,
        category=category,
        representative=representative,
        voter=voter,
        contact_name=contact_name,
        contact_phone=contact_phone,
        publish_consent=bool(publish_consent),
        created_by=actor,
    )


@transaction.atomic
def suggestion_create_public(
    *,
    station_id=None,
    representative_id=None,
    source: str,
    title: str,
    content: str,
    category_id,
    contact_name: str,
    contact_phone: str,
    publish_consent: bool,
) -> Suggestion:
    """A voter's opinion from the public form (no account): to a station, or to a representative
    (then kept by the representative's home station)."""
    if source not in PUBLIC_SOURCES:
        raise ValidationError({"source": [_("Choose where the suggestion came from.")]})
    representative = None
    if representative_id:
        representative = (
            Representative.objects.filter(pk=representative_id, status=Representative.Status.SERVING)
            .select_related("home_station__division")
            .first()
        )
        if representative is None:
            raise ValidationError({"representative_id": [_("This representative cannot be reached here.")]})
        station = representative.home_station
    else:
        found = (
            Station.objects.filter(pk=station_id, is_active=True).select_related("division").first()
            if station_id
            else None
        )
        if found is None:
            raise ValidationError({"station_id": [_("Choose a liaison station.")]})
        station = found
    (title, content), category, (contact_name, contact_phone) = _checked(
        lambda: _text_fields(title, content),
        lambda: _category(category_id),
        lambda: _contact(contact_name, contact_phone, required=True),
    )
    return _new(
        station=station,
        actor=None,
        kind=Suggestion.Kind.OPINION,
        source=source,
        title=title,
        content=content,
        category=category,
        representative=representative,
        contact_name=contact_name,
        contact_phone=contact_phone,
        publish_consent=bool(publish_consent),
    )


@transaction.atomic
def suggestion_create_from_raised_item(*, actor, item_id, category_id, title: str = "") -> Suggestion:
    """Turn a matter raised at a reception day into a suggestion (source reception; station,
    receiving representative and voter from the visit). A visit settled on the spot gives a
    suggestion settled at once (two timeline steps). An item is converted once."""
    item = (
        RaisedItem.objects.select_for_update(of=("self",))
        .select_related("visit__day__station__division", "visit__voter")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ValidationError(_("This item no longer exists."))
    station = item.visit.day.station
    if not access.suggestion_stations(actor).filter(pk=station.pk).exists():
        raise PermissionDenied
    if item.suggestion_id:
        raise ValidationError(_("This item has already been turned into a suggestion."), code="converted")
    category = _category(category_id)
    title, content = _text_fields(title or item.text[:100], item.text)
    visit = item.visit
    voter = visit.voter
    suggestion = _new(
        station=station,
        actor=actor,
        kind=Suggestion.Kind.OPINION,
        source=Suggestion.Source.RECEPTION,
        title=title,
        content=content,
        category=category,
        representative_id=visit.received_by_id,
        voter=voter,
        contact_name=voter.name if voter else "",
        contact_phone=voter.phone if voter else "",
        created_by=actor,
    )
    if visit.outcome == Visit.Outcome.SETTLED:
        suggestion.closed_at = timezone.now()
        step(
            suggestion,
            "settle",
            actor=actor,
            to=Suggestion.Status.SETTLED,
            note=_("Settled at the reception day of %(date)s.") % {"date": visit.day.date.isoformat()},
            fields=("closed_at",),
        )
    item.suggestion = suggestion
    item.save(update_fields=["suggestion"])
    return suggestion


@transaction.atomic
def proposal_create(*, actor, title: str, content: str, category_id, cosigner_ids=()) -> Suggestion:
    """A representative files a proposal (代表建议) they lead; co-signers are invited and told."""
    own = access.own_representative_id(actor)
    if own is None:
        raise PermissionDenied
    lead = Representative.objects.select_related("home_station__division").get(pk=own)
    (title, content), category = _checked(lambda: _text_fields(title, content), lambda: _category(category_id))
    ids = list(dict.fromkeys(parse_ids(cosigner_ids or ())))
    if own in ids:
        raise ValidationError({"cosigner_ids": [_("You lead this proposal: do not add yourself as a co-signer.")]})
    if len(ids) > MAX_COSIGNERS:
        raise ValidationError({"cosigner_ids": [_("At most %(n)s co-signers.") % {"n": MAX_COSIGNERS}]})
    cosigners = list(
        Representative.objects.filter(
            pk__in=ids, status=Representative.Status.SERVING, congress_id=lead.congress_id
        ).select_related("user")
    )
    if len(cosigners) != len(ids):
        raise ValidationError(
            {
                "cosigner_ids": [
                    _("Co-signers are serving representatives of your own congress: choose them from the list.")
                ]
            }
        )
    suggestion = _new(
        station=lead.home_station,
        actor=actor,
        kind=Suggestion.Kind.PROPOSAL,
        source=Suggestion.Source.REPRESENTATIVE,
        title=title,
        content=content,
        category=category,
        representative=lead,
        created_by=actor,
    )
    CoSigner.objects.bulk_create([CoSigner(suggestion=suggestion, representative=rep) for rep in cosigners])
    tell(
        [rep.user for rep in cosigners if rep.user is not None and rep.user.is_active],
        kind="suggestion_cosign",
        key=f"suggestion:{suggestion.pk}:cosign",
        title=_("%(name)s invites you to co-sign a proposal") % {"name": lead.name},
        body=title,
    )
    _proposal_duties_changed(suggestion)
    return suggestion


@transaction.atomic
def cosigner_respond(*, actor, suggestion_id, confirm: bool) -> CoSigner:
    """An invited representative confirms (counted from then on) or declines to co-sign."""
    own = access.own_representative_id(actor)
    if own is None:
        raise PermissionDenied
    cosigner = (
        CoSigner.objects.select_for_update()
        .select_related("suggestion")
        .filter(suggestion_id=suggestion_id, representative_id=own)
        .first()
    )
    if cosigner is None:
        raise PermissionDenied
    if cosigner.confirmed_at or cosigner.declined_at:
        raise ValidationError(_("You have already answered this invitation."), code="answered")
    if cosigner.suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
        raise ValidationError(_("This proposal is already being handled: co-signing has ended."), code="closed")
    if confirm:
        cosigner.confirmed_at = timezone.now()
        cosigner.save(update_fields=["confirmed_at"])
        _proposal_duties_changed(cosigner.suggestion)
    else:
        cosigner.declined_at = timezone.now()
        cosigner.save(update_fields=["declined_at"])
    return cosigner
