"""Showing a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError

from .exceptions import ApplicationError


def posted_id(request, name: str) -> int:
    """A posted row id, or 0 (no such row: 404) when it is not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def add_service_error(form: forms.Form, exc: ApplicationError | ValidationError) -> None:
    """Attach a service error to the field it names, or to the whole form."""
    if isinstance(exc, ApplicationError):
        field = exc.field if exc.field in form.fields else None
        message = exc.user_message
        form.add_error(field, message)
        return
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
