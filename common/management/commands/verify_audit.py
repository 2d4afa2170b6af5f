from django.core.management.base import BaseCommand, CommandError

from common.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"审计链在第 {report.broken_at} 条断开：{report.problem}"
                f"（之前 {report.checked} 条完好） / audit chain broken at entry "
                f"{report.broken_at}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"审计链完好：共 {report.checked} 条 / audit chain intact")
        )
