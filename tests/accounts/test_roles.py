"""Staff roles as groups, scoped to programmes; the create_user command of API.md."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.enums import Role
from accounts.models import User
from accounts.services.users import create_staff_user
from common.exceptions import ApplicationError
from common.models import AuditEntry
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.unit


def test_create_user_command_creates_a_scoped_staff_user(programme):
    call_command(
        "create_user",
        "wang",
        "--role",
        "office",
        "--password",
        "s3cret-pass-9",
        "--programme",
        programme.code,
    )
    user = User.objects.get(username="wang")
    assert user.check_password("s3cret-pass-9")
    assert user.role_names() == ["office"]
    assert user.is_staff
    assert not user.all_programmes
    assert user.serves(programme.pk)
    other = ProgrammeFactory(code="city")
    assert not user.serves(other.pk)
    assert AuditEntry.objects.filter(action="user.created", object_id=str(user.pk)).exists()


def test_create_user_command_several_roles_and_all_programmes(db):
    call_command(
        "create_user",
        "li",
        "--role",
        "committee",
        "--role",
        "supervisor",
        "--password",
        "s3cret-pass-9",
    )
    user = User.objects.get(username="li")
    assert user.role_names() == ["committee", "supervisor"]
    assert user.all_programmes
    assert user.serves(ProgrammeFactory().pk)


def test_create_user_command_refuses_unknown_programme_and_weak_password(db):
    with pytest.raises(CommandError, match="nope"):
        call_command(
            "create_user",
            "x",
            "--role",
            "office",
            "--password",
            "s3cret-pass-9",
            "--programme",
            "nope",
        )
    with pytest.raises(CommandError):
        call_command("create_user", "y", "--role", "office", "--password", "123")
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_create_user_refuses_a_taken_username(db):
    create_staff_user(username="zhao", password="s3cret-pass-9", roles=[Role.EXPERT])
    with pytest.raises(ApplicationError, match="已被使用"):
        create_staff_user(username="ZHAO", password="s3cret-pass-9", roles=[Role.EXPERT])


def test_expert_and_recommender_have_no_admin_access(db):
    expert = create_staff_user(username="e", password="s3cret-pass-9", roles=[Role.EXPERT])
    rec = create_staff_user(
        username="r",
        password="s3cret-pass-9",
        roles=[Role.RECOMMENDER],
        recommender_level="industry",
        industries=["乳制品"],
    )
    assert not expert.is_staff
    assert rec.recommender_level == "industry"
    office = create_staff_user(username="o", password="s3cret-pass-9", roles=[Role.OFFICE])
    assert office.has_perm("programmes.change_programme")
    supervisor = create_staff_user(username="s", password="s3cret-pass-9", roles=[Role.SUPERVISOR])
    assert supervisor.has_perm("programmes.view_programme")
    assert not supervisor.has_perm("programmes.change_programme")


def test_enterprise_role_comes_from_the_organisation(enterprise_user):
    assert enterprise_user.role_names() == ["enterprise"]
    assert enterprise_user.is_enterprise
    assert not enterprise_user.has_role(*Role.values)
