"""Client addresses behind trusted proxies and atomic rate counters (issue 8, item 10)."""

import os
import threading

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from common import throttling
from common.throttling import client_address, take

pytestmark = pytest.mark.unit


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_forwarded_for_is_ignored_from_an_untrusted_sender(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_the_first_untrusted_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "172.16.0.0/12"]
    # A client forged "6.6.6.6"; our proxies appended what they saw.
    request = _request("10.0.0.1", "6.6.6.6, 198.51.100.7, 172.16.3.4")
    assert client_address(request) == "198.51.100.7"


def test_a_request_through_trusted_proxies_only_keeps_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"
    assert client_address(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


def test_a_window_counts_exactly_its_limit():
    results = [take("t1", "a", rate="5/hour", now=1000.0) for _ in range(8)]
    assert results == [True] * 5 + [False] * 3
    assert take("t1", "b", rate="5/hour", now=1000.0)  # another client
    assert take("t1", "a", rate="5/hour", now=1000.0 + 3600)  # the next hour


def _burst(n: int) -> list[bool]:
    barrier = threading.Barrier(n)
    results = []
    lock = threading.Lock()

    def one():
        barrier.wait()
        ok = take("burst", "198.51.100.7", rate="5/hour", now=5000.0)
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_burst_of_ten_at_once_passes_five_in_process_cache():
    assert sorted(_burst(10)) == [False] * 5 + [True] * 5


@pytest.mark.integration
def test_a_burst_of_ten_at_once_passes_five_on_redis(monkeypatch):
    """The counter lives in Redis, shared by every web process (the production cache)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail("REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set")
    redis_cache = RedisCache(url, {"KEY_PREFIX": f"throttle-test-{os.getpid()}"})
    redis_cache.clear()
    monkeypatch.setattr(throttling, "cache", redis_cache)
    assert sorted(_burst(10)) == [False] * 5 + [True] * 5


def test_limits_fail_open_when_the_cache_is_down(monkeypatch):
    monkeypatch.setattr(throttling, "cache", RedisCache("redis://127.0.0.1:9/0", {}))
    assert take("down", "a", rate="1/hour")
    assert take("down", "a", rate="1/hour")
