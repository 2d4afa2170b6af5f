"""The form renderer of every form (``settings.FORM_RENDERER``): Django's own, with the common
widgets (inputs, selects, text areas) written out in Python to the very HTML of Django's widget
templates, which it would otherwise render through three nested templates per field and two per
option of a select (issue 12: the forms were most of the office's organisation and award pages).

A widget's template is written out here only while its source is Django's, as this module
transcribes it (an app overriding the template gets its own template rendered); everything else
(forms, fields, radio and checkbox groups, file inputs) goes through the templates as before.
tests/common/test_form_renderer.py compares both renderings widget by widget.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from types import SimpleNamespace

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

W = "django/forms/widgets/"
ATTRS = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)
INPUT = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n'
)
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
# The widgets whose template only includes input.html.
INPUT_KINDS = (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
    "search", "tel", "color", "checkbox",
)  # fmt: skip
SELECT = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n"
)
OPTION = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
)
TEXTAREA = (
    '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
)
# What the form engine's templates see: autoescaping on, localisation and time zone as set.
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)


def out(value) -> str:
    """``{{ value }}``: a plain string is only escaped (what the template does to one)."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _s(value) -> str:
    """``{{ value|stringformat:'s' }}`` (a safe value stays safe through the filter)."""
    shown = stringformat(value, "s")
    return out(mark_safe(shown) if isinstance(value, SafeData) else shown)  # noqa: S308 (already safe)


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + out(name))
            if value is not True:
                parts.append(f'="{_s(value)}"')
    return "".join(parts)


def _input(w: dict) -> str:
    # The template's ``widget.value != None``, as written.
    value = f' value="{_s(w["value"])}"' if w["value"] != None else ""  # noqa: E711
    return f'<input type="{out(w["type"])}" name="{out(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _option(w: dict) -> str:
    return f'<option value="{_s(w["value"])}"{_attrs(w["attrs"])}>{out(w["label"])}</option>\n'


def _textarea(w: dict) -> str:
    value = out(w["value"]) if w["value"] else ""
    return f'<textarea name="{out(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>\n'


class FormRenderer(DjangoTemplates):
    """Django's templates renderer; the widgets of ``_writers`` in Python (same HTML)."""

    def render(self, template_name, context, request=None):
        write = self._writers().get(template_name)
        widget = context.get("widget") if isinstance(context, dict) else None
        if write is not None and isinstance(widget, dict):
            html = write(widget)
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request)

    def _source(self, name: str) -> str | None:
        try:
            return self.get_template(name).template.source
        except Exception:  # any failure: the template renders as before
            return None

    @functools.cache  # noqa: B019 (one renderer per process: get_default_renderer)
    def _writers(self) -> dict[str, Callable[[dict], str | None]]:
        """The widget templates written out in Python: those whose source is Django's as
        transcribed above (and the includes they use too)."""
        if self._source(W + "attrs.html") != ATTRS:
            return {}
        writers: dict[str, Callable[[dict], str | None]] = {}
        if self._source(W + "input.html") == INPUT:
            writers[W + "input.html"] = _input
            for kind in INPUT_KINDS:
                name = f"{W}{kind}.html"
                if self._source(name) == INCLUDES_INPUT:
                    writers[name] = _input
        if self._source(W + "textarea.html") == TEXTAREA:
            writers[W + "textarea.html"] = _textarea
        if self._source(W + "select_option.html") == OPTION:
            writers[W + "select_option.html"] = _option
            if self._source(W + "select.html") == SELECT:
                writers[W + "select.html"] = self._select
        return writers

    def _select(self, w: dict) -> str | None:
        option = self._writers()[W + "select_option.html"]
        parts = [f'<select name="{out(w["name"])}"{_attrs(w["attrs"])}>']
        for group_name, group_choices, _index in w["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{out(group_name)}">')
            for choice in group_choices:
                if choice["template_name"] != W + "select_option.html":
                    return None  # another option template: the whole select as before
                parts.append("\n  " + option(choice))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)
