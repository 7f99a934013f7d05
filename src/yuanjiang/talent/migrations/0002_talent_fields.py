"""The reference list of talent fields as it stood when this migration was written (code, name,
is_shortage, order), so a fresh database has it. Later edits of talent/data/talent-fields.csv are
applied by `talent.services.reference_load()`; a migration never imports live code."""

from django.db import migrations

FIELDS = [('economy', '经济招商', True, 10),
 ('agri-tech', '农林科技', True, 20),
 ('health', '医疗卫生', True, 30),
 ('education', '教育教学', True, 40),
 ('planning', '规划建设', True, 50),
 ('digital', '数字经济与电子商务', False, 60),
 ('culture', '文化旅游', False, 70),
 ('governance', '党建与社会治理', False, 80),
 ('other', '其他', False, 900)]


def load(apps, schema_editor):
    TalentField = apps.get_model("talent", "TalentField")
    for code, name, is_shortage, order in FIELDS:
        TalentField.objects.get_or_create(code=code, defaults={"name": name, "is_shortage": is_shortage, "order": order})


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
