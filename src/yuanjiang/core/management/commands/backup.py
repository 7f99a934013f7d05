"""`yuanjiang backup [-o FILE]`: the database and uploaded files in one archive (core.backup)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanjiang.core import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个归档文件（运行中的网站可照常写入）· Back up the database and uploads to one archive"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="备份文件（默认 $YJ_VAR_DIR/backups/yuanjiang-日期时间.tar.gz）"
        )

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"yuanjiang-{stamp}.tar.gz"
        try:
            manifest = backup.backup(Path(output))
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        except Exception as error:  # the operator gets a sentence, never a traceback
            raise CommandError(f"备份失败（{type(error).__name__}：{error}）。", returncode=2) from error
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            f"已备份到 {output}：{len(manifest.tables)} 张数据表共 {rows} 行，上传文件 {manifest.media_files} 个"
            f"（{manifest.vendor}，{manifest.created}）。"
        )
