"""Model fields shared by every app."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides and isolates: they make a name read differently from what it holds.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(value: str) -> list[str]:
    """The control characters in ``value`` (C0/C1, DEL, line and paragraph separators, bidi
    overrides), as ``U+XXXX`` codes, in order of first appearance."""
    found: list[str] = []
    for char in value:
        if (
            unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS
        ) and f"U+{ord(char):04X}" not in found:
            found.append(f"U+{ord(char):04X}")
    return found


def validate_single_line(value) -> None:
    """Names, codes, phone numbers and other one-line values hold no control characters: a
    newline in an organisation's name would otherwise reach e-mail headers, file names and
    spreadsheet cells (issue 8, item 4)."""
    if not isinstance(value, str):
        return
    found = control_characters(value)
    if found:
        raise ValidationError(
            _("不能包含换行符或其他控制字符（%(chars)s）。"),
            code="control_characters",
            params={"chars": "、".join(found)},
        )


class LineField(models.CharField):
    """A single-line ``CharField``: refuses control characters wherever a model is validated
    (forms, the admin, ModelSerializers and ``full_clean`` in services and imports).

    Stored as a plain ``CharField``: the validator lives in code, so migrations do not change.
    """

    default_validators = [validate_single_line]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
