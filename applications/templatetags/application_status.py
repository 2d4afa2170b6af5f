from django import template

from applications.enums import ApplicationStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """``{{ entry.to_state|status_label }}``: an application status in words."""
    return str(ApplicationStatus(value).label) if value in ApplicationStatus.values else value
