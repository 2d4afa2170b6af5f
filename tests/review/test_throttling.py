"""The public objection limit holds: a rotating X-Forwarded-For buys nothing, and the page and
the API share one counter (issue 8, item 10)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from awards.models import Objection
from tests.review.test_api import API, in_publicity, objection_body

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_rotating_forwarded_for_does_not_multiply_the_limit(w, settings):
    settings.TRUSTED_PROXIES = []
    in_publicity(w, dt.date(2026, 8, 28))
    statuses = [
        w.client("anonymous")
        .post(
            f"{API}/public/objections/",
            objection_body(w),
            format="json",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(15)
    ]
    assert statuses == [201] * 5 + [429] * 10
    assert Objection.objects.count() == 5


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(w, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    in_publicity(w, dt.date(2026, 8, 28))

    def post(client_ip):
        return (
            w.client("anonymous")
            .post(
                f"{API}/public/objections/",
                objection_body(w),
                format="json",
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=client_ip,
            )
            .status_code
        )

    assert [post("198.51.100.1") for _ in range(6)] == [201] * 5 + [429]
    assert post("198.51.100.2") == 201


def test_the_page_and_the_api_share_one_counter(client, w):
    in_publicity(w, dt.date(2026, 8, 28))
    for _ in range(3):
        response = w.client("anonymous").post(
            f"{API}/public/objections/", objection_body(w), format="json"
        )
        assert response.status_code == 201
    url = reverse("awards:objection", args=[w.app.pk])
    form = {
        "text": "该企业近两年发生过质量投诉未如实申报",
        "name": "李某某",
        "phone": "13900002222",
    }
    assert [client.post(url, form).status_code for _ in range(3)] == [302, 302, 429]


def test_a_form_to_correct_does_not_use_up_an_attempt(client, w):
    in_publicity(w, dt.date(2026, 8, 28))
    url = reverse("awards:objection", args=[w.app.pk])
    for _ in range(8):
        assert client.post(url, {"text": "太短", "name": "李", "phone": "1"}).status_code == 400
    form = {
        "text": "该企业近两年发生过质量投诉未如实申报",
        "name": "李某某",
        "phone": "13900002222",
    }
    assert client.post(url, form).status_code == 302
