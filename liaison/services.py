"""Writes on the station network and notifications. One function per use case."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since, stored_values
from liaison.models import Division, Notification, NotificationPreference, RoleGrant, Station, User
from liaison.tasks import notification_deliver as notification_deliver_task
from liaison.text import normalize_text

logger = logging.getLogger(__name__)

STATION_FIELDS = (
    "name",
    "kind",
    "in_county_town",
    "division",
    "parent",
    "address",
    "opening_hours",
    "phone",
    "officer",
    "slug",
)


# --- Divisions ------------------------------------------------------------------------------


@transaction.atomic
def division_create(
    *, name: str, kind: str, parent: Division | None = None, code: str = "", is_county_town: bool = False
) -> Division:
    """A division; it lies in the county town if it is marked so or its parent does."""
    in_town = is_county_town or bool(parent and parent.is_county_town)
    division = Division(name=name, kind=kind, parent=parent, code=code, is_county_town=in_town)
    division.full_clean(exclude=["path", "depth"])
    division.save()
    division.path, division.depth = division.compute_path()
    division.save(update_fields=["path", "depth"])
    return division


# --- Stations -------------------------------------------------------------------------------


def _validate_station(*, actor: User, station: Station, original_parent_id: int | None) -> None:
    """Domain rules of the network; raises ValidationError keyed by field, in Chinese."""
    errors: dict[str, list[str]] = {}
    name = normalize_text(station.name)
    if not name:
        errors.setdefault("name", []).append(_("Enter the station's name."))
    station.name = name

    parent = station.parent
    kind = station.kind
    if kind == Station.Kind.GENERAL:
        if parent is not None:
            errors.setdefault("parent", []).append(_("The county general station cannot have a parent station."))
        if not access.may_create_top_level_station(actor):
            errors.setdefault("kind", []).append(_("Only county staff may set up the county general station."))
    elif parent is None:
        errors.setdefault("parent", []).append(_("Choose the station this one belongs to."))
    else:
        if station.pk and (parent.pk == station.pk or parent.is_descendant_of(station)):
            errors.setdefault("parent", []).append(
                _("A station cannot be placed under itself or under one of its own points.")
            )
        elif parent.kind not in Station.ALLOWED_PARENT_KINDS[kind]:
            if parent.kind == Station.Kind.POINT:
                message = _("A liaison point cannot have stations or points under it.")
            else:
                message = _("A %(kind)s cannot be placed under a %(parent_kind)s.") % {
                    "kind": Station.Kind(kind).label,
                    "parent_kind": Station.Kind(parent.kind).label,
                }
            errors.setdefault("parent", []).append(message)
        if not parent.is_active:
            errors.setdefault("parent", []).append(_("The parent station has been deactivated."))
        if parent.pk != original_parent_id and not access.stations_changeable(actor).filter(pk=parent.pk).exists():
            errors.setdefault("parent", []).append(_("You may not add stations under this station."))
        if station.division_id and parent.division_id and not station.division.path.startswith(parent.division.path):
            errors.setdefault("division", []).append(
                _("The division must lie within the parent station's division (%(division)s).")
                % {"division": parent.division.name}
            )
    if station.in_county_town and kind != Station.Kind.STATION:
        errors.setdefault("in_county_town", []).append(_("Only a liaison station can be a county-town station."))
    if station.division_id and not access.divisions_visible(actor).filter(pk=station.division_id).exists():
        errors.setdefault("division", []).append(_("You may not use this division."))
    if station.slug and Station.objects.filter(slug=station.slug).exclude(pk=station.pk).exists():
        errors.setdefault("slug", []).append(_("This public address is already used by another station."))
    if errors:
        raise ValidationError(errors)
    station.full_clean(exclude=["path", "depth"], validate_unique=False)


def _save_station(station: Station) -> None:
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError as exc:  # a concurrent save took the slug between check and write
        raise ValidationError({"slug": [_("This public address is already used by another station.")]}) from exc


@transaction.atomic
def station_create(*, actor: User, **fields) -> Station:
    station = Station(**fields)
    _validate_station(actor=actor, station=station, original_parent_id=None)
    _save_station(station)
    station.path, station.depth = station.compute_path()
    station.skip_history_when_saving = True  # the path is bookkeeping, not a change by the user
    station.save(update_fields=["path", "depth"])
    del station.skip_history_when_saving
    _grant_officer(station)
    logger.info("station %s created by %s", station.pk, actor.pk)
    return station


def _grant_officer(station: Station) -> None:
    """The station's named officer runs it: make sure they hold the officer role on it."""
    if station.officer_id:
        RoleGrant.objects.get_or_create(
            user_id=station.officer_id, role=RoleGrant.Role.STATION_OFFICER, station=station
        )


@transaction.atomic
def station_update(*, actor: User, station: Station, opened: dict | None = None, **fields) -> Station:
    """Change a station; moving it under another parent moves its whole subtree.

    `opened`: the stored values the form was opened with; a save over a change made since is
    refused (EditConflict). Saving unchanged values writes nothing, not even history.
    """
    refuse_if_changed_since(station, opened=opened, fields=STATION_FIELDS)
    old = Station.objects.select_for_update().get(pk=station.pk)
    for name, value in fields.items():
        if name not in STATION_FIELDS:
            raise TypeError(f"station_update() got an unexpected field {name!r}")
        setattr(station, name, value)
    _validate_station(actor=actor, station=station, original_parent_id=old.parent_id)
    if stored_values(station, STATION_FIELDS) == stored_values(old, STATION_FIELDS):
        return station
    station.path, station.depth = old.path, old.depth
    _save_station(station)
    if station.parent_id != old.parent_id:
        new_path, new_depth = station.compute_path()
        Station.objects.filter(path__startswith=old.path).update(
            path=Concat(Value(new_path), Substr("path", len(old.path) + 1)),
            depth=F("depth") + (new_depth - old.depth),
        )
        station.path, station.depth = new_path, new_depth
    if station.officer_id != old.officer_id:
        _grant_officer(station)
    return station


@transaction.atomic
def station_deactivate(*, actor: User, station: Station) -> Station:
    """Stations with history are never deleted: they are deactivated, points first."""
    if not station.is_active:
        return station
    if station.children.filter(is_active=True).exists():
        raise ValidationError(_("Deactivate the stations and points under this station first."))
    station.is_active = False
    station.deactivated_at = timezone.now()
    station.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    logger.info("station %s deactivated by %s", station.pk, actor.pk)
    return station


@transaction.atomic
def station_reactivate(*, actor: User, station: Station) -> Station:
    if station.is_active:
        return station
    if station.parent is not None and not station.parent.is_active:
        raise ValidationError(_("Reactivate the parent station first."))
    station.is_active = True
    station.deactivated_at = None
    station.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    return station


# --- Notifications --------------------------------------------------------------------------


def notify(
    *,
    recipient,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    channels: tuple[str, ...] | None = None,
) -> Notification | None:
    """Put a message in the recipient's inbox and queue email/SMS delivery after commit.

    The key makes it idempotent: the same key twice stores and sends one message.
    Returns the new notification, or None if one with this key already exists.
    Without `channels`, the recipient's own choice (`NotificationPreference`) applies.
    """

    if channels is None:
        channels = preferred_channels(recipient)

    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "kind": kind,
                "title": title,
                "body": body,
                "url": url,
                "channels": list(channels),
            },
        )
    if not created:
        return None
    if set(channels) - {Notification.Channel.INBOX}:
        transaction.on_commit(lambda: notification_deliver_task.delay(notification.pk))
    return notification


@transaction.atomic
def notification_deliver_external(*, notification_id: int) -> list[str]:
    """Send a notification's email and SMS, each at most once. Returns the channels sent now."""
    from django.core.mail import send_mail

    from liaison.sms import get_sms_backend

    notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    sent: list[str] = []
    now = timezone.now()
    if Notification.Channel.EMAIL in notification.channels and notification.email_sent_at is None and recipient.email:
        send_mail(notification.title, notification.body or notification.title, None, [recipient.email])
        notification.email_sent_at = now
        sent.append(Notification.Channel.EMAIL.value)
    phone = recipient.phone
    if Notification.Channel.SMS in notification.channels and notification.sms_sent_at is None:
        if phone:
            get_sms_backend().send(phone=phone, text=f"{notification.title} {notification.body}".strip())
            notification.sms_sent_at = now
            sent.append(Notification.Channel.SMS.value)
        else:
            logger.info("notification %s: recipient %s has no phone for SMS", notification.pk, recipient.pk)
    notification.save(update_fields=["email_sent_at", "sms_sent_at"])
    return sent


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def preferred_channels(user) -> tuple[str, ...]:
    """The channels the user chose: the inbox always, email and SMS if they asked for them.

    Reads `user.notification_preference` (select_related it when notifying many users).
    """
    try:
        preference = user.notification_preference
    except NotificationPreference.DoesNotExist:
        return (Notification.Channel.INBOX.value,)
    return preference.channels()


@transaction.atomic
def notification_preference_update(*, user, email: bool, sms: bool) -> NotificationPreference:
    """Choose the channels besides the inbox; SMS needs a phone number on the account."""
    if sms and not (user.phone or "").strip():
        raise ValidationError({"sms": [_("Add a mobile phone number to your account to receive SMS.")]})
    if email and not (user.email or "").strip():
        raise ValidationError({"email": [_("Add an email address to your account to receive email.")]})
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.email = email
    preference.sms = sms
    preference.save(update_fields=["email", "sms", "updated_at"])
    return preference
