"""`yuanjiang demo [--no-serve] [--addrport 127.0.0.1:8000]`: rebuild the demo database and serve it.

The CLI sets YJ_DEMO=1 for this command, so the settings point at var/demo.sqlite3. The command
deletes and rebuilds that file only; it refuses to run against any other database.
"""

from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from yuanjiang.common.formatting import date, exact
from yuanjiang.demo import data

DEMO_DB_FILENAME = "demo.sqlite3"


def demo_database_path(settings_dict: dict) -> Path | None:
    """The demo database file when `settings_dict` is the SQLite file demo.sqlite3, else None."""
    if settings_dict.get("ENGINE") != "django.db.backends.sqlite3":
        return None
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return path if path.name == DEMO_DB_FILENAME else None


class Command(BaseCommand):
    help = "重建演示数据库（var/demo.sqlite3，南通工作组第十一批的15个援疆项目）并启动网站 · Rebuild the demo database and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只重建演示数据库，不启动网站")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="网站地址和端口（默认 127.0.0.1:8000）"
        )

    def handle(self, *args, **options):
        connection = connections["default"]
        path = demo_database_path(connection.settings_dict)
        if path is None:
            raise CommandError(
                "拒绝执行：demo 命令只会删除并重建演示数据库（SQLite 文件 demo.sqlite3），"
                f"而当前默认数据库是“{connection.settings_dict.get('NAME')}”"
                f"（{connection.settings_dict.get('ENGINE')}）。"
                "请使用 `yuanjiang demo` 或 `./yj demo`，并且不要设置 DATABASE_URL。"
            )

        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"正在重建演示数据库 {path} …")
        call_command("migrate", verbosity=0, interactive=False)

        from yuanjiang.demo.services import demo_load
        from yuanjiang.metrics.registry import evaluate
        from yuanjiang.metrics.scope import Scope
        from yuanjiang.org.periods import Period

        result = demo_load()
        program = result.program
        start, end = data.ARTICLE_PERIOD
        period = Period(start, end)
        figures = evaluate(
            ["projects.count", "projects.started", "projects.started_rate"], Scope(program=program), period
        )
        count = figures["projects.count"].value
        started = figures["projects.started"].value
        rate = figures["projects.started_rate"].value
        rate_of_disbursement = (
            (result.disbursed * 100 / result.aid_funds).quantize(Decimal("0.1"))
            if result.aid_funds
            else Decimal(0)
        )
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS("演示数据已载入。"))
        w(f"  {data.DEMO_NOTE}")
        w(
            f"  来源：{data.DEMO_SOURCE}；报道数据截至{date(data.ARTICLE_AS_OF)}，示意数据续至{date(data.DEMO_AS_OF)}。"
        )
        w(
            f"  援疆项目组：{program.name}（{program.recipient_region}，{program.term_start}至{program.term_end}）"
        )
        w(
            f"  {period}：援疆项目{exact(count, '个')}，已开工{exact(started, '个')}，开工率{exact(rate, '%')}。"
        )
        w(
            f"  援疆资金{exact(result.aid_funds, '元')}，已拨付{exact(result.disbursed, '元')}"
            f"（{exact(rate_of_disbursement, '%')}）；资金记录{result.transactions}条，进度填报{result.reports}条。"
        )
        if result.second_program is not None:
            second = evaluate(
                ["projects.count", "projects.started_rate"], Scope(program=result.second_program), period
            )
            w(
                f"  另有示意援疆项目组：{result.second_program.name}（{result.second_program.recipient_region}），"
                f"援疆项目{exact(second['projects.count'].value, '个')}，"
                f"开工率{exact(second['projects.started_rate'].value, '%')}。{data.SECOND_PROGRAM_NOTE}"
            )
        w("")
        w(f"演示账号（密码均为 {data.DEMO_PASSWORD}）：")
        width = max(len(u.username) for u in data.DEMO_USERS)
        for u in data.DEMO_USERS:
            w(f"  {u.username.ljust(width)}  {u.display_name}（{u.role_label}）：{u.can}")
        w("")
        if options["no_serve"]:
            w("已按 --no-serve 跳过启动网站。启动网站：./yj serve --demo")
            return
        call_command("serve", options["addrport"])
