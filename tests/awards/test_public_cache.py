"""Whole public pages from the cache (issue 12 item 3, awards.public_cache): served to anonymous
readers only, with nothing personal in them, and never stale after the events that change them
(an award announced or revoked, a publicity started, an objection upheld)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from awards.enums import AwardStatus
from awards.public_cache import cache_public_page
from awards.services.publicity import (
    announce_cycle,
    file_objection,
    resolve_objection,
    start_publicity,
)
from awards.services.sanctions import approve_revocation, decide_case, open_case
from awards.views import RegistryView
from tests.awards.conftest import make_award
from tests.clock import travel_to
from tests.factories import CycleFactory
from tests.review.conftest import make_accepted, proposed_by_committee

pytestmark = pytest.mark.unit

PUBLIC_PATHS = (
    "/",
    "/awards/",
    "/api/v1/awards/",
    "/publicity/",
    "/api/v1/public/publicity/",
    "/announcements/",
    "/exposures/",
)


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_is_cached_for_anonymous_readers_without_cookie_or_token(client, award, path):
    first, second = _get(client, path), _get(client, path)
    assert (first["X-Public-Cache"], second["X-Public-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert second["Content-Type"] == first["Content-Type"]
    for response in (first, second):
        assert not response.cookies  # no Set-Cookie: no CSRF cookie, no session
        assert b"csrfmiddlewaretoken" not in response.content


def test_verification_page_and_api_are_cached_and_carry_no_token(client, award):
    for path in (f"/verify/{award.code}/", f"/api/v1/public/verify/{award.code}/"):
        first, second = _get(client, path), _get(client, path)
        assert (first["X-Public-Cache"], second["X-Public-Cache"]) == ("miss", "hit")
        assert not second.cookies and b"csrfmiddlewaretoken" not in second.content


def test_cached_page_is_never_served_to_a_logged_in_user(client, award, office):
    _get(client, "/")
    assert _get(client, "/")["X-Public-Cache"] == "hit"
    staff = Client()
    staff.force_login(office)
    page = _get(staff, "/")
    assert "X-Public-Cache" not in page
    assert office.display_name in page.content.decode()
    # …and the staff member's page, with their menu, is never served to anyone else.
    anonymous = _get(Client(), "/").content.decode()
    assert office.display_name not in anonymous
    assert "/accounts/logout/" not in anonymous


def test_each_language_has_its_own_cached_page(client, award):
    chinese = _get(client, "/awards/").content.decode()
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = _get(english_client, "/awards/").content.decode()
    assert chinese != english
    assert _get(client, "/awards/").content.decode() == chinese


def test_revocation_shows_at_once_on_the_registry_verification_and_exposures(
    client, api, programme, office, committee, government
):
    """No stale award after a revocation (R20): every cached page changes with it."""
    award = make_award(programme, announced_on=dt.date(2025, 6, 1), office=office, name="伪造企业")
    pages = ("/awards/", f"/verify/{award.code}/", "/exposures/")
    before = {path: _get(client, path).content.decode() for path in pages}
    assert _get(client, f"/api/v1/public/verify/{award.code}/").json()["valid"] is True
    assert "伪造企业" not in before["/exposures/"]

    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=dt.date(2025, 3, 1),
        description="伪造检测报告",
        actor=office,
    )
    decide_case(case=case, sanction="revoke", reasons="弄虚作假骗取荣誉", actor=committee)
    approve_revocation(case=case, actor=government)

    body = _get(client, f"/api/v1/public/verify/{award.code}/").json()
    assert (body["valid"], body["status"]) == (False, AwardStatus.REVOKED)
    after = {path: _get(client, path) for path in pages}
    assert all(r["X-Public-Cache"] == "miss" for r in after.values())
    assert "已撤销" in after[f"/verify/{award.code}/"].content.decode()
    assert "伪造企业" in after["/exposures/"].content.decode()
    assert after["/awards/"].content.decode() != before["/awards/"]


def test_publicity_objection_and_announcement_show_at_once(
    client, programme, office, government, django_capture_on_commit_callbacks
):
    travel_to(dt.date(2026, 9, 1))
    cycle = CycleFactory(
        programme=programme,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=dt.date(2026, 6, 30),
    )
    kept, withdrawn = make_accepted(cycle, 2)
    proposed_by_committee(cycle, [kept, withdrawn], dt.date(2026, 8, 25))
    names = kept.organisation.name, withdrawn.organisation.name
    assert not any(n in _get(client, "/publicity/").content.decode() for n in names)

    start_publicity(cycle=cycle, starts_on=dt.date(2026, 8, 26), actor=office)
    page = _get(client, "/publicity/").content.decode()
    api = _get(client, "/api/v1/public/publicity/").json()
    assert all(n in page for n in names)
    assert {r["organisation"] for r in api["results"]} == set(names)

    objection = file_objection(
        application_id=withdrawn.pk,
        text="该企业近两年发生过质量投诉未如实申报",
        name="王某某",
        phone="13900001111",
    )
    resolve_objection(objection=objection, upheld=True, reasons="经查属实", actor=office)
    page = _get(client, "/publicity/").content.decode()
    assert names[0] in page and names[1] not in page

    announcements = _get(client, "/announcements/").content.decode()
    assert names[0] not in announcements
    travel_to(dt.date(2026, 9, 8))
    with django_capture_on_commit_callbacks(execute=True):
        announce_cycle(cycle=cycle, actor=government)
    assert names[0] in _get(client, "/announcements/").content.decode()
    assert names[0] in _get(client, "/awards/").content.decode()
    assert names[0] not in _get(client, "/publicity/").content.decode()


def test_a_new_day_is_a_new_page(client, award):
    """Publicity ends and awards expire with the date: yesterday's page is not today's."""
    _get(client, "/")
    travel_to(dt.date(2026, 11, 24))
    assert _get(client, "/")["X-Public-Cache"] == "miss"


def test_a_page_with_a_pending_message_is_neither_served_from_nor_put_in_the_cache(rf, award):
    view = cache_public_page(RegistryView.as_view())

    def request(message: str = ""):
        r = rf.get("/awards/")
        r.user, r.session = AnonymousUser(), SessionStore()
        r._messages = FallbackStorage(r)
        if message:
            messages.info(r, message)
        return r

    first = view(request("您已提交")).render()
    assert "X-Public-Cache" not in first and "您已提交" in first.content.decode()
    assert view(request())["X-Public-Cache"] == "miss"
    again = view(request("又一条消息")).render()
    assert "X-Public-Cache" not in again and "又一条消息" in again.content.decode()
