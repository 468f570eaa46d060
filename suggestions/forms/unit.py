"""Forms of the handling unit's console: answer (with attachments), extension, return, opinion.
The rules (file types and sizes, lengths, who may) are the services'; the forms say them early."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from suggestions.models import Suggestion
from suggestions.services.answering import validate_attachments


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    result = forms.ChoiceField(label=_("Result"), choices=Suggestion.Result.choices, widget=forms.RadioSelect)
    public_answer = forms.CharField(
        label=_("Answer shown to the public"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to show the answer above. Never include personal data."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPG, PNG or Word (.docx), at most 10 MB each, at most 10 files."),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            return validate_attachments(files)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["files"]) from exc


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 4}))


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("Opinion to the lead unit"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
