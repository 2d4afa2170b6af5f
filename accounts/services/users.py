"""Creating users: enterprises register themselves, staff are created by an operator."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy

from common import audit
from common.exceptions import ApplicationError
from organisations.models import Organisation
from organisations.uscc import normalise

from ..enums import ENTERPRISE_ROLE, RecommenderLevel, Role
from ..models import ProgrammeMembership, User, programme_model
from ..roles import ADMIN_ROLES, ensure_role_groups
from .claims import file_claim


def _check_new_username(username: str) -> None:
    if _username_taken(username):
        raise ApplicationError(gettext("该用户名已被使用，请换一个。"), field="username")


MOBILE_PATTERN = re.compile(r"^1\d{10}$")


def _check_contact(*, username: str, email: str, phone: str) -> None:
    """A username Django accepts, a well-formed e-mail and a mainland mobile number (each
    optional but the username)."""
    try:
        User._meta.get_field("username").run_validators(username)
        if not username:
            raise ValidationError("empty")
    except ValidationError as exc:
        raise ApplicationError(
            gettext("用户名只能包含字母、数字和 @ . + - _，不超过150个字符。"), field="username"
        ) from exc
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(gettext("请输入有效的电子邮箱。"), field="email") from exc
    if phone and not MOBILE_PATTERN.match(phone):
        raise ApplicationError(gettext("请输入11位手机号码（以1开头）。"), field="phone")


def _username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


# What a person is told after registering, whatever happened (issue 8 item 13): it must not
# say whether the username or the USCC existed.
REGISTRATION_RECEIVED = gettext_lazy(
    "注册申请已收到。请使用您设置的用户名和密码登录。"
    "如果登录时提示用户名或密码不正确，可能是该用户名已被他人使用，请换一个用户名重新注册。"
    "如果您单位的统一社会信用代码已由其他账号注册，登录后会看到认领办法。"
)


def _create_account(*, user_fields: dict, password_hash: str, org_data: dict) -> User:
    """One attempt at the rows: a new organisation with its first user, or, when the code is
    held already, the user alone and a claim on the organisation."""
    holder = Organisation.objects.filter(uscc=org_data["uscc"]).first()
    user = User(**user_fields, password=password_hash)
    if holder is None:
        org = Organisation(**org_data)
        org.save()
        user.organisation = org
        user.save()
        audit.record(
            action="organisation.registered",
            actor=user,
            obj=org,
            role=ENTERPRISE_ROLE,
            data={
                "username": user.username,
                "uscc": org.uscc,
                "kind": org.kind,
                "region": org.region,
            },
        )
        return user
    user.save()
    audit.record(
        action="user.registered",
        actor=user,
        obj=user,
        data={"username": user.username, "uscc": holder.uscc, "claim": True},
    )
    file_claim(claimant=user, organisation=holder, submitted=org_data)
    return user


@transaction.atomic
def register_enterprise(
    *,
    username: str,
    password: str,
    organisation: dict,
    email: str = "",
    name: str = "",
    phone: str = "",
) -> User | None:
    """Register an enterprise user and its organisation (API: accounts/register).

    ``organisation`` holds ``name, uscc, kind, region, registered_on`` and optional profile
    fields. Input errors (a bad field, a weak password) raise ``ValidationError`` before anything
    is looked up, so they never depend on what exists. Then (issue 8 item 13):

    - username free, USCC new: the user and the organisation are created; returns the user;
    - username free, USCC held by another account: the user is created without an organisation
      and a claim (认领申请) is filed for the office (accounts.services.claims); returns the user,
      whose ``organisation`` is None;
    - username taken (in any letter case): nothing is created; returns None.

    Interfaces answer all three alike (REGISTRATION_RECEIVED). Every path hashes the password
    once, so the work done (and the time taken) does not tell them apart either.
    """
    org_data = {**organisation, "uscc": normalise(organisation.get("uscc", ""))}
    # Field checks only: uniqueness is what must not leak, and is decided below.
    Organisation(**org_data).full_clean(validate_unique=False)
    user_fields = {"username": username, "email": email, "name": name, "phone": phone}
    candidate = User(**user_fields)
    candidate.full_clean(exclude=["password"], validate_unique=False)
    validate_password(password, candidate)
    password_hash = make_password(password)
    for attempt in range(2):
        if _username_taken(username):
            audit.record(
                action="registration.username_taken",
                role=audit.PUBLIC_ROLE,
                data={"username": username},
            )
            return None
        try:
            with transaction.atomic():
                return _create_account(
                    user_fields=user_fields, password_hash=password_hash, org_data=org_data
                )
        except IntegrityError:
            # A concurrent registration took the username or the code a moment ago: decide
            # again on what exists now.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    roles: list[str],
    programmes: list[str] | None = None,
    recommender_level: str = "",
    industries: list[str] | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    actor: User | None = None,
) -> User:
    """Create a staff user holding ``roles`` and serving ``programmes`` (codes): the one path
    for the operators' ``create_user`` command and the office's add-expert form.

    With no programme given the user serves all programmes of the deployment. The username
    (its characters, and unique in any letter case), the e-mail, the mobile number and the
    password are checked before anything is written; every refusal is an ``ApplicationError``
    naming the field.
    """
    unknown = sorted(set(roles) - set(Role.values))
    if not roles or unknown:
        raise ApplicationError(
            gettext("未知角色：%(unknown)s；可选：%(choices)s")
            % {
                "unknown": ", ".join(unknown) or gettext("（空）"),
                "choices": ", ".join(Role.values),
            },
            field="role",
        )
    if Role.RECOMMENDER in roles and not recommender_level:
        raise ApplicationError(
            gettext("推荐单位用户须指定推荐层级（--level industry 或 leading_group，R12.2）。"),
            field="level",
        )
    if (
        Role.RECOMMENDER in roles
        and recommender_level == RecommenderLevel.INDUSTRY
        and not any(i.strip() for i in industries or [])
    ):
        raise ApplicationError(
            gettext("行业主管部门用户须指定所主管的行业（--industry，可重复，R12.2）。"),
            field="industry",
        )
    if recommender_level and recommender_level not in RecommenderLevel.values:
        raise ApplicationError(
            gettext("推荐层级应为 %(choices)s 之一。")
            % {"choices": ", ".join(RecommenderLevel.values)},
            field="level",
        )
    found = list(programme_model().objects.filter(code__in=programmes or []))
    missing = sorted(set(programmes or []) - {p.code for p in found})
    if missing:
        raise ApplicationError(
            gettext("没有代码为 %(codes)s 的质量奖。") % {"codes": ", ".join(missing)},
            field="programme",
        )
    _check_contact(username=username, email=email, phone=phone)
    _check_new_username(username)
    user = User(
        username=username,
        name=name,
        email=email,
        phone=phone,
        is_staff=bool(ADMIN_ROLES.intersection(roles)),
        all_programmes=not found,
        recommender_level=recommender_level if Role.RECOMMENDER in roles else "",
        industries=",".join(i.strip() for i in industries or [] if i.strip()),
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same username, a moment ago (a double submission)
        raise ApplicationError(gettext("该用户名已被使用，请换一个。"), field="username") from exc
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
