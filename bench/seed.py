"""Fill a dedicated PostgreSQL database with the benchmark's data (issue 12).

    python -m bench.seed --scale county|city|province [--database-url postgres://…/award_bench]

The database (``--database-url``, else ``BENCH_DATABASE_URL``, else ``DATABASE_URL``) is created
when missing and migrated. An existing database is refused unless bench.seed made it (its
``bench_marker`` table, and no programme or user but the benchmark's); one it made is dropped and
created again, so a run always starts from the same rows. Scales: county 1 programme × 3 cycles
× 30 applications, city 10 × 5 × 30, province 150 × 10 × 30 (45,000 applications, 2.5 million
item scores).
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://award:award@127.0.0.1:5432/award_bench"


def database_url(given: str | None) -> str:
    return (
        given
        or os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_URL
    )


def _split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"bench: a PostgreSQL DATABASE_URL is needed, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("bench: the DATABASE_URL names no database")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return name, maintenance


MARKER = "bench_marker"


def _is_bench_database(url: str) -> bool:
    """True only for a database this command created: it carries the benchmark's marker table
    and no programme or user the benchmark did not make."""
    import psycopg

    from bench.data import PREFIX

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        if MARKER not in tables:
            return False
        if {"programmes_programme", "accounts_user"} <= tables:
            foreign = conn.execute(
                "SELECT (SELECT count(*) FROM programmes_programme WHERE code NOT LIKE %s)"
                " + (SELECT count(*) FROM accounts_user WHERE username NOT LIKE %s)",
                (PREFIX + "%", PREFIX + "%"),
            ).fetchone()[0]
            return not foreign
        return True


def prepare_database(url: str) -> None:
    """Create the database, or drop and create again one that this command made before. Any
    other existing database, even an empty one, is refused: it may be somebody's."""
    import psycopg
    from psycopg import sql

    name, maintenance = _split(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            if not _is_bench_database(url):
                raise SystemExit(
                    f"bench: refusing to use database {name}: it was not made by bench.seed "
                    "(name a database of its own; bench.seed creates it)"
                )
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
        conn.execute(f"CREATE TABLE {MARKER} (scale text, seeded_at timestamptz DEFAULT now())")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    from bench.data import SCALES

    parser = argparse.ArgumentParser(
        prog="python -m bench.seed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="county")
    parser.add_argument(
        "--database-url", help=f"default: $BENCH_DATABASE_URL, $DATABASE_URL, {DEFAULT_URL}"
    )
    parser.add_argument("--seed", type=int, default=12, help="the random generator's seed")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    prepare_database(url)
    setup_django(url)
    from django.core.management import call_command

    from bench.data import seed

    call_command("migrate", verbosity=0)
    print(f"bench.seed: {args.scale} into {_split(url)[0]}")
    seed(SCALES[args.scale], seed_value=args.seed)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {MARKER} (scale) VALUES (%s)", [args.scale])  # noqa: S608
        cursor.execute("ANALYZE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
