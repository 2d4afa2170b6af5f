"""Award states in words on the award's history (issue 11: "→ active" was shown)."""

from django import template

from awards.enums import AwardStatus

register = template.Library()


@register.filter
def award_status_label(value: str) -> str:
    """``{{ entry.to_state|award_status_label }}``"""
    return str(AwardStatus(value).label) if value in AwardStatus.values else value
