"""Edits that cross: a save over a change made since the form was opened is refused.

Every edit form carries, in a hidden `version` field, the stored values of its object as they were
when the page was opened (signed, so a tampered value is refused rather than trusted). The service
re-reads the row under a lock (`refuse_if_changed_since`); if any of those values changed in the
meantime it raises `EditConflict`, naming who changed what, and saves nothing. The page then shows
the message and a form holding the newer values in the fields the other person changed (the user's
own edits of the other fields are kept), with a fresh version: saving again is an informed choice.

One helper for every edit form and service: `VersionedFormMixin` (forms), `refuse_if_changed_since`
(services), `conflict_form` (views). No version column: nothing to migrate, and the values the
form was opened with are exactly what is needed to tell the user what changed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

SALT = "liaison.edit-version"
FIELD = "version"


def stored_values(obj: models.Model, fields) -> dict[str, Any]:
    """JSON-ready values of `fields` as stored on obj: keys for relations, sorted keys for m2m."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            values[name] = getattr(obj, field.attname)
        else:
            value = getattr(obj, name)
            if isinstance(value, datetime.datetime):
                value = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):  # an amount: as text, to the field's places (100 == 100.00)
                places = getattr(field, "decimal_places", None)
                value = str(value.quantize(Decimal(1).scaleb(-places)) if places is not None else value)
            values[name] = value
    return values


def version_token(obj: models.Model, fields) -> str:
    return signing.dumps(stored_values(obj, fields), salt=SALT, compress=True)


def read_version(token: str) -> dict[str, Any] | None:
    """The values a form was opened with; None for no token; ValidationError for a damaged one."""
    if not token:
        return None
    try:
        values = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        values = None
    if not isinstance(values, dict):
        raise ValidationError(_("This form is out of date or damaged: open the page again."), code="bad_version")
    return values


class EditConflict(ValidationError):
    """Someone else saved the object after the form was opened; `changed` names their fields."""

    def __init__(self, message: str, changed: list[str]):
        super().__init__(message, code="edit_conflict")
        self.changed = changed


def _shown(obj: models.Model, name: str, key) -> str:
    field = obj._meta.get_field(name)
    if key in (None, "", []):
        return "—"
    if field.many_to_many:
        names = field.related_model._default_manager.filter(pk__in=key).order_by("pk")
        return "、".join(str(item) for item in names) or "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=key).first()
        return str(related) if related is not None else str(key)
    if field.choices:
        return str(dict(field.flatchoices).get(key, key))
    if isinstance(key, bool):
        return _("yes") if key else _("no")
    if isinstance(field, models.DateTimeField):
        return key[:16].replace("T", " ")
    return str(key)


def _last_change_by(obj: models.Model) -> str:
    """Who made the newest change, and when, if the model keeps a history: "李四（2026-03-01 09:30）"."""
    history = getattr(obj, "history", None)
    record = history.select_related("history_user").order_by("-history_date").first() if history else None
    if record is None:
        return _("another user")
    who = str(record.history_user) if record.history_user else _("another user")
    return f"{who}（{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}）"


def refuse_if_changed_since(obj: models.Model, *, opened: dict | None, fields) -> None:
    """Lock obj's row; raise EditConflict if any of `fields` differs from the opened values.

    Call it first in an update service, before anything is assigned. `opened` None (a caller
    without a form, such as the import) checks nothing.
    """
    if opened is None or obj.pk is None:
        return
    current_obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    names = [name for name in fields if name in opened]
    current = stored_values(current_obj, names)
    changed = [name for name in names if opened[name] != current[name]]
    if not changed:
        return
    who = _last_change_by(current_obj)
    changes = "；".join(
        _("%(field)s: “%(old)s” → “%(new)s”")
        % {
            "field": capfirst(current_obj._meta.get_field(name).verbose_name),
            "old": _shown(current_obj, name, opened[name]),
            "new": _shown(current_obj, name, current[name]),
        }
        for name in changed
    )
    message = _(
        "%(who)s changed this record after you opened it: %(changes)s. Your changes were not saved. "
        "The form now holds the newer values of those fields and keeps your other edits: check it "
        "and save again."
    ) % {"who": who, "changes": changes}
    raise EditConflict(message, changed)


class VersionedFormMixin:
    """A hidden `version` field holding the stored values the form was opened with.

    The form calls `add_version_field(obj)` at the end of __init__; `version_fields` lists the
    model fields the service checks; `version_form_fields` maps a model field to the form field
    that edits it when their names differ (specialties -> specialties_text).
    """

    version_fields: tuple[str, ...] = ()
    version_form_fields: dict[str, str] = {}

    def add_version_field(self, obj: models.Model) -> None:
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[FIELD].initial = version_token(obj, self.version_fields)

    def clean_version(self):
        try:
            return read_version(self.cleaned_data.get(FIELD, ""))
        except ValidationError as exc:
            self.add_error(None, exc)
            return None

    def opened_values(self) -> dict | None:
        return self.cleaned_data.get(FIELD)


def _data_value(bound_field):
    value = bound_field.value()
    if isinstance(bound_field.field.widget, forms.CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, datetime.datetime):  # as its widget shows it (a datetime-local input: no offset)
        return str(bound_field.field.widget.format_value(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def conflict_form(form_class, *, post, exc: EditConflict, **kwargs):
    """The form to show after a conflict: the user's input, the newer stored values in the fields the
    other person changed, a fresh version, and the conflict message on top.

    `kwargs` build the form on the object as it is stored now (a fresh instance).
    """
    fresh = form_class(**kwargs)
    data = post.copy()
    for name in exc.changed:
        form_name = fresh.version_form_fields.get(name, name)
        if form_name not in fresh.fields:
            continue
        value = _data_value(fresh[form_name])
        if value is None:
            data.pop(form_name, None)
        elif isinstance(value, list):
            data.setlist(form_name, value)
        else:
            data[form_name] = value
    data[FIELD] = fresh.fields[FIELD].initial
    form = form_class(data=data, **kwargs)
    form.is_valid()
    form.add_error(None, exc.messages)
    return form


class EditConflictViewMixin:
    """For a FormView edit page: `conflict_response(exc)` answers a refused save with the conflict
    form, built on the object as stored now (get_form_kwargs must load it afresh)."""

    def conflict_response(self, exc: EditConflict):
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return self.form_invalid(conflict_form(self.get_form_class(), post=self.request.POST, exc=exc, **kwargs))
