"""`loaddata` through the change log: every record a fixture creates or changes is logged (source
`command:loaddata`), in the same transaction as the load; fixtures holding change-log rows are
refused (history is written by the system, never imported)."""

from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from yuanjiang.core import changelog
from yuanjiang.core.context import acting_as


class Command(loaddata.Command):
    help = "从数据文件（fixture）导入记录，每条都记入变更日志 · Load fixture records, each one logged"

    def loaddata(self, fixture_labels):
        try:
            with acting_as(None, source="command:loaddata"), changelog.raw_batch():
                super().loaddata(fixture_labels)
        except changelog.ChangeLogRefused as error:
            raise CommandError(str(error)) from error
