"""Creating users: enterprises register themselves, staff are created by an operator."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common import audit
from common.exceptions import ApplicationError
from organisations.models import Organisation
from organisations.uscc import normalise
from programmes.models import Programme

from ..enums import ENTERPRISE_ROLE, RecommenderLevel, Role
from ..models import ProgrammeMembership, User
from ..roles import ADMIN_ROLES, ensure_role_groups


def _check_new_username(username: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError("该用户名已被使用，请换一个。", field="username")


@transaction.atomic
def register_enterprise(
    *,
    username: str,
    password: str,
    organisation: dict,
    email: str = "",
    name: str = "",
    phone: str = "",
) -> User:
    """Create an organisation and its first user (API: accounts/register).

    ``organisation`` holds ``name, uscc, kind, region, registered_on`` and optional profile
    fields. Raises ``ApplicationError`` (field-specific) or ``ValidationError``.
    """
    _check_new_username(username)
    uscc = normalise(organisation.get("uscc", ""))
    if Organisation.objects.filter(uscc=uscc).exists():
        raise ApplicationError(
            "该统一社会信用代码已注册。如需为本单位增加账号，请联系已注册的同事或评审委员会办公室。",
            field="uscc",
        )
    org = Organisation(**{**organisation, "uscc": uscc})
    org.full_clean()
    user = User(username=username, email=email, name=name, phone=phone)
    validate_password(password, user)
    try:
        org.save()
        user.organisation = org
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    except IntegrityError as exc:  # a concurrent registration took the name or the code
        raise ApplicationError("该用户名或统一社会信用代码已被注册。") from exc
    audit.record(
        action="organisation.registered",
        actor=user,
        obj=org,
        role=ENTERPRISE_ROLE,
        data={"username": username, "uscc": uscc, "kind": org.kind, "region": org.region},
    )
    return user


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    roles: list[str],
    programmes: list[str] | None = None,
    recommender_level: str = "",
    name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """Create a staff user holding ``roles`` and serving ``programmes`` (codes).

    With no programme given the user serves all programmes of the deployment.
    """
    unknown = sorted(set(roles) - set(Role.values))
    if not roles or unknown:
        raise ApplicationError(
            f"未知角色：{', '.join(unknown) or '（空）'}；可选：{', '.join(Role.values)}",
            field="role",
        )
    if Role.RECOMMENDER in roles and not recommender_level:
        raise ApplicationError(
            "推荐单位用户须指定推荐层级（--level industry 或 leading_group，R12.2）。",
            field="level",
        )
    if recommender_level and recommender_level not in RecommenderLevel.values:
        raise ApplicationError(
            f"推荐层级应为 {', '.join(RecommenderLevel.values)} 之一。", field="level"
        )
    found = list(Programme.objects.filter(code__in=programmes or []))
    missing = sorted(set(programmes or []) - {p.code for p in found})
    if missing:
        raise ApplicationError(f"没有代码为 {', '.join(missing)} 的质量奖。", field="programme")
    _check_new_username(username)
    user = User(
        username=username,
        name=name,
        email=email,
        is_staff=bool(ADMIN_ROLES.intersection(roles)),
        all_programmes=not found,
        recommender_level=recommender_level if Role.RECOMMENDER in roles else "",
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    groups = ensure_role_groups()
    user.groups.set([groups[r] for r in roles])
    ProgrammeMembership.objects.bulk_create(
        [ProgrammeMembership(user=user, programme=p) for p in found]
    )
    audit.record(
        action="user.created",
        actor=actor,
        obj=user,
        data={"roles": sorted(roles), "programmes": sorted(p.code for p in found)},
    )
    return user
