"""cnnum tests need no Django and no database.

Run them alone with ``python -m pytest tests/cnnum -p no:django --confcutdir=tests/cnnum`` (the
project's tests/conftest.py imports Django models).
"""

from pathlib import Path

DATA = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
