"""Two registrations at the same moment, on PostgreSQL (issue 8 item 13): with the same USCC,
one account gets the organisation and the other a claim; with the same username, one account
is created and the other request creates nothing. Neither sees an error."""

import os
import threading

import pytest
from django.db import connection

from accounts.models import OrganisationClaim, User
from accounts.services.users import register_enterprise
from organisations.models import Organisation
from tests.factories import make_uscc

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail("concurrency tests need PostgreSQL")
        pytest.skip("concurrent writers need PostgreSQL")


def _at_once(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _register(username: str, uscc: str):
    return lambda: register_enterprise(
        username=username,
        password="a-long-passphrase-9",
        organisation={
            "name": "绿原乳业有限公司",
            "uscc": uscc,
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2012-05-01",
        },
    )


@pytest.mark.parametrize("round_", range(3))
def test_the_same_uscc_at_once_gives_one_organisation_and_one_claim(round_):
    uscc = make_uscc()
    results = _at_once(_register(f"a{round_}", uscc), _register(f"b{round_}", uscc))
    assert all(isinstance(r, User) for r in results), results
    assert Organisation.objects.filter(uscc=uscc).count() == 1
    holders = [u for u in results if u.organisation_id is not None]
    claimants = [u for u in results if u.organisation_id is None]
    assert (len(holders), len(claimants)) == (1, 1)
    claim = OrganisationClaim.objects.get(uscc=uscc)
    assert claim.claimant_id == claimants[0].pk


@pytest.mark.parametrize("round_", range(3))
def test_the_same_username_at_once_creates_one_account(round_):
    results = _at_once(
        _register(f"same{round_}", make_uscc()), _register(f"same{round_}", make_uscc())
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r is None for r in results) == [False, True]
    assert User.objects.filter(username=f"same{round_}").count() == 1
    assert Organisation.objects.count() == 1
