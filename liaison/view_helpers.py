"""View code that every app repeats, in one place: service errors on a form or in messages, the
query string of a list without its page, spreadsheet responses."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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
