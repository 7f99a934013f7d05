"""`yuanjiang serve [ADDR:PORT]`: the production server (gunicorn, threads; static files by whitenoise).

Collects static files first, starts making the PDF font subsets in the background when they are
missing (`yuanjiang fonts` makes them and waits), refuses to start on a database that is not migrated. `./yj dev` is
Django's development server instead.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from yuanjiang.core.serving import DEFAULT_ADDRPORT, split_addrport


class Command(BaseCommand):
    help = (
        "启动生产环境网站服务器（gunicorn；开发调试请用 ./yj dev）· Serve the site with the production server"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default=DEFAULT_ADDRPORT, help="地址:端口（默认 127.0.0.1:8000）"
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("YJ_WORKERS", "2")), help="进程数（默认 2）"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("YJ_THREADS", "8")),
            help="每个进程的线程数（默认 8）",
        )
        parser.add_argument("--certfile", help="直接提供 HTTPS 时的证书文件（通常由前置代理提供 HTTPS）")
        parser.add_argument("--keyfile", help="证书私钥文件")

    def handle(self, *args, **options):
        try:
            host, port = split_addrport(options["addrport"])
        except ValueError:
            raise CommandError(
                f"地址“{options['addrport']}”无效：应为 地址:端口，例如 127.0.0.1:8000。"
            ) from None
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到当前版本：请先运行 ./yj migrate。")
        call_command("collectstatic", interactive=False, verbosity=0)
        from yuanjiang.reports.render import fontcache

        fontcache.subsets()  # the PDF font subsets, made in the background now when missing (`./yj fonts`)
        connections.close_all()  # no connection may cross into the worker processes

        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        scheme = "https" if options["certfile"] else "http"
        self.stdout.write(
            f"援疆成效台账：{scheme}://{bind}/ （{options['workers']} 个进程 × {options['threads']} 个线程；"
            f"{'HTTPS' if settings.HTTPS else '明文 HTTP，仅供本机或内网使用'}）。按 Ctrl+C 停止。"
        )
        config = {
            "bind": bind,
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "yuanjiang",
        }
        if options["certfile"]:
            config.update(certfile=options["certfile"], keyfile=options["keyfile"])
        if settings.TRUST_PROXY:
            config["forwarded_allow_ips"] = "*"  # the proxy's X-Forwarded-* (the proxy strips clients' own)
        ProductionServer(config).run()


def ProductionServer(config):
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self):
            return get_wsgi_application()

    return Server()
