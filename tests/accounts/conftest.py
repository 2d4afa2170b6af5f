import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none (registration allows a
    few an hour per address, and these tests register many times)."""
    cache.clear()
    yield
    cache.clear()
