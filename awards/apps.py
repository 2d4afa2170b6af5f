from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("获奖与监督管理")

    def ready(self):
        from applications.services.eligibility import register_bar  # noqa: PLC0415

        from .eligibility import check_ban, check_valid_award  # noqa: PLC0415

        # In this order: the ban (R20/R21), then a valid award (R6).
        register_bar(check_ban)
        register_bar(check_valid_award)

        from review.panels import register_cycle_panel, register_waiting  # noqa: PLC0415

        from .panels import awards_waiting, cycle_publicity, dashboard_awards  # noqa: PLC0415

        register_cycle_panel("cycle", "awards/panels/cycle_publicity.html", cycle_publicity)
        register_cycle_panel("dashboard", "awards/panels/dashboard_awards.html", dashboard_awards)
        register_waiting(awards_waiting)

        from .public_cache import connect_signals  # noqa: PLC0415

        connect_signals()
