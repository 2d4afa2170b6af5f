from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LadderConfig(AppConfig):
    name = "ladder"
    verbose_name = _("质量奖推荐（上下级）")

    def ready(self):
        from applications.services.eligibility import register_bar  # noqa: PLC0415
        from awards.services.sanctions import on_revoked  # noqa: PLC0415

        from .eligibility import check_lower_award  # noqa: PLC0415
        from .services import withdraw_nominations  # noqa: PLC0415

        register_bar(check_lower_award)
        on_revoked(withdraw_nominations)
