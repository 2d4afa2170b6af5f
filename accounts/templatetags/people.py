"""How a page names the person behind an audit entry: their name and role in words, never a
username and a role code (issue 11)."""

from django import template
from django.utils.translation import gettext_lazy as _

from accounts.enums import ENTERPRISE_ROLE, Role

register = template.Library()

# Role codes of the audit trail that are not staff roles.
OTHER_ROLES = {
    ENTERPRISE_ROLE: _("申报单位"),
    "system": _("系统"),
    "public": _("公众"),
    "user": _("用户"),
}


# Every role code and its label (lazy: in the language of the request).
_LABELS = dict(Role.choices) | OTHER_ROLES


def role_label(code: str) -> str:
    """One role code, or several joined by commas ("office,expert"), in words."""
    return "、".join(str(_LABELS.get(c, c)) for c in (code or "").split(",") if c)


@register.filter(name="role_label")
def role_label_filter(code: str) -> str:
    """``{{ entry.actor_role|role_label }}``"""
    return role_label(code)


@register.filter
def actor_label(entry) -> str:
    """``{{ entry|actor_label }}``: "王主任（评审委员会办公室）", "绿原质量部（申报单位）"; the
    system and the public by their role alone. Reads ``entry.actor`` (select_related it on
    lists)."""
    role = role_label(entry.actor_role)
    actor = entry.actor if entry.actor_id else None
    if actor is None:
        if entry.actor_name and entry.actor_name != entry.actor_role:
            return f"{entry.actor_name}（{role}）"
        return role
    name = actor.display_name
    return f"{name}（{role}）" if role else name
