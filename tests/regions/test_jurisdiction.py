"""Jurisdictions as GB/T 2260 codes (issue 9 §2, issue 13 §1): a programme's region is a
division; an organisation's comes from its USCC; a higher programme takes the divisions under
it (R3, R11.1)."""

import datetime as dt

import pytest
from django.core.management import call_command

from applications.services.eligibility import check_jurisdiction, check_operating_years
from organisations.models import Organisation
from regions.models import Division
from tests.factories import OrganisationFactory, ProgrammeFactory, make_uscc

pytestmark = [pytest.mark.unit, pytest.mark.django_db]


def test_the_tree_holds_every_level_and_the_corps_divisions():
    county = Division.objects.get(pk="150623")
    assert [d.code for d in county.lineage()] == ["150623", "150600", "150000"]
    assert county.full_name == "内蒙古自治区鄂尔多斯市鄂托克前旗"
    assert Division.objects.get(pk="659001").full_name == "新疆维吾尔自治区石河子市"
    assert Division.objects.filter(level="province").count() == 31


def test_loading_again_changes_nothing(capsys):
    before = Division.objects.count()
    call_command("load_divisions")
    assert Division.objects.count() == before
    assert "新增0个，更名0个" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("programme_region", "level", "org_division", "accepted"),
    [
        ("150623", "county", "150623", True),  # 鄂托克前旗
        ("150623", "county", "150624", False),  # 鄂托克旗 next door
        ("150600", "city", "150623", True),  # 鄂尔多斯市 takes its banners
        ("150600", "city", "150624", True),
        ("150600", "city", "150202", False),  # 包头市东河区
        ("150000", "province", "150202", True),
        ("150000", "province", "440300", False),
    ],
)
def test_a_programme_accepts_its_division_and_those_under_it_R3(
    programme_region, level, org_division, accepted
):
    programme = ProgrammeFactory(code=f"p{programme_region}", region=programme_region, level=level)
    org = OrganisationFactory(uscc=make_uscc(org_division))
    assert org.division_id == org_division
    check = check_jurisdiction(org, programme)
    assert (check.rule, check.passed) == ("R3", accepted)
    assert check_operating_years(org, programme, dt.date(2026, 9, 1)).passed is accepted
    if not accepted:
        assert org_division in check.detail and programme_region in check.detail


def test_an_office_correction_of_the_division_is_what_counts_R3():
    programme = ProgrammeFactory(code="etk", region="150623")
    org = OrganisationFactory(uscc=make_uscc("150624"))
    org.division_id = "150623"  # registered again after a move; the office corrected it
    org.save()
    assert check_jurisdiction(org, programme).passed


def _register(api, **org):
    body = {
        "username": "newco",
        "password": "Correct-Horse-9",
        "organisation": {
            "name": "新公司有限公司",
            "uscc": make_uscc(),
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2015-06-01",
        }
        | org,
    }
    return api.post("/api/v1/accounts/register/", body, format="json")


def test_registration_refuses_an_unknown_division_code(api, programme):
    response = _register(api, uscc=make_uscc("159999"))
    assert response.status_code == 400
    assert "159999" in str(response.json())
    assert not Organisation.objects.exists()


def test_registration_refuses_a_registration_date_in_the_future(api, programme):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = _register(api, registered_on=tomorrow)
    assert response.status_code == 400
    assert "不能晚于今天" in str(response.json())


def test_programme_api_refuses_an_unknown_region_and_a_level_mismatch(office):
    from tests.conftest import login_api

    client = login_api(office)
    unknown = client.post(
        "/api/v1/programmes/", {"code": "u", "name": "n", "region": "999999"}, format="json"
    )
    assert unknown.status_code == 400
    assert "region" in unknown.json()
    mismatch = client.post(
        "/api/v1/programmes/",
        {"code": "m", "name": "鄂尔多斯市市长质量奖", "region": "150600", "level": "county"},
        format="json",
    )
    assert mismatch.status_code == 400
    assert "level" in mismatch.json()
    city = client.post(
        "/api/v1/programmes/",
        {"code": "c", "name": "鄂尔多斯市市长质量奖", "region": "150600", "level": "city"},
        format="json",
    )
    assert city.status_code == 201
    assert city.json()["government_name"] == "鄂尔多斯市人民政府"


@pytest.mark.parametrize(("code", "status"), [("150623", 200), ("999999", 404), ("abc", 404)])
def test_regions_api(api, code, status):
    response = api.get(f"/api/v1/regions/{code}/")
    assert response.status_code == status
    if status == 200:
        assert response.json() == {
            "code": "150623",
            "name": "鄂托克前旗",
            "full_name": "内蒙古自治区鄂尔多斯市鄂托克前旗",
            "level": "county",
            "parent": "150600",
        }
