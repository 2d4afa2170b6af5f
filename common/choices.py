"""``get_FOO_display`` without rebuilding the field's choices at every call (issue 12).

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` each
time it is called, hashing every lazy label (one gettext each): about 800 Python calls for an
application's status, so a list of 30 rows spent 25,000 calls naming statuses. The dictionary
is the same at every call for a field whose choices are fixed (the labels stay lazy, so the
active language still decides), and is kept here, built on first use.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _cached_display(field):
    labels: dict | None = None

    def display(self):
        nonlocal labels
        if labels is None:
            labels = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        # As Django's: the label, or the value itself when it is not among the choices.
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    display.__doc__ = f"The label of {field.name} (choices read once)."
    return display


def install_cached_displays() -> int:
    """Replaces Django's ``get_FOO_display`` of every concrete field with fixed choices (not a
    callable, not overridden by the model). Returns the number replaced."""
    replaced = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices or isinstance(field.choices, CallableChoiceIterator):
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not isinstance(current, partialmethod):
                continue  # overridden by the model, or inherited: left alone
            setattr(model, name, _cached_display(field))
            replaced += 1
    return replaced
