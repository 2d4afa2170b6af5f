"""Who may do what: role predicates shared by every app's rules (django-rules).

Object-level predicates take the object's programme from ``obj.programme_id`` (a programme,
cycle, application, award...) via :func:`programme_id_of`.
"""

from __future__ import annotations

import rules

from .enums import Role


def programme_id_of(obj) -> int | None:
    if obj is None:
        return None
    if obj._meta.model_name == "programme":
        return obj.pk
    for attr in ("programme_id", "cycle__programme_id"):
        value = getattr(obj, attr, None)
        if value is not None:
            return value
    if hasattr(obj, "cycle"):
        return obj.cycle.programme_id
    return None


def _role_predicate(role: str):
    @rules.predicate(name=f"is_{role}")
    def has_role(user) -> bool:
        return user.is_authenticated and user.has_role(role)

    return has_role


is_office = _role_predicate(Role.OFFICE)
is_committee = _role_predicate(Role.COMMITTEE)
is_recommender = _role_predicate(Role.RECOMMENDER)
is_expert = _role_predicate(Role.EXPERT)
is_supervisor = _role_predicate(Role.SUPERVISOR)
is_government = _role_predicate(Role.GOVERNMENT)


@rules.predicate
def is_enterprise(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_enterprise


@rules.predicate
def is_staff_member(user) -> bool:
    return user.is_authenticated and user.has_role(*Role.values)


@rules.predicate
def serves_programme(user, obj) -> bool:
    """The staff member works for the programme ``obj`` belongs to."""
    return user.is_authenticated and user.serves(programme_id_of(obj))


@rules.predicate
def reads_programme(user, obj) -> bool:
    """The staff member may read the programme ``obj`` belongs to: one they serve, or one under
    a higher-level programme they serve (issue 13 §1; read-only there)."""
    return user.is_authenticated and user.reads(programme_id_of(obj))


# Reading everything of a programme: the office, the committee, the government and the
# supervisor (R22: sees everything, changes nothing).
is_overseer = is_office | is_committee | is_government | is_supervisor


@rules.predicate
def is_claimant(user, claim) -> bool:
    return claim is not None and user.is_authenticated and claim.claimant_id == user.pk


# Organisation claims (issue 8 item 13): the office decides, the supervisor watches (R22), the
# claimant follows their own; nobody else sees one.
rules.add_perm("accounts.list_claims", is_office | is_supervisor)
rules.add_perm("accounts.view_claim", is_claimant | is_office | is_supervisor)
rules.add_perm("accounts.submit_claim", is_claimant)
rules.add_perm("accounts.decide_claim", is_office)


@rules.predicate
def follows_own_claims(user) -> bool:
    """A person with neither an organisation nor a role: registered with a USCC that was taken,
    so they follow their claim (issue 8 item 13)."""
    return (
        user.is_authenticated
        and user.organisation_id is None
        and not user.has_role(*Role.values)
        and user.organisation_claims.exists()
    )


rules.add_perm("accounts.follow_own_claims", follows_own_claims)
rules.add_perm("accounts.use_two_factor", is_staff_member)
