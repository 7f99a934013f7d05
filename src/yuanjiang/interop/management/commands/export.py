from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.interop import exporting, mapping
from yuanjiang.org.models import Program

# Exit status of a bad request (unknown ledger or program, unwritable file), as `metrics` and `report`.
BAD_REQUEST = 2


class Command(BaseCommand):
    help = "导出台账为Excel（或空白模板）· Export a ledger of a program to XLSX, or its blank template."

    def add_arguments(self, parser):
        kinds = ", ".join(ledger.kind for ledger in mapping.ledgers() if ledger.declared)
        parser.add_argument("kind", help=f"ledger: {kinds}, or a list page's model name")
        parser.add_argument(
            "--program", help="program slug, e.g. nantong-yining-11 (required unless --template)"
        )
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--template", action="store_true", help="write the blank template (notes, header, lists)"
        )

    def handle(self, *args, kind, program=None, output, template=False, **options):
        try:
            sheet = exporting.sheet_for_kind(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0], returncode=BAD_REQUEST) from None
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件“{output}”须以 .xlsx 结尾。", returncode=BAD_REQUEST)
        if not path.parent.is_dir():
            raise CommandError(f"输出目录“{path.parent}”不存在。", returncode=BAD_REQUEST)
        if template:
            self._write(path, lambda out: exporting.write_workbook(out, sheet, template=True))
            self.stdout.write(f"已写出{sheet.label}空白模板：{path}")
            return
        if not program:
            raise CommandError(
                "请用 --program 指定援疆项目组（或用 --template 导出空白模板）。", returncode=BAD_REQUEST
            )
        try:
            target = Program.objects.select_related("provider").get(slug=program)
        except Program.DoesNotExist:
            known = "、".join(Program.objects.order_by("slug").values_list("slug", flat=True)) or "（无）"
            raise CommandError(
                f"没有标识为“{program}”的援疆项目组。已有：{known}", returncode=BAD_REQUEST
            ) from None
        queryset = sheet.model.objects.filter(**{sheet.model.scope_path: target})
        sheet = exporting.for_program(sheet, target)
        counted = {}
        self._write(
            path, lambda out: counted.setdefault("n", exporting.export_queryset(out, sheet, queryset))
        )
        self.stdout.write(
            f"已导出{sheet.label}{counted['n']}条记录（{exporting.program_label(target)}）：{path}"
        )

    def _write(self, path: Path, write) -> None:
        try:
            with path.open("wb") as out:
                write(out)
        except OSError as exc:
            raise CommandError(f"无法写入“{path}”：{exc.strerror or exc}", returncode=BAD_REQUEST) from None
