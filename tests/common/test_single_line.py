"""Names and other single-line values refuse control characters at every entrance: the
registration page and API, the office's forms and API, the admin, the public objection form
(issue 8, item 4)."""

import pytest
from django.urls import reverse

from accounts.roles import ensure_role_groups
from common.fields import control_characters, validate_single_line
from organisations.models import Organisation
from tests.factories import OrganisationFactory, make_uscc

pytestmark = [pytest.mark.unit, pytest.mark.django_db]

BAD_NAMES = [
    "绿原乳业\n有限公司",
    "绿原乳业\r有限公司",
    "绿原乳业\x1b[31m有限公司",
    "绿原乳业\u2028有限公司",
    "绿原乳业\u202e司公限有",
    "绿原乳业\x85有限公司",
]


@pytest.mark.parametrize("value", BAD_NAMES)
def test_control_characters_are_named_in_the_message(value):
    with pytest.raises(Exception) as excinfo:
        validate_single_line(value)
    (code,) = control_characters(value)
    assert code in excinfo.value.messages[0]
    assert "控制字符" in excinfo.value.messages[0]


@pytest.mark.parametrize("value", ["绿原乳业有限公司", "Green Milk Co., Ltd. (2)", "内蒙古·伊利"])
def test_ordinary_names_pass(value):
    validate_single_line(value)


def _registration(name: str) -> dict:
    return {
        "username": "newco",
        "password": "Correct-Horse-9",
        "organisation": {
            "name": name,
            "uscc": make_uscc(),
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2015-06-01",
        },
    }


@pytest.mark.parametrize("name", BAD_NAMES[:3])
def test_registration_api_refuses_a_name_with_a_newline(api, programme, name):
    response = api.post("/api/v1/accounts/register/", _registration(name), format="json")
    assert response.status_code == 400
    assert "控制字符" in str(response.json())
    assert not Organisation.objects.exists()


def test_registration_page_refuses_a_name_with_a_newline(client, programme):
    data = _registration("绿原乳业\n有限公司")
    org = data.pop("organisation")
    response = client.post(
        reverse("accounts:register"),
        {
            "username": data["username"],
            "password1": data["password"],
            "password2": data["password"],
            "name": "张三",
            "org_name": org["name"],
            "uscc": org["uscc"],
            "kind": org["kind"],
            "region": org["region"],
            "registered_on": org["registered_on"],
        },
    )
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    assert not Organisation.objects.exists()


def test_office_api_refuses_a_renamed_organisation_with_a_newline(office):
    from tests.conftest import login_api

    org = OrganisationFactory(name="原名称有限公司")
    response = login_api(office).patch(
        f"/api/v1/organisations/{org.pk}/", {"name": "新名称\n有限公司"}, format="json"
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.name == "原名称有限公司"


def test_admin_refuses_a_name_with_a_newline(client, office):
    ensure_role_groups()
    org = OrganisationFactory(name="原名称有限公司")
    client.force_login(office)
    url = f"/admin/organisations/organisation/{org.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"name": "新名称\n有限公司", "registered_on": "2015-06-01"})
    for prefix in ("credit_ratings", "incidents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    org.refresh_from_db()
    assert org.name == "原名称有限公司"
