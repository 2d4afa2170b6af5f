"""Showing a service's refusal on the form that asked for it."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from .exceptions import ApplicationError

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The one date widget of every form: a browser date field, which reads and sends only ISO
    dates. Without the fixed format the widget would render the locale's first input format
    (zh-hans: ``2018/03/15``), which a date field shows as empty and so loses on the next save."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or ISO_DATE)


@dataclass(frozen=True)
class BlankForm:
    """A form as a page first shows it (unbound, no initial values, no prefix), by its class: the
    same for everyone, so a template renders it once per language with
    ``{% fixed by blank_form %}{% include "includes/form.html" with form=blank_form.form %}``
    (issue 12: the login page's two fields were a third of its Python calls)."""

    form_class: type[forms.BaseForm]

    @classmethod
    def of(cls, form: forms.BaseForm) -> "BlankForm | None":
        """The blank form of ``form``, or None when ``form`` shows anything of its own."""
        if form.is_bound or form.initial or form.prefix is not None:
            return None
        return cls(type(form))

    @property
    def form(self) -> forms.BaseForm:
        return self.form_class()


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
