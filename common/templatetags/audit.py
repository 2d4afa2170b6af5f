from django import template

from common.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ entry.action|action_label }}``: the readable name of an audit action."""
    return _action_label(action)
