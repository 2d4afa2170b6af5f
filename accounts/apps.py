from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_role_groups(sender, **kwargs):
    from .roles import ensure_role_groups  # noqa: PLC0415 - models are ready only now

    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        # Permissions exist only after every app migrated: run once, after the last app.
        post_migrate.connect(_create_role_groups, dispatch_uid="accounts.create_role_groups")
