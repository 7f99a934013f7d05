"""``./yj import KIND FILE [--demo] --program SLUG [--dry-run] [--user NAME]``

Reads FILE (.xlsx, .xls or .csv), prints the preview (created / updated / unchanged, every error and
warning with its row and column) and, without --dry-run, commits it when the file has no error: all
or nothing, in one transaction, logged with source 导入:<hash>:<file name>. Exits 1 with the errors
listed when the file has any (nothing saved), 2 for a bad request (unknown kind or program,
unreadable file). Progress goes to stderr.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yuanjiang.interop import mapping
from yuanjiang.interop.importing import ImportRefused, commit, preview
from yuanjiang.interop.reading import MAX_BYTES, ReadError
from yuanjiang.org.models import Program

BAD_REQUEST = 2
HAS_ERRORS = 1


class Command(BaseCommand):
    help = (
        "导入台账（Excel/CSV，先预览，无错误才保存）· Import a ledger file (.xlsx/.xls/.csv), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", help="ledger: projects, transactions, progress, training-courses … (see --list)"
        )
        parser.add_argument("file", nargs="?", help="the .xlsx, .xls or .csv file")
        parser.add_argument("--program", help="program slug, e.g. nantong-yining-11")
        parser.add_argument("--dry-run", action="store_true", help="preview only: save nothing")
        parser.add_argument(
            "--user", help="username the changes are attributed to (and whose scope is checked)"
        )
        parser.add_argument("--limit", type=int, default=20, help="rows of changes to print (default 20)")

    def handle(self, *args, kind, file=None, program=None, dry_run=False, user=None, limit=20, **options):
        if kind == "list":
            for ledger in mapping.ledgers():
                self.stdout.write(f"{ledger.kind:22} {ledger.label}")
            return
        try:
            ledger = mapping.get(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0], returncode=BAD_REQUEST) from None
        if not file:
            raise CommandError(
                "请指定要导入的文件：./yj import KIND FILE --program SLUG", returncode=BAD_REQUEST
            )
        if not program:
            raise CommandError("请用 --program 指定导入到哪个援疆项目组。", returncode=BAD_REQUEST)
        try:
            target = Program.objects.get(slug=program)
        except Program.DoesNotExist:
            known = ", ".join(Program.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(
                f"没有标识为“{program}”的援疆项目组。已有：{known}", returncode=BAD_REQUEST
            ) from None
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"没有用户名为“{user}”的账号。", returncode=BAD_REQUEST) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”。", returncode=BAD_REQUEST)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CommandError(
                f"文件有{size / 1024 / 1024:.1f}MB，超过{MAX_BYTES // 1024 // 1024}MB的上限。请拆分后分别导入。",
                returncode=BAD_REQUEST,
            )
        data = path.read_bytes()

        def progress(done, total):
            if total >= 1000:
                sys.stderr.write(f"\r已读取 {done}/{total} 行")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            plan = preview(ledger, target, data, path.name, actor, progress=progress)
        except ReadError as exc:
            raise CommandError(str(exc), returncode=BAD_REQUEST) from None
        except ImportRefused as exc:
            raise CommandError(str(exc), returncode=BAD_REQUEST) from None
        self._report(plan, limit)
        if plan.errors:
            self.stderr.write(f"文件中有{len(plan.errors)}处错误，未保存任何数据：")
            for issue in plan.errors:
                self.stderr.write(f"  {issue}")
            raise CommandError("请改正以上错误后重新导入。", returncode=HAS_ERRORS)
        if dry_run:
            self.stdout.write("（--dry-run：仅预览，未保存。）")
            return
        try:
            result = commit(ledger, target, data, path.name, actor, expected=plan.versions, progress=progress)
        except ImportRefused as exc:
            for issue in exc.issues:
                self.stderr.write(f"  {issue}")
            raise CommandError(str(exc), returncode=HAS_ERRORS) from None
        self.stdout.write(
            f"已导入：新增{result.created}条，更新{result.updated}条，不变{result.unchanged}条（变更记录来源：{result.source}）。"
        )

    def _report(self, plan, limit):
        w = self.stdout.write
        w(
            f"{plan.ledger.label} · {plan.program} · 工作表“{plan.sheet}”，表头在第{'、'.join(map(str, plan.header_rows))}行"
        )
        w(f"读取的列：{'、'.join(plan.headers)}")
        w(f"预览：{plan.summary}")
        shown = 0
        for row in plan.rows:
            if row.action not in ("create", "update") or shown >= limit:
                continue
            shown += 1
            if row.action == "create":
                w(f"  第{row.row}行 新增：{row.obj}")
            else:
                w(
                    f"  第{row.row}行 更新 {row.obj}："
                    + "；".join(f"{c}：{a or '（空）'} → {b or '（空）'}" for c, a, b in row.changes)
                )
        for issue in plan.warnings:
            w(f"提示：{issue}")
