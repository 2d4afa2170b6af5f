from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.backup import BackupError, create_backup, human_size


class Command(BaseCommand):
    help = _(
        "把数据库（全部数据，含审计记录）和全部媒体文件写入一个备份文件（.tar.gz），附带 SHA-256 "
        "清单。备份含保密数据，文件权限为 600。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            required=True,
            help=_("备份文件路径（如 /backup/award.tar.gz），或一个已有目录（在其中按时间命名）"),
        )

    def handle(self, *args, **options):
        try:
            result = create_backup(output=options["output"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        size = human_size(result.path.stat().st_size)
        self.stdout.write(
            self.style.SUCCESS(
                _("备份完成：{path}（{size}），{rows} 行数据，{files} 个媒体文件。").format(
                    path=result.path, size=size, rows=result.rows, files=result.media_files
                )
            )
        )
        self.stdout.write(
            _("审计链头：第 {seq} 条，{hash}").format(
                seq=result.audit_head[0], hash=result.audit_head[1]
            )
        )
        self.stdout.write(
            _("清单 SHA-256：{sha}（请另行记录，恢复时可用 --manifest-sha256 核对）").format(
                sha=result.manifest_sha256
            )
        )
        self.stdout.write(
            _("备份文件 SHA-256：{sha}（已写入 {path}.sha256）").format(
                sha=result.archive_sha256, path=result.path
            )
        )
        if result.missing_media:
            self.stdout.write(
                self.style.WARNING(
                    _("有 {n} 个被引用的文件不在存储中，已记入清单（见上文）。").format(
                        n=len(result.missing_media)
                    )
                )
            )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "该备份含保密数据（申报材料、异议人姓名和电话、账户信息）：文件权限为 600，"
                    "请加密保存并限制访问。"
                )
            )
        )
