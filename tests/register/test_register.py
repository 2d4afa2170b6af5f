"""The public register (issue 14 item 2, API.md "Trust that travels"): exactly the valid awards,
every change since a day with its date and rule, CSV, conditional requests, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.cache import cache

from awards import register
from awards.enums import AwardStatus
from awards.services.certificates import queue_certificates
from awards.services.history import import_award
from awards.services.validity import enforce_award_rules
from tests.clock import travel_to
from tests.factories import EnterpriseUserFactory, OrganisationFactory, staff_user
from tests.queries import exactly
from tests.register.conftest import TODAY, make_award, revoke

pytestmark = pytest.mark.unit

D = dt.date
URL = "/api/v1/public/register/"


def get_json(api, url=URL, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def codes(body) -> list[str]:
    return [r["code"] for r in body["results"]]


def test_the_register_lists_exactly_the_valid_awards_R6(api, awards):
    """By hand: valid on 2026-11-23 are the 2025 award and the one whose last valid day is
    today; not the one that ended yesterday (though the daily job has not run), not the
    revoked one, not the one that ended in 2022. Newest announcement first."""
    body = get_json(api)
    assert codes(body) == [awards.active.code, awards.last_day.code]
    assert (body["as_of"], body["count"], body["next"], body["previous"]) == (
        "2026-11-23",
        2,
        None,
        None,
    )
    first = body["results"][0]
    assert tuple(first) == register.PUBLIC_FIELDS
    org = awards.active.organisation
    assert first == {
        "code": awards.active.code,
        "serial": None,
        "organisation": "绿原乳业有限公司",
        "uscc": org.uscc,
        "programme": "鄂托克前旗旗长质量奖",
        "year": 2025,
        "region": "鄂托克前旗",
        "division": "150623",
        "announced_on": "2025-01-10",
        "valid_until": "2028-01-10",
        "status": "active",
    }


def test_the_last_valid_day_is_in_and_the_day_after_is_out_R6(api, awards):
    assert awards.last_day.code in codes(get_json(api))
    travel_to(TODAY + dt.timedelta(days=1))
    assert codes(get_json(api)) == [awards.active.code]


def test_every_change_since_a_day_with_its_date_and_rule_R6_R12_8_R21(api, awards):
    """By hand, from the fixtures: announcements (R12.8), the revocation on 2026-03-02 (R21),
    the expiries the day after valid_until (R6)."""
    body = get_json(api, changed_since="2022-12-21")
    got = [(r["changed_on"], r["change"], r["code"], r["rule"]) for r in body["results"]]
    a = awards
    assert got == [
        ("2022-12-21", "expired", a.expired_long_ago.code, "R6"),
        ("2023-11-22", "awarded", a.expired_yesterday.code, "R12.8"),
        ("2023-11-23", "awarded", a.last_day.code, "R12.8"),
        ("2024-06-01", "awarded", a.revoked.code, "R12.8"),
        ("2025-01-10", "awarded", a.active.code, "R12.8"),
        ("2026-03-02", "revoked", a.revoked.code, "R21"),
        ("2026-11-23", "expired", a.expired_yesterday.code, "R6"),
    ]
    assert body["changed_since"] == "2022-12-21"
    assert tuple(body["results"][0]) == register.PUBLIC_FIELDS + register.CHANGE_FIELDS
    revoked = body["results"][5]
    assert (revoked["status"], revoked["recorded_on"]) == ("revoked", "2026-03-02")
    # The day itself is included; the day after leaves the expiry of 2022-12-21 out.
    later = get_json(api, changed_since="2022-12-22")
    assert later["results"][0]["changed_on"] == "2023-11-22"
    assert [r["change"] for r in get_json(api, changed_since="2026-11-23")["results"]] == [
        "expired"
    ]


def test_a_revocation_appears_after_it_happens_and_leaves_the_valid_list_R21(
    api, programme, office, committee, government, django_capture_on_commit_callbacks
):
    award = make_award(programme, D(2025, 6, 1))
    assert codes(get_json(api)) == [award.code]  # cached now
    assert get_json(api, changed_since="2026-11-23")["results"] == []
    with django_capture_on_commit_callbacks(execute=True):
        revoke(
            award,
            on=TODAY,
            trigger="accident",
            occurred_on=D(2026, 10, 1),
            office=office,
            committee=committee,
            government=government,
        )
    assert get_json(api)["results"] == []
    (change,) = get_json(api, changed_since="2026-11-23")["results"]
    assert (change["change"], change["changed_on"], change["rule"], change["status"]) == (
        "revoked",
        "2026-11-23",
        "R21",
        "revoked",
    )


def test_a_fraud_revocation_names_R20_even_after_expiry_R20(
    api, programme, office, committee, government
):
    """Fraud may be found after expiry: the award expired, then was revoked, both listed."""
    award = make_award(programme, D(2022, 3, 1))  # valid until 2025-03-01
    revoke(
        award,
        on=D(2026, 5, 5),
        trigger="fraud",
        occurred_on=D(2021, 6, 1),
        office=office,
        committee=committee,
        government=government,
    )
    got = [
        (r["change"], r["changed_on"], r["rule"])
        for r in get_json(api, changed_since="2025-01-01")["results"]
    ]
    assert got == [("expired", "2025-03-02", "R6"), ("revoked", "2026-05-05", "R20")]


def test_a_revocation_during_validity_is_never_an_expiry_R21(api, awards):
    changes = get_json(api, changed_since="2019-01-01")["results"]
    assert [r["change"] for r in changes if r["code"] == awards.revoked.code] == [
        "awarded",
        "revoked",
    ]


def test_the_daily_expiry_job_changes_nothing_in_the_register_R6(api, awards):
    before = api.get(URL).content, api.get(URL, {"changed_since": "2019-01-01"}).content
    enforce_award_rules(today=TODAY)
    awards.expired_yesterday.refresh_from_db()
    assert awards.expired_yesterday.status == AwardStatus.EXPIRED
    cache.clear()
    after = api.get(URL).content, api.get(URL, {"changed_since": "2019-01-01"}).content
    assert before == after


def test_an_award_recorded_today_from_before_the_portal_is_a_change_of_today(
    api, programme, office, django_capture_on_commit_callbacks
):
    """Announced in 2024 but imported today: a mirror that last polled yesterday must see it."""
    org = OrganisationFactory(name="历史获奖有限公司")
    assert get_json(api)["results"] == []
    with django_capture_on_commit_callbacks(execute=True):
        award = import_award(
            organisation=org,
            programme=programme,
            year=2024,
            announced_on=D(2024, 12, 1),
            actor=office,
        )
    assert codes(get_json(api)) == [award.code]  # the cached snapshot was replaced
    (change,) = get_json(api, changed_since="2026-11-22")["results"]
    assert (change["change"], change["changed_on"], change["recorded_on"]) == (
        "awarded",
        "2024-12-01",
        "2026-11-23",
    )


def test_the_snapshot_is_the_same_bytes_until_something_changes(api, awards):
    first = api.get(URL)
    again = api.get(URL, {"format": "json"})
    assert first.content == again.content
    assert first["Content-Type"] == "application/json"
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["ETag"] == register.etag_of(first.content)


# --- Conditional requests ------------------------------------------------------------------


def test_304_on_if_none_match(api, awards):
    response = api.get(URL)
    etag = response["ETag"]
    again = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    other = api.get(URL, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_304_on_if_modified_since(api, awards):
    response = api.get(URL)
    stamp = response["Last-Modified"]
    assert api.get(URL, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    assert api.get(URL, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2024 00:00:00 GMT").status_code == 200


def test_the_etag_and_last_modified_move_with_a_change(
    api, awards, office, committee, government, django_capture_on_commit_callbacks
):
    before = api.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        revoke(
            awards.active,
            on=TODAY,
            hour=15,
            trigger="accident",
            occurred_on=D(2026, 10, 1),
            office=office,
            committee=committee,
            government=government,
        )
    travel_to(TODAY, hour=16)
    after = api.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]


def test_the_changes_and_the_csv_are_conditional_too(api, awards):
    for params in ({"changed_since": "2024-01-01"}, {"format": "csv"}):
        response = api.get(URL, params)
        assert api.get(URL, params, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2026-13-01", "2026-02-30", "yesterday", "2026-1-1", "20261101", "", "2026-11-01T00:00",
     "9999999-01-01", "２０２６-01-01", "2026-11-24", "2030-01-01"],
)  # fmt: skip
def test_a_malformed_or_future_date_is_400_with_a_clear_message(api, awards, value):
    for url in (URL, URL + "feed.atom"):
        response = api.get(url, {"changed_since": value})
        assert response.status_code == 400, (url, value)
        (message,) = response.json()["changed_since"]
        assert "YYYY-MM-DD" in message or "晚于今天" in message


@pytest.mark.parametrize("value", ["0001-01-01", "0001-01-02", "1899-12-31"])
def test_a_day_before_any_award_lists_every_change(api, awards, value):
    for params in ({}, {"format": "csv"}):
        response = api.get(URL, {"changed_since": value, **params})
        assert response.status_code == 200
    body = get_json(api, changed_since=value)
    assert body["changed_since"] == value
    assert body["count"] == 8  # five announcements, two expiries, one revocation
    assert api.get(URL + "feed.atom", {"changed_since": value}).status_code == 200


def test_only_get_and_head(api, awards):
    assert api.head(URL).status_code == 200
    for path in ("", "signature/", "certificate.pem", "feed.atom"):
        assert api.post(URL + path, {}).status_code == 405


@pytest.mark.parametrize("value", ["xml", "JSON", "csv ", "json,csv"])
def test_an_unknown_format_is_400(api, db, value):
    response = api.get(URL, {"format": value})
    assert response.status_code == 400
    assert response.json()["format"] == ["格式应为 json 或 csv。"]


def test_a_bad_page_is_404_as_elsewhere_in_the_api(api, awards):
    assert api.get(URL, {"page": "99"}).status_code == 404


# --- CSV and pages ---------------------------------------------------------------------------


def test_the_csv_parses_with_a_header_row_and_a_byte_order_mark(api, awards):
    response = api.get(URL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == [awards.active.code, awards.last_day.code]
    assert tuple(rows[0]) == register.PUBLIC_FIELDS
    assert (rows[0]["organisation"], rows[0]["serial"]) == ("绿原乳业有限公司", "")
    changes = api.get(URL, {"format": "csv", "changed_since": "2026-01-01"})
    rows = list(csv.DictReader(io.StringIO(changes.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == register.PUBLIC_FIELDS + register.CHANGE_FIELDS
    assert [(r["change"], r["changed_on"], r["rule"]) for r in rows] == [
        ("revoked", "2026-03-02", "R21"),
        ("expired", "2026-11-23", "R6"),
    ]


def test_json_pages_on_request(api, awards):
    first = get_json(api, page_size=1)
    assert (first["count"], len(first["results"]), first["previous"]) == (2, 1, None)
    assert first["next"].endswith("page=2&page_size=1")
    second = get_json(api, page=2, page_size=1)
    assert codes(first) + codes(second) == codes(get_json(api))
    changes = get_json(api, changed_since="2019-01-01", page_size=3)
    assert (changes["count"], len(changes["results"])) == (8, 3)


# --- Who may read, and what never leaves ----------------------------------------------------


@pytest.mark.parametrize(
    "role", [None, "enterprise", "office", "committee", "expert", "supervisor", "government"]
)
def test_everyone_reads_the_same_register_anonymous_included(client, awards, programme, role):
    anonymous = client.get(URL).content
    if role == "enterprise":
        client.force_login(EnterpriseUserFactory())
    elif role:
        client.force_login(staff_user(role, programme=programme))
    for url in (URL, URL + "?changed_since=2020-01-01", URL + "feed.atom"):
        assert client.get(url).status_code == 200
    assert client.get(URL).content == anonymous


def test_a_token_is_neither_needed_nor_checked(api, awards):
    assert api.get(URL, HTTP_AUTHORIZATION="Token not-a-token").status_code == 200


def test_no_confidential_data_in_any_output(api, awards):
    org = awards.revoked.organisation
    outputs = [
        api.get(URL).content,
        api.get(URL, {"changed_since": "2019-01-01"}).content,
        api.get(URL, {"changed_since": "2019-01-01", "format": "csv"}).content,
        api.get(URL + "feed.atom", {"changed_since": "2019-01-01"}).content,
    ]
    for body in outputs:
        text = body.decode("utf-8-sig")
        assert (org.uscc in text) == (body is not outputs[0])  # listed among the changes
        for secret in (
            org.contact_name,
            org.contact_phone,
            org.legal_representative,
            org.address,
            "案情机密描述XYZ",
            "撤销理由机密ABC",
            "credit",
        ):
            assert secret not in text
    fields = set(register.PUBLIC_FIELDS + register.CHANGE_FIELDS)
    for row in json.loads(outputs[1])["results"]:
        assert set(row) <= fields


# --- Queries and the cache ------------------------------------------------------------------


def _awards_of(programme, count):
    for n in range(count):
        make_award(programme, D(2025, 1, 1) + dt.timedelta(days=n))
    make_award(programme, D(2020, 1, 1))  # expired, listed among the changes


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_register_costs_constant_queries(api, programme, item_count):
    _awards_of(programme, item_count)
    with exactly(2):  # the awards, the last change
        assert len(get_json(api)["results"]) == item_count
    with exactly(0):  # cached
        get_json(api)
    for params in (
        {"changed_since": "2019-01-01"},
        {"format": "csv"},
        {"format": "csv", "changed_since": "2019-01-01"},
    ):
        with exactly(2):
            api.get(URL, params)
    with exactly(2):  # pages are cut from the list
        get_json(api, page_size=1)
    with exactly(2):
        api.get(URL + "feed.atom")


def test_a_certificate_issue_replaces_the_cached_snapshot(
    api, programme, office, django_capture_on_commit_callbacks
):

    award = make_award(programme, D(2025, 6, 1))
    assert get_json(api)["results"][0]["serial"] is None
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = queue_certificates(awards=[award], actor=office)
    assert get_json(api)["results"][0]["serial"] == certificate.serial


def test_the_register_is_served_when_the_cache_is_down(api, awards, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert codes(get_json(api)) == [awards.active.code, awards.last_day.code]


def test_the_schema_documents_the_register(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("", "signature/", "certificate.pem", "feed.atom"):
        operation = schema["paths"][f"/api/v1/public/register/{path}"]["get"]
        assert operation["summary"]
    register_op = schema["paths"]["/api/v1/public/register/"]["get"]
    names = {p["name"] for p in register_op["parameters"]}
    assert {"changed_since", "format", "page", "page_size"} <= names
    assert {"application/json", "text/csv"} <= set(register_op["responses"]["200"]["content"])
