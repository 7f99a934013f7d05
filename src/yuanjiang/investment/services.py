"""Investment services: business rules that several callers share."""

import csv
from pathlib import Path

CLUSTERS_CSV = Path(__file__).resolve().parent / "data" / "industry_clusters.csv"


def industry_clusters_load(model=None) -> int:
    """Create or update the industry clusters of data/industry_clusters.csv, by code (idempotent).

    `model` is the historical model when called from a migration. Returns the number of rows."""
    if model is None:
        from yuanjiang.investment.models import IndustryCluster as model
    n = 0
    with CLUSTERS_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            defaults = {
                "name": row["name"],
                "group": row["group"],
                "sequence": int(row["sequence"]),
                "note": row["note"],
            }
            obj = model.objects.filter(code=row["code"]).first()
            if obj is None:
                obj = model(code=row["code"], **defaults)
                obj.save()
            elif any(getattr(obj, k) != v for k, v in defaults.items()):
                for k, v in defaults.items():
                    setattr(obj, k, v)
                obj.save()
            n += 1
    return n
