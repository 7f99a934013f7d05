"""`yuanjiang maintain [--full]`: refresh the database's planner statistics (core.maintenance)."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from yuanjiang.core import maintenance


class Command(BaseCommand):
    help = "维护数据库：更新查询优化统计信息（SQLite：ANALYZE / PRAGMA optimize；PostgreSQL：ANALYZE）· Database maintenance"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="完整分析所有数据表（不抽样）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        done = maintenance.optimize(options["database"], full=options["full"])
        if connection.vendor == "sqlite" and options["full"]:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if done == ["*"]:
            self.stdout.write(f"已更新全部数据表的统计信息（{connection.vendor}）。")
        elif done:
            self.stdout.write(f"已更新 {len(done)} 张数据表的统计信息：{'、'.join(done)}。")
        else:
            self.stdout.write("统计信息均为最新，无需更新。")
