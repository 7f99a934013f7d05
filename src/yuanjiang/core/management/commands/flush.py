"""`flush` empties the whole database, change log included: the one path, with `restore --force`,
that switches the database's change-log guard off, for its own transaction only (core.guard).
pytest-django's transactional tests run it after each test."""

from django.core.management.commands import flush
from django.db import connections

from yuanjiang.core import guard


class Command(flush.Command):
    def handle(self, **options):
        with guard.purging(connections[options["database"]]):
            return super().handle(**options)
