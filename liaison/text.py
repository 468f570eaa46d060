"""Text from users: one normalisation step every stored text goes through.

Control characters (``\\x01``, ``\\x1b``), direction overrides and isolates (``\\u202e``) and
zero-width characters (``\\u200b``) are invisible, yet they change how a name or an address is
displayed (a reversed name, two names that look alike). They are removed:

- by the services, through `normalize_text` (one line: also NFKC and collapsed spaces) and
  `normalize_multiline` (notes: line breaks kept);
- and, as the one step nothing bypasses, before every save of a model of this project
  (`connect_signals`): every CharField and TextField is cleaned, and a value longer than its
  column is refused with a ValidationError in Chinese instead of a database error.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Django's own message for a NUL character reads badly in its zh_Hans catalogue ("不允许是用空字符串。");
# the project's catalogue comes first and says it plainly. Marked here so makemessages keeps it.
NUL_MESSAGE = gettext_noop("Null characters are not allowed.")

# The apps whose models are cleaned before saving.
PROJECT_APPS = frozenset({"liaison", "representatives", "suggestions", "voters"})
# Kept in multi-line text: tab, line feed, carriage return.
_KEPT = frozenset("\t\n\r")
# Cc control, Cf format (bidi overrides and isolates, zero-width, BOM, soft hyphen),
# Cs lone surrogates, Zl/Zp line and paragraph separators (made spaces first, below).
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# Separators that stand between words: they become a space rather than glue two words together.
_SEPARATORS = str.maketrans(dict.fromkeys("\x1c\x1d\x1e\x1f\x85\u2028\u2029", " "))


def strip_invisible(value: str) -> str:
    """Remove control and format (bidi, zero-width) characters; keep tabs and newlines; separators
    become spaces."""
    if value.isascii() and value.isprintable():
        return value
    value = value.translate(_SEPARATORS)
    return "".join(ch for ch in value if ch in _KEPT or unicodedata.category(ch) not in _INVISIBLE)


def normalize_text(value) -> str:
    """One line: NFKC (full-width digits and letters become half-width), invisible characters
    removed, inner spaces collapsed, trimmed."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", strip_invisible(unicodedata.normalize("NFKC", str(value)))).strip()


def normalize_multiline(value) -> str:
    """A note: invisible characters removed, line endings made \\n, trimmed."""
    if value is None:
        return ""
    return strip_invisible(str(value).replace("\r\n", "\n")).strip()


def too_long_message(field, length: int) -> str:
    return _("%(field)s can be at most %(max)d characters long (this one has %(count)d).") % {
        "field": str(field.verbose_name),
        "max": field.max_length,
        "count": length,
    }


def check_lengths(instance: models.Model, fields=None) -> None:
    """ValidationError keyed by field, in Chinese, for each text longer than its column."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            errors[field.name] = [too_long_message(field, len(value))]
    if errors:
        raise ValidationError(errors)


def clean_instance_text(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: strip invisible characters from every text field, then refuse overlong ones."""
    if raw or sender._meta.app_label not in PROJECT_APPS:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            cleaned = strip_invisible(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
    check_lengths(instance, fields=update_fields)


def connect_signals() -> None:
    pre_save.connect(clean_instance_text, dispatch_uid="liaison.text.clean_instance_text")
