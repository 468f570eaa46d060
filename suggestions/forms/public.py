"""Forms of the public pages: the opinion form (no login) and the voter's rating."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.text import normalize_multiline, normalize_text
from representatives.text import PHONE_RE, normalize_phone
from suggestions.models import Category, Suggestion

TITLE_MAX = 100
CONTENT_MAX = 5000
NAME_MAX = 50
# A tag (<script>, <img ...>, </div>, <!-- ...): a form for plain text refuses it outright rather
# than store markup that only shows up as noise (templates escape everything anyway).
_TAG_RE = re.compile(r"<\s*[/!]?\s*[A-Za-z]")


def _refuse_markup(value: str) -> str:
    if _TAG_RE.search(value):
        raise forms.ValidationError(
            _("Write plain text only: web page code such as <script> is not accepted."), code="markup"
        )
    return value


class PublicSuggestionForm(forms.Form):
    title = forms.CharField(
        label=_("Subject"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter a subject (one line saying what it is about)."),
            "max_length": _("The subject can be at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write your opinion or suggestion."),
            "max_length": _("Your text can be at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose a category from the list."),
        },
    )
    contact_name = forms.CharField(
        label=_("How to address you (a surname is enough)"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Give your name (a surname is enough) so that the station can reach you."),
            "max_length": _("The name can be at most %(limit_value)d characters."),
        },
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_("Used only to call you back and to let you rate the answer; never shown publicly."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={
            "required": _("Enter your mobile number: it lets you rate the answer."),
            "max_length": _("Enter an 11-digit mobile number starting with 1."),
        },
    )
    publish_consent = forms.BooleanField(
        label=_("The answer may be published on the station's page (without my name or phone)"),
        required=False,
    )
    # The honeypot: hidden from people by CSS, filled in by bots. Not a real field of anything.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_title(self):
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(self.fields["title"].error_messages["required"], code="required")
        return _refuse_markup(title)

    def clean_content(self):
        content = normalize_multiline(self.cleaned_data["content"])
        if not content.strip():
            raise forms.ValidationError(self.fields["content"].error_messages["required"], code="required")
        return _refuse_markup(content)

    def clean_contact_name(self):
        name = normalize_text(self.cleaned_data["contact_name"])
        if not name:
            raise forms.ValidationError(self.fields["contact_name"].error_messages["required"], code="required")
        return _refuse_markup(name)

    def clean_contact_phone(self):
        phone = normalize_phone(self.cleaned_data["contact_phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter an 11-digit mobile number starting with 1."), code="phone")
        return phone

    def is_bot(self) -> bool:
        """The honeypot was filled in (read before `is_valid`'s other messages matter)."""
        return bool((self.data.get("website") or "").strip())


class PublicRatingForm(forms.Form):
    last_four = forms.CharField(
        label=_("Last four digits of the phone you gave"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
        error_messages={
            "required": _("Enter the last four digits of the phone you gave."),
            "min_length": _("Enter exactly four digits."),
            "max_length": _("Enter exactly four digits."),
        },
    )
    value = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Suggestion.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are."), "invalid_choice": _("Choose from the list.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The comment can be at most %(limit_value)d characters.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def clean_last_four(self):
        value = normalize_text(self.cleaned_data["last_four"])
        if not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError(_("Enter exactly four digits."), code="digits")
        return value

    def clean_comment(self):
        return _refuse_markup(normalize_multiline(self.cleaned_data["comment"]))
