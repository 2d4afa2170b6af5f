from django import template

from applications.enums import ApplicationStatus

register = template.Library()

# Each status and its label (lazy: in the language of the request).
_LABELS = dict(ApplicationStatus.choices)


@register.filter
def status_label(value: str) -> str:
    """``{{ entry.to_state|status_label }}``: an application status in words."""
    label = _LABELS.get(value) if isinstance(value, str) else None
    return str(label) if label is not None else value
