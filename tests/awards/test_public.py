"""The public registry and verification (R15-R18): trustworthy, and nothing confidential."""

import datetime as dt

import pytest

from awards.enums import AwardStatus
from tests.awards.conftest import make_award
from tests.queries import exactly

pytestmark = pytest.mark.unit


@pytest.fixture
def three(programme):
    active = make_award(programme, announced_on=dt.date(2025, 1, 10), name="有效企业")
    expired = make_award(programme, announced_on=dt.date(2020, 1, 10), name="过期企业")
    expired.status = AwardStatus.EXPIRED
    expired.save()
    revoked = make_award(programme, announced_on=dt.date(2024, 1, 10), name="撤销企业")
    revoked.status, revoked.revoked_on = AwardStatus.REVOKED, dt.date(2025, 5, 1)
    revoked.save()
    return active, expired, revoked


@pytest.mark.parametrize(
    ("index", "valid", "status", "verdict"),
    [
        (0, True, "active", "有效"),
        (1, False, "expired", "已过有效期"),
        (2, False, "revoked", "已撤销"),
    ],
)
def test_verify_each_status(api, client, three, index, valid, status, verdict):
    """R15-R18: other departments check publicly whether an award is valid."""
    award = three[index]
    body = api.get(f"/api/v1/public/verify/{award.code}/").json()
    assert (body["valid"], body["status"], body["organisation"]) == (
        valid,
        status,
        award.organisation.name,
    )
    assert body["valid_until"] == award.valid_until.isoformat()
    page = client.get(f"/verify/{award.code}/").content.decode()
    assert verdict in page
    assert award.organisation.contact_phone not in page or not award.organisation.contact_phone


def test_verify_unknown_code_is_404(api, client, db):
    assert api.get("/api/v1/public/verify/guess/").status_code == 404
    assert client.get("/verify/guess/").status_code == 404


def test_verification_codes_are_unguessable(three):
    codes = {a.code for a in three}
    assert len(codes) == 3
    assert all(len(c) >= 20 for c in codes)


def test_registry_api_filters(api, three):
    _active, expired, revoked = three
    body = api.get("/api/v1/awards/").json()
    assert body["count"] == 3
    assert set(body["results"][0]) == {
        "id",
        "organisation",
        "uscc",
        "programme",
        "year",
        "announced_on",
        "valid_until",
        "status",
        "code",
    }
    assert [r["id"] for r in api.get("/api/v1/awards/?status=revoked").json()["results"]] == [
        revoked.pk
    ]
    got = api.get(f"/api/v1/awards/?uscc={expired.organisation.uscc.lower()}").json()
    assert [r["id"] for r in got["results"]] == [expired.pk]
    assert api.get("/api/v1/awards/?status=bogus").status_code == 400


def test_registry_page_search(client, three):
    page = client.get("/awards/?q=有效企业").content.decode()
    assert "有效企业" in page and "过期企业" not in page


@pytest.mark.parametrize("item_count", (1, 3))
def test_registry_page_query_count_is_constant(client, programme, item_count):
    for _ in range(item_count):
        make_award(programme)
    with exactly(2):
        client.get("/awards/")
