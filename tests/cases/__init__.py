"""One module per app, each registering its models' ScopedCases (see tests/kit.py)."""
