"""An audit entry holds every role of its actor (32 characters were too few).

On SQLite, altering a column rebuilds the table, which drops its triggers: the append-only
trigger of 0002 is created again right after. PostgreSQL alters the column in place and keeps
its trigger.
"""

from django.db import migrations, models

SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_update;",
    """CREATE TRIGGER common_auditentry_no_update BEFORE UPDATE ON common_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGER:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("common", "0003_outbox")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor_role",
            field=models.CharField(
                db_index=True, editable=False, max_length=255, verbose_name="角色"
            ),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
