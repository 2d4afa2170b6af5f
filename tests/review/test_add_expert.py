"""The office adds an expert to the pool from the experts page (issue 11, R10.2): a user with
the expert role and an expert profile, through the same ``create_staff_user`` as the
operators' ``create_user --role expert``; bad input is named in Chinese on the form (400), a
second submission is refused, the audit trail records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from accounts.enums import Role
from accounts.models import User
from common.models import AuditEntry
from review.models import ExpertProfile
from review.services.experts import add_expert
from tests.factories import ProgrammeFactory, staff_user
from tests.review.conftest import ROLES
from tests.rules_matrix import People

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/review/experts/new/"
PASSWORD = "Pinggu-2026-mima"

ADD = {
    "office": 302,
    "committee": 403,
    "supervisor": 403,
    "government": 403,
    "recommender": 403,
    "expert": 403,
    "owner": 403,
    "other_enterprise": 403,
    "anonymous": 302,
    "other_programme": 302,  # the foreign user is also an office, of its own programme
}


def form(w, **overrides) -> dict:
    data = {
        "new-username": "li_expert",
        "new-name": "李评审",
        "new-email": "li@example.com",
        "new-phone": "13904770001",
        "new-password1": PASSWORD,
        "new-password2": PASSWORD,
        "new-programmes": [w.programme.code],
        "new-qualifications": "全国质量奖评审员",
        "new-industries": "乳制品,建材",
        "new-employer": "鄂尔多斯市质量协会",
        "new-term_starts_on": "2026-01-01",
        "new-term_ends_on": "2028-12-31",
    }
    data.update({f"new-{k}": v for k, v in overrides.items()})
    return data


@pytest.mark.parametrize("role", ROLES)
def test_add_expert_per_role(client, w, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    data = form(w)
    if role == "other_programme":
        data["new-programmes"] = [w.foreign.programmes.get().code]
    before = AuditEntry.objects.count()
    response = client.post(URL, data)
    assert response.status_code == ADD[role], role
    created = User.objects.filter(username="li_expert").first()
    if role in ("office", "other_programme"):
        assert created is not None and created.has_role(Role.EXPERT)
        assert response["Location"] == f"/review/experts/#expert-{created.pk}"
    else:
        assert created is None
        assert AuditEntry.objects.count() == before
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_add_expert_creates_user_profile_and_audit(client, w):
    client.force_login(w.office)
    response = client.post(URL, form(w), follow=True)
    page = response.content.decode()
    assert "已添加专家李评审（li_expert）。" in page
    user = User.objects.get(username="li_expert")
    assert (user.name, user.email, user.phone) == ("李评审", "li@example.com", "13904770001")
    assert user.role_names() == [Role.EXPERT]
    assert not user.is_staff and not user.all_programmes
    assert list(user.programmes.values_list("code", flat=True)) == [w.programme.code]
    assert user.check_password(PASSWORD)
    profile = ExpertProfile.objects.get(user=user)
    assert (profile.industries, profile.employer, profile.status) == (
        "乳制品,建材",
        "鄂尔多斯市质量协会",
        "active",
    )
    assert (profile.term_starts_on, profile.term_ends_on) == (
        dt.date(2026, 1, 1),
        dt.date(2028, 12, 31),
    )
    added = AuditEntry.objects.get(action="expert.added")
    assert added.actor_id == w.office.pk
    assert added.data == {"expert": user.pk, "username": "li_expert", "programmes": ["etkqq"]}
    assert AuditEntry.objects.filter(action="user.created", actor_id=w.office.pk).count() == 1
    # The new expert is in the pool the office sees, and can be assigned.
    assert f'id="expert-{user.pk}"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    (
        ({"username": ""}, "该字段是必填项。"),
        ({"username": "li expert!"}, "用户名只能包含字母、数字和 @ . + - _，不超过150个字符。"),
        ({"name": ""}, "该字段是必填项。"),
        ({"email": "not-an-email"}, "请输入有效的电子邮箱。"),
        ({"phone": "12345"}, "请输入11位手机号码（以1开头）。"),
        ({"password2": "other-Pass-2026"}, "两次输入的密码不一致。"),
        ({"password1": "123", "password2": "123"}, "这个密码太常见了。"),
        ({"programmes": []}, "请选择该专家服务的质量奖。"),
        ({"programmes": ["nosuch"]}, "有效的选项"),
        ({"term_starts_on": "2026-13-01"}, "输入一个有效的日期。"),
        ({"term_ends_on": "2025-01-01"}, "聘期结束不能早于聘期开始。"),
        ({"industries": "行" * 300}, "最多255个字，现为300个字"),
    ),
)
def test_add_expert_bad_input_is_named_and_changes_nothing(client, w, overrides, message):
    client.force_login(w.office)
    before = AuditEntry.objects.count()
    response = client.post(URL, form(w, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="add-expert" open' in page  # the form stays open with what was typed
    assert not User.objects.filter(username="li_expert").exists()
    assert AuditEntry.objects.count() == before


def test_add_expert_taken_username_in_any_case_and_double_submission(client, w):
    client.force_login(w.office)
    assert client.post(URL, form(w)).status_code == 302
    again = client.post(URL, form(w))
    assert again.status_code == 400
    assert "该用户名已被使用，请换一个。" in again.content.decode()
    upper = client.post(URL, form(w, username="LI_EXPERT"))
    assert upper.status_code == 400
    assert User.objects.filter(username__iexact="li_expert").count() == 1
    assert AuditEntry.objects.filter(action="expert.added").count() == 1


def test_add_expert_only_for_programmes_the_office_serves(w):
    """A forged programme code of another programme is refused by the service."""
    other = w.foreign.programmes.get()
    with pytest.raises(Exception) as caught:
        add_expert(
            actor=w.office,
            username="x_expert",
            password=PASSWORD,
            name="某专家",
            programmes=[other.code],
        )
    assert getattr(caught.value, "code", None) == "forbidden"
    assert not User.objects.filter(username="x_expert").exists()


def test_an_office_serving_every_programme_may_add_an_expert_for_all(client, w):
    office = staff_user(Role.OFFICE, programme=None, username="province_office")
    client.force_login(office)
    response = client.post(URL, form(w, programmes=[]))
    assert response.status_code == 302
    assert User.objects.get(username="li_expert").all_programmes


def test_experts_page_shows_the_form_to_the_office_and_no_command_hint(client, w):
    client.force_login(w.office)
    page = client.get("/review/experts/").content.decode()
    assert f'action="{URL}"' in page
    assert "create_user" not in page
    client.force_login(w.supervisor)
    page = client.get("/review/experts/").content.decode()
    assert f'action="{URL}"' not in page
    assert "新专家由评审委员会办公室添加。" in page


def test_add_expert_is_post_only(client, w):
    client.force_login(w.office)
    assert client.get(URL).status_code == 405


def test_the_command_still_creates_an_expert_for_operators(w):
    call_command("create_user", "op_expert", "--role", "expert", "--password", PASSWORD)
    assert User.objects.get(username="op_expert").has_role(Role.EXPERT)


def test_manage_experts_rule_matrix():
    """Only the office adds experts (any office: the programmes are the service's check)."""
    people = People(ProgrammeFactory())
    assert people.holders("review.manage_experts") == {"office", "foreign_office"}
