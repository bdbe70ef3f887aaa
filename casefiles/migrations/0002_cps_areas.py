from django.db import migrations

from casefiles.areas import ensure_areas


def add_areas(apps, schema_editor):
    ensure_areas(apps.get_model("casefiles", "Area"))


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0001_initial")]
    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
