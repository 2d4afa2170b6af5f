"""The database itself refuses to change audit entries, whatever code runs against it.

UPDATE is refused on every backend. DELETE is refused on PostgreSQL (row-level triggers do not
fire on TRUNCATE, which test isolation uses); on SQLite the ORM guard and the hash chain catch it.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER common_auditentry_no_update BEFORE UPDATE ON common_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS common_auditentry_no_update;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION common_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER common_auditentry_no_update BEFORE UPDATE OR DELETE ON common_auditentry
       FOR EACH ROW EXECUTE FUNCTION common_auditentry_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_update ON common_auditentry;",
    "DROP FUNCTION IF EXISTS common_auditentry_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
