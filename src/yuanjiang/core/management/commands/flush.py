"""`flush` empties the whole database, change log included: the one path, with `restore --force`,
that switches the database's change-log (and account-log) guard off, for its own transaction only (core.guard).
pytest-django's transactional tests run it after each test."""

from django.core.management.commands import flush
from django.db import connections

from yuanjiang.accounts import guard as account_guard
from yuanjiang.core import guard


class Command(flush.Command):
    help = "清空整个数据库（含变更日志；不可恢复，先做备份）· Remove ALL data from the database, change log included"

    def handle(self, **options):
        connection = connections[options["database"]]
        with guard.purging(connection), account_guard.purging(connection):
            return super().handle(**options)
