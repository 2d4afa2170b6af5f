"""Query counts written as literals (STYLE.md 11, after pretalx's ``item_count`` tests).

A list page's test builds 1 and 3 rows (``@pytest.mark.parametrize("item_count", (1, 3))``)
and expects the same literal count for both: the page costs that many queries whatever the
rows, and a change in its cost shows in the diff. On failure the message lists every captured
statement, and first the shapes run more than once (literals masked): the N+1 suspects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def repeated(sqls: list[str], times: int = 2) -> list[str]:
    """The statements (literals masked) run at least ``times`` times, most frequent first."""
    shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:200] for sql in sqls)
    return [f"{n}x {shape}" for shape, n in shapes.most_common() if n >= times]


def _report(expected: int, sqls: list[str]) -> str:
    lines = [f"expected {expected} queries, ran {len(sqls)}"]
    suspects = repeated(sqls)
    if suspects:
        lines += ["repeated:", *suspects]
    lines += ["all:", *(f"{i}. {sql}" for i, sql in enumerate(sqls, 1))]
    return "\n".join(lines)


@contextmanager
def exactly(n: int) -> Iterator[CaptureQueriesContext]:
    """The block runs exactly ``n`` queries on the default database."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == n, _report(n, sqls)


def assert_get_queries(
    n: int, client, url: str, *, status: int = 200, warm_up: bool = True, public: bool = False
):
    """GET ``url`` costs exactly ``n`` queries, after one warm-up GET (the session's first
    touches and per-process caches are not the page's cost). Returns the measured response.

    ``public``: the page is one the public cache serves whole (awards.public_cache); the
    count is that of building it, so the warmed-up copy is set aside before measuring."""
    if warm_up:
        client.get(url)
    if public:
        from awards.public_cache import invalidate_public_pages

        invalidate_public_pages()
    with exactly(n):
        response = client.get(url)
    assert response.status_code == status
    return response
