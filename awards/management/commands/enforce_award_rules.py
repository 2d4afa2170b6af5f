import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from awards.services.validity import enforce_award_rules
from common.dates import today


class Command(BaseCommand):
    help = "Expire awards, lift ended bans and send expiry reminders (R6, R20, R21). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to act as today, YYYY-MM-DD")

    def handle(self, *args, **options):
        day = today()
        if options["today"]:
            try:
                day = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date YYYY-MM-DD") from exc
        report = enforce_award_rules(today=day)
        self.stdout.write(
            f"{day}: expired {len(report.expired)}, bans lifted {len(report.bans_lifted)}, "
            f"reminders sent {len(report.reminders)}"
        )
