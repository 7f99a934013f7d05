"""Load the industry-cluster reference list as it stood when this migration was written (code, name,
group, sequence, note). Later edits of investment/data/industry_clusters.csv are applied by
`investment.services.industry_clusters_load()` (the demo runs it); a migration never imports live code
or reads files that may change."""

from django.db import migrations

CLUSTERS = [('oil-gas', '油气生产加工', '八大产业集群', 1, '新疆“八大产业集群”（2023年自治区政府工作报告）'),
 ('coal', '煤炭煤电煤化工', '八大产业集群', 2, ''),
 ('green-mining', '绿色矿业', '八大产业集群', 3, ''),
 ('grain-oil', '粮油', '八大产业集群', 4, ''),
 ('cotton-textile', '棉花和纺织服装', '八大产业集群', 5, ''),
 ('fruit-vegetable', '绿色有机果蔬', '八大产业集群', 6, ''),
 ('livestock', '优质畜产品', '八大产业集群', 7, ''),
 ('new-energy', '新能源新材料', '八大产业集群', 8, ''),
 ('culture-tourism', '文化旅游', '+1', 9, '伊犁州“8+1+1”中后两项的名称待据州级文件核实；此处为示意'),
 ('modern-services', '现代服务业（含电商、物流）', '+1', 10, '伊犁州“8+1+1”中后两项的名称待据州级文件核实；此处为示意'),
 ('other', '其他', '其他', 99, '')]


def load(apps, schema_editor):
    IndustryCluster = apps.get_model("investment", "IndustryCluster")
    for code, name, group, sequence, note in CLUSTERS:
        IndustryCluster.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "sequence": sequence, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("investment", "0002_events_contacts_projects_parks")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
