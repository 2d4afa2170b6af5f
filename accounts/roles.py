"""Role groups and the model permissions each carries (for the admin pages).

Object-level rules (which programme, which application) are django-rules predicates in each
app's ``rules.py``; these model permissions only open the admin's doors.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .enums import Role

_VIEW_ALL = [
    "programmes.view_programme",
    "programmes.view_cycle",
    "programmes.view_criteriaset",
    "programmes.view_criteriacategory",
    "programmes.view_criteriaitem",
    "organisations.view_organisation",
    "organisations.view_creditrating",
    "organisations.view_incident",
    "common.view_auditentry",
    "applications.view_application",
    "review.view_assignment",
    "review.view_expertprofile",
    "review.view_conflictofinterest",
    "awards.view_award",
    "awards.view_ban",
    "awards.view_case",
    "awards.view_objection",
    "awards.view_ledgerentry",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICE: [
        *_VIEW_ALL,
        "programmes.add_programme",
        "programmes.change_programme",
        "programmes.add_cycle",
        "programmes.change_cycle",
        "organisations.change_organisation",
        "organisations.add_creditrating",
        "organisations.add_incident",
        "organisations.change_incident",
        "accounts.view_user",
        "accounts.view_organisationclaim",
    ],
    Role.COMMITTEE: list(_VIEW_ALL),
    Role.SUPERVISOR: [*_VIEW_ALL, "accounts.view_user", "accounts.view_organisationclaim"],
    Role.GOVERNMENT: list(_VIEW_ALL),
    Role.RECOMMENDER: [],
    Role.EXPERT: [],
}

# Roles that work in the admin pages.
ADMIN_ROLES = frozenset({Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT})


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups and give each its permissions. Safe to run any number of times."""
    groups = {}
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS.get(role, [])
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
        groups[role] = group
    return groups
