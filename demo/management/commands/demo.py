from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.stages import STAGES
from demo.world import load_demo


class Command(BaseCommand):
    help = "Load the demo programme, this year's cycle, one user per role and a few organisations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage",
            choices=STAGES,
            default="awarded",
            help="how far last year's cycle goes (default: awarded, with certificates)",
        )

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0, interactive=False)
        result = load_demo(stage=options["stage"])
        state = "已创建" if result.created else "已存在，未改动"
        self.stdout.write(
            self.style.SUCCESS(f"演示数据{state}：{result.programme}，{result.cycle}")
        )
        self.stdout.write("\n演示账号（用户名 / 密码 / 角色）:")
        for username, (password, roles) in result.passwords.items():
            self.stdout.write(f"  {username:<12} {password:<24} {roles}")
        self.stdout.write(f"\n打开 {settings.SITE_URL}/ 登录。")
