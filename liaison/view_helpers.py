"""View code that every app repeats, in one place: service errors on a form or in messages, the
query string of a list without its page, spreadsheet responses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from liaison.edit_conflicts import EditConflict, EditConflictViewMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ServiceFormViewMixin(EditConflictViewMixin):
    """A create or edit page (FormView) whose save is one service call.

    Subclasses say how to save (`save(fields, form)`: the form's Meta fields, cleaned) and what to
    tell (`saved_message(obj)`). The form is given the user; a save refused over a newer change shows
    the conflict form; a service's ValidationError goes on the form; success shows the message and
    the saved object's page.
    """

    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, fields: dict[str, Any], form: Any) -> Any:
        raise NotImplementedError

    def saved_message(self, obj: Any) -> str:
        raise NotImplementedError

    def service_error_response(self, form: Any, exc: ValidationError) -> HttpResponse:
        add_service_errors(form, exc)
        response: HttpResponse = self.form_invalid(form)  # type: ignore[attr-defined]
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            obj = self.save(fields, form)
        except EditConflict as exc:
            response: HttpResponse = self.conflict_response(exc)
            return response
        except ValidationError as exc:
            return self.service_error_response(form, exc)
        messages.success(self.request, self.saved_message(obj))
        return redirect(obj)


def message_service_errors(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as error messages on the next page (for actions without a form)."""
    for message in exc.messages:
        messages.error(request, message)


def without_page(query: QueryDict) -> QueryDict:
    """A copy of the list's query without the page number and blank values (repeated keys kept)."""
    params = query.copy()
    params.pop("page", None)
    for key in list(params):
        values = [value for value in params.getlist(key) if value]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    return params


def querystring_without_page(query: QueryDict) -> str:
    """The list's filters as a query string, without the page number (for pagination links)."""
    return without_page(query).urlencode()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download named `filename` (non-ASCII names included)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response
