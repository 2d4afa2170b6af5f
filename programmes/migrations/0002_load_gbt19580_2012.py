from django.db import migrations


def load(apps, schema_editor):
    from programmes.criteria_data import load_criteria_set

    load_criteria_set(apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
