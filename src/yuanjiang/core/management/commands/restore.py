"""`yuanjiang restore FILE [--force]`: a backup into an empty database (core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.core import backup


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传文件（只恢复到空数据库；覆盖须加 --force）· Restore a backup into an empty database"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="yuanjiang backup 生成的备份文件")
        parser.add_argument("--force", action="store_true", help="数据库已有数据时也恢复（覆盖全部数据）")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(Path(options["archive"]), force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            f"已从 {options['archive']} 恢复：{len(manifest.tables)} 张数据表共 {rows} 行（行数与内容校验一致），"
            f"上传文件 {manifest.media_files} 个；备份时间 {manifest.created}。"
        )
