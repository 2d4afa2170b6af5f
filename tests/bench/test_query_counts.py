"""Queries per request do not grow with the data (issue 12 item 2): every page the benchmark
measures costs the same number of queries on the county data and on four times as many
programmes with more cycles of history, experts, organisations and awards."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.data import PREFIX, SCALES, Scale, seed
from bench.load import PAGES, pick_ids

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    ids = pick_ids()
    clients = {"": Client()}
    out = {}
    for page in PAGES:
        if page.role not in clients:
            client = Client()
            login = "expert-p000-0" if page.role == "expert" else page.role
            client.force_login(User.objects.get(username=f"{PREFIX}{login}"))
            clients[page.role] = client
        client = clients[page.role]
        path = page.path.format(**ids)
        client.get(path)  # sessions, caches and the like settle on the first request
        # The queries of building the page, not of reading it from the public cache (a cached
        # page costs none: tests/awards/test_public_cache.py).
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (page.name, response.status_code)
        out[page.name] = len(queries)
    return out


def test_every_benchmarked_page_costs_the_same_queries_at_county_and_larger_scale():
    seed(SCALES["county"], log=lambda *_: None)
    county = _counts()
    seed(Scale("larger", programmes=3, cycles=5, experts=12), log=lambda *_: None)
    larger = _counts()

    grown = {name: (county[name], larger[name]) for name in county if county[name] != larger[name]}
    assert not grown, f"queries per request grow with the data: {grown}"
