from django.core.management.base import BaseCommand, CommandError

from accounts.enums import RecommenderLevel, Role
from accounts.services.users import create_staff_user
from common.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create a staff user with one or more roles, optionally scoped to programmes."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            help="repeat for several roles",
        )
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--programme",
            action="append",
            default=[],
            help="programme code; repeat for several. Without it the user serves all programmes.",
        )
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--level", default="", choices=["", *RecommenderLevel.values])
        parser.add_argument(
            "--industry",
            action="append",
            default=[],
            help="an industry an industry-level recommender oversees; repeat for several (R12.2)",
        )

    def handle(self, *args, **options):
        try:
            user = create_staff_user(
                username=options["username"],
                password=options["password"],
                roles=options["role"],
                programmes=options["programme"],
                recommender_level=options["level"],
                industries=options["industry"],
                name=options["name"],
                email=options["email"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        scope = "all programmes" if user.all_programmes else ", ".join(options["programme"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.username} ({', '.join(user.role_names())}) serving {scope}."
            )
        )
