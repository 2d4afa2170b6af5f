"""A programme's place on the ladder through the API (API.md: ``level``, ``nominated_from``,
``requires_lower_award``): shown, changed, and refused with a clear 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from common.models import AuditEntry
from ladder.models import ProgrammeLadder
from programmes.models import Programme
from tests.factories import ProgrammeFactory

from .conftest import login_api

pytestmark = pytest.mark.django_db


def _create(client, **extra):
    body = {"code": "ordos2", "name": "鄂尔多斯市市长质量奖", "region": "150600", **extra}
    return client.post("/api/v1/programmes/", body, format="json")


def test_a_city_programme_takes_nominations_from_its_county_R3_nomination(ladder):
    response = _create(
        login_api(ladder.city_office),
        level="city",
        nominated_from=[ladder.county.pk],
        requires_lower_award=True,
    )
    assert response.status_code == 201, response.data
    assert response.data["level"] == "city"
    assert response.data["nominated_from"] == [ladder.county.pk]
    assert response.data["requires_lower_award"] is True
    assert response.data["accepts_candidates"] is False
    programme = Programme.objects.get(code="ordos2")
    assert AuditEntry.objects.filter(
        action="programme.ladder_changed", object_id=str(programme.pk)
    ).exists()


def test_a_programme_without_ladder_fields_is_as_before(ladder):
    response = _create(login_api(ladder.city_office), level="city")
    assert response.status_code == 201, response.data
    assert response.data["nominated_from"] == []
    assert not ProgrammeLadder.objects.filter(programme__code="ordos2").exists()


def test_a_programme_cannot_nominate_into_itself_R3_nomination(ladder):
    response = login_api(ladder.city_office).patch(
        f"/api/v1/programmes/{ladder.city.pk}/", {"nominated_from": [ladder.city.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"
    assert "nominated_from" in response.data


def test_nominating_into_a_lower_or_equal_level_is_refused_R3_nomination(ladder):
    client = login_api(ladder.city_office)
    # A county taking nominations from the city: into a lower level.
    response = _create(client, code="c1", region="150622", nominated_from=[ladder.city.pk])
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"
    assert "市级" in response.data["detail"]
    # A county from a county: the same level.
    response = _create(client, code="c2", region="150622", nominated_from=[ladder.county.pk])
    assert response.status_code == 400
    assert "县（旗）级" in response.data["detail"]
    assert not Programme.objects.filter(code__in=["c1", "c2"]).exists()  # all or nothing


def test_a_source_outside_the_upper_region_is_refused_R3_nomination(ladder):
    hohhot_county = ProgrammeFactory(code="xincheng", region="150102")
    response = _create(
        login_api(ladder.city_office), level="city", nominated_from=[hohhot_county.pk]
    )
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"
    assert "不在" in response.data["detail"]


def test_requires_lower_award_needs_a_source_R3_nomination(ladder):
    response = _create(login_api(ladder.city_office), level="city", requires_lower_award=True)
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"


def test_get_and_patch_show_and_change_the_ladder(ladder):
    client = login_api(ladder.city_office)
    url = f"/api/v1/programmes/{ladder.city.pk}/"
    shown = client.get(url)
    assert shown.status_code == 200
    assert shown.data["nominated_from"] == [ladder.county.pk]
    assert shown.data["requires_lower_award"] is True
    changed = client.patch(url, {"accepts_candidates": True}, format="json")
    assert changed.status_code == 200, changed.data
    assert changed.data["accepts_candidates"] is True
    assert changed.data["nominated_from"] == [ladder.county.pk]  # untouched
    refused = client.patch(url, {"quota": 5}, format="json")
    assert refused.status_code == 400 and "quota" in refused.data
    assert client.patch(url, {"nominated_from": [999999]}, format="json").status_code == 400
    assert client.patch(url, {"nominated_from": "x"}, format="json").status_code == 400


def test_programme_detail_per_role(ladder):
    url = f"/api/v1/programmes/{ladder.city.pk}/"
    assert APIClient().get(url).status_code == 401
    assert login_api(ladder.enterprise).get(url).status_code == 403
    assert login_api(ladder.expert).get(url).status_code == 403
    assert login_api(ladder.county_office).get(url).status_code == 404  # serves another
    assert login_api(ladder.city_office).get("/api/v1/programmes/999999/").status_code == 404
    assert login_api(ladder.city_government).get(url).status_code == 200
    body = {"requires_lower_award": False}
    assert login_api(ladder.city_government).patch(url, body, format="json").status_code == 403
    assert login_api(ladder.county_office).patch(url, body, format="json").status_code == 404
    assert login_api(ladder.city_office).patch(url, body, format="json").status_code == 200


def test_the_ladder_is_in_the_openapi_schema(ladder):
    schema = login_api(ladder.city_office).get("/api/v1/schema/?format=json").json()
    assert "/api/v1/cycles/{id}/nominations/" in schema["paths"]
    assert "/api/v1/programmes/{id}/" in schema["paths"]
    props = schema["components"]["schemas"]["LadderProgramme"]["properties"]
    assert {"level", "nominated_from", "requires_lower_award"} <= set(props)
