"""Load the industry-cluster reference list (investment/data/industry_clusters.csv), by code."""

from django.db import migrations


def load(apps, schema_editor):
    from yuanjiang.investment.services import industry_clusters_load

    industry_clusters_load(apps.get_model("investment", "IndustryCluster"))


class Migration(migrations.Migration):
    dependencies = [("investment", "0002_events_contacts_projects_parks")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
