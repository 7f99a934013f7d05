"""`yuanjiang fonts`: make the PDF's CJK font subsets now (reports.render.fontcache), a deployment step.

Without it the subsets are made in the background after the first PDF is asked for (minutes of CPU),
and the PDFs until then use the system's whole fonts (about twice the memory). `serve` starts the same
making in the background when they are missing; this command waits for it."""

from django.core.management.base import BaseCommand

from yuanjiang.reports.render import fontcache


class Command(BaseCommand):
    help = "生成PDF所用的中文字体子集（部署时运行一次，首个PDF不必等待）· Make the PDF font subsets now"

    def handle(self, *args, **options):
        directory = fontcache.make_now()
        if directory is None:
            self.stdout.write("未找到 Noto CJK 字体（fonts-noto-cjk）：PDF 使用系统字体。")
        else:
            self.stdout.write(f"PDF 字体子集已就绪：{directory}")
