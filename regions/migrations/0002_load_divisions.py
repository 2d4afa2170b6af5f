from django.db import migrations


def load_shipped(apps, schema_editor):
    from regions.loading import load, shipped

    load(shipped()["divisions"], model=apps.get_model("regions", "Division"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
