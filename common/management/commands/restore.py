from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.backup import BackupError, human_size, restore_backup


class Command(BaseCommand):
    help = _(
        "从 backup 命令制作的备份文件恢复数据库和媒体文件。先核对每个文件的 SHA-256，"
        "只恢复到空数据库（运行过 migrate 的新库）；目标已有数据时须加 --force。"
        "恢复期间请停止网站、worker 和 beat。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("备份文件（.tar.gz）"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("目标数据库或媒体存储已有数据时，仍用备份替换其全部数据（包括审计记录）"),
        )
        parser.add_argument(
            "--manifest-sha256",
            default=None,
            help=_("备份时输出的清单 SHA-256；给出时，清单不符即拒绝恢复"),
        )

    def handle(self, *args, **options):
        try:
            result = restore_backup(
                archive=options["archive"],
                force=options["force"],
                expected_manifest_sha256=options["manifest_sha256"],
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "恢复完成：{rows} 行数据，{files} 个媒体文件（{size}）；行数、文件哈希均与清单"
                    "一致，审计链完好，链头为第 {seq} 条。"
                ).format(
                    rows=result.rows,
                    files=result.media_files,
                    size=human_size(result.media_bytes),
                    seq=result.audit_head[0],
                )
            )
        )
        if result.left_in_storage:
            self.stdout.write(
                self.style.WARNING(
                    _("媒体存储中另有 {n} 个不属于该备份的文件，未作改动。").format(
                        n=result.left_in_storage
                    )
                )
            )
