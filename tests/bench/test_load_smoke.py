"""A small-scale smoke of the benchmark (issue 12): ``bench.seed`` at county scale into a
database of its own, then ``bench.load`` for two pages, one round of a second each, and one
certificate through a real worker; the JSON it writes carries every promised field.

Needs a PostgreSQL DATABASE_URL (the smoke gets a database of its own, dropped at the end) and
wrk (scripts/system-deps.sh bench); REDIS_URL adds the certificates. Without them the test
skips, and fails under REQUIRE_INTEGRATION=1 (CI).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("bench")]

ROOT = Path(__file__).resolve().parents[2]
PAGE_FIELDS = {"page", "audience", "rps", "p50_ms", "p99_ms", "queries", "ratio_p50",
               "ratio_p99", "ratio_rps"}  # fmt: skip


def _require_or_skip(reason: str):
    if os.environ.get("REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"integration services missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def bench_database():
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        _require_or_skip("the benchmark runs on PostgreSQL (DATABASE_URL)")
    if shutil.which("wrk") is None:
        _require_or_skip("wrk is not installed (scripts/system-deps.sh bench)")
    parts = urlsplit(database_url)
    name = f"award_bench_smoke_{secrets.token_hex(4)}"
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(
        parts._replace(scheme="postgresql", path="/postgres").geturl(), autocommit=True
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


def _run(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def test_seed_and_load_at_county_scale_write_the_promised_results(bench_database, tmp_path):
    env = {**os.environ, "BENCH_DATABASE_URL": bench_database}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    redis_url = os.environ.get("REDIS_URL", "")
    _run("bench.seed", "--scale", "county", env=env)
    output = tmp_path / "results.json"
    _run(
        "bench.load", "--rounds", "1", "--duration", "1",
        "--only", "landing", "--only", "expert pool",
        "--certificates", "1" if redis_url else "0",
        *(["--redis-url", redis_url] if redis_url else []),
        "--output", str(output), "--no-doc", env=env,
    )  # fmt: skip

    run = json.loads(output.read_text())["runs"]["county"]
    assert {p["page"] for p in run["pages"]} == {"public landing page", "expert pool (office)"}
    for page in run["pages"]:
        assert page.keys() >= PAGE_FIELDS
        assert page["errors"] == 0 and page["requests"] > 0 and page["queries"] > 0
    assert run["floor"]["rps"] > 0 and run["floor"]["queries"] == 0
    assert run["data"]["applications"] == 90
    assert 0 < run["memory"]["worker_peak_rss_mb"] < 1000
    assert run["memory"]["xlsx"]["status"] == 200
    if redis_url:
        assert run["certificates"]["count"] == 1 and run["certificates"]["ratio"] > 0
    # A second seed replaces the benchmark's own database; any other is refused.
    refused = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--database-url",
         os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode != 0 and "refusing" in refused.stderr
