"""The reference list of talent fields (talent/data/talent-fields.csv), so a fresh database has it."""

from django.db import migrations


def load(apps, schema_editor):
    from yuanjiang.talent.services import load_fields

    load_fields(apps.get_model("talent", "TalentField"))


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
