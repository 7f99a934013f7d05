"""Talent reference data: the fields of talent brought in, loaded idempotently from CSV."""

import csv
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


def field_rows() -> list[dict]:
    with open(DATA_DIR / "talent-fields.csv", encoding="utf-8") as f:
        return [
            {
                "code": row["code"],
                "name": row["name"],
                "is_shortage": row["is_shortage"] == "1",
                "order": int(row["order"]),
            }
            for row in csv.DictReader(f)
        ]


def load_fields(model) -> int:
    """Create the missing fields of the CSV in `model` (the TalentField class, or its historical
    version in a migration); existing rows, perhaps edited by an administrator, are left alone.
    Returns the number created."""
    created = 0
    for row in field_rows():
        _obj, was_created = model.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
        created += was_created
    return created


@transaction.atomic
def reference_load() -> int:
    from yuanjiang.talent.models import TalentField

    return load_fields(TalentField)
