"""Where a page's time goes, in-process (issue 12 item 3): ``python -m bench.profile``.

Runs each page of ``bench.load.PAGES`` through Django's test client against a seeded benchmark
database (``bench.seed``), logged in as the page's role, and prints per page the wall time per
request, the queries and the Python function calls per request (cProfile: deterministic, unlike
times on a shared machine), and with ``--top N`` the N functions with the most cumulative time.

    python -m bench.profile --database-url postgres://…/award_bench [--only pool] [--top 25]

The public cache is emptied before each page, so a page is measured building itself.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--only", action="append", default=[], help="part of a page's name")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument(
        "--ours", action="store_true", help="list only the portal's functions, not the libraries'"
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or BENCH_DATABASE_URL) is required")

    from bench.load import PAGES, pick_ids, setup_django

    os.environ.setdefault("REDIS_URL", "")
    setup_django(args.database_url, os.environ["REDIS_URL"], "bench-profile")
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.data import PREFIX

    settings.ALLOWED_HOSTS = ["*"]
    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    ids = pick_ids()
    clients: dict[str, Client] = {}
    pages = [p for p in PAGES if not args.only or any(s in p.name for s in args.only)]
    print(f"{'page':45} {'ms/req':>8} {'queries':>8} {'calls/req':>10} {'status':>6}")
    for page in pages:
        if page.role not in clients:
            client = Client()
            if page.role:
                login = "expert-p000-0" if page.role == "expert" else page.role
                client.force_login(User.objects.get(username=f"{PREFIX}{login}"))
            clients[page.role] = client
        client = clients[page.role]
        path = page.path.format(**ids)
        cache.clear()
        client.get(path)  # warm: imports, templates, the session
        cache.clear()
        executed[0] = 0
        profiler = cProfile.Profile()
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            profiler.enable()
            for _ in range(args.requests):
                cache.clear()
                response = client.get(path)
            profiler.disable()
        elapsed = (time.perf_counter() - start) / args.requests
        stats = pstats.Stats(profiler)
        calls = stats.total_calls // args.requests
        queries = executed[0] // args.requests
        print(
            f"{page.name:45} {elapsed * 1000:8.1f} {queries:8d} {calls:10,d} "
            f"{response.status_code:6d}"
        )
        if args.top:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                *([r"^(?!.*(site-packages|python3\.\d+/)).*\.py"] if args.ours else []), args.top
            )
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
